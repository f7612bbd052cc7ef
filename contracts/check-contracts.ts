/**
 * `contracts check`: every contract against the composed supergraph. Reports every problem at once,
 * each with file, app and coordinate (F6): coordinates are object-type fields of the API schema (one the
 * supergraph keeps out of it with `@inaccessible` is named as such, never a crash); nothing its department
 * marks NONE is granted (an argument naming a subject: its key's class); a CONDITIONAL grant has a purpose
 * with a legal basis; masks fit text fields; no grants together defeat a mask (`mask-defeat.ts`); a seal is granted only beside every field it
 * seals (`seal-guesses.ts`); a datum copied under several coordinates keeps one mask and no case-bound
 * purpose reads another person's copy (`same-datum.ts`); dates are sane.
 */
import { getNamedType, isInterfaceType, isObjectType, isScalarType } from 'graphql';
import { grantCoordinate, grantMask } from './contract-schema';
import type { LoadedContract } from './load-contracts';
import { identifierPartsProblems, maskDefeats } from './mask-defeat';
import { platformReferenceProblems } from './platform-references';
import { sameDatumProblems } from './same-datum';
import { sealGuesses, sealsProblems } from './seal-guesses';
import type { Platform } from './platform-schema';
import { NO_DECLARATIONS, misdeclaredSubjectArguments, sharingKey, subjectArguments, undeclaredSubjectArguments } from './subject-arguments';
import type { ContractProblem } from './problem';
import type { Catalog } from './supergraph-catalog';

const TEXT_SCALARS = new Set(['String', 'ID', 'IdNumber', 'CreditCode']);
const COORDINATE_ARGUMENT = /\(\w+:\)$/;

/** Why a grant names nothing a contract can grant: kept out of the API, an interface's field, or not there at all. */
function unknownCoordinateProblem(catalog: Catalog, coordinate: string): string {
  if (catalog.inaccessible.has(coordinate)) return 'is not part of the API schema (the supergraph marks it or its type @inaccessible): no app can be granted it';
  const [typeName, fieldName] = coordinate.split('.') as [string, string | undefined];
  const type = catalog.apiSchema.getType(typeName);
  if (isInterfaceType(type) && fieldName !== undefined && type.getFields()[fieldName]) {
    const implementations = catalog.apiSchema.getPossibleTypes(type).map((t) => `${t.name}.${fieldName}`);
    return `is a field of the interface ${typeName}: grants name the fields of object types, so grant it on each type that implements it (${implementations.join(', ')})`;
  }
  return `is not a field of the supergraph${COORDINATE_ARGUMENT.test(coordinate) ? ', nor an argument naming a data subject' : ''}`;
}

/** `platform` is undefined when the platform file could not be loaded (its own problems are reported by its loader). */
export function checkContracts(contracts: readonly LoadedContract[], catalog: Catalog, platform: Platform | undefined): ContractProblem[] {
  const problems: ContractProblem[] = [];
  // Grants may name arguments (and input fields) that name a data subject, as well as fields.
  const subjects = subjectArguments(catalog.apiSchema, platform ?? NO_DECLARATIONS);
  if (platform) {
    for (const message of [...platformReferenceProblems(catalog, platform), ...identifierPartsProblems(catalog, platform), ...sealsProblems(catalog, platform)]) problems.push({ file: 'platform.yaml', message });
    for (const coordinate of misdeclaredSubjectArguments(catalog.apiSchema, platform)) {
      problems.push({ file: 'platform.yaml', coordinate, message: `subjectArguments: it is not a scalar argument or input field of the supergraph` });
    }
    for (const coordinate of undeclaredSubjectArguments(catalog.apiSchema, subjects)) {
      problems.push({
        file: 'platform.yaml',
        coordinate,
        message: `is a String named like a subject's key: type it as the key (IdNumber, CreditCode) or list it under subjectArguments, or naming a subject there is no read of them`,
      });
    }
  }
  for (const { file, contract } of contracts) {
    const at = (message: string, coordinate?: string) =>
      problems.push({ file, app: contract.app, ...(coordinate !== undefined && { coordinate }), message });
    if (contract.validFrom > contract.validUntil) at(`validFrom ${contract.validFrom} is after validUntil ${contract.validUntil}`);
    if (contract.approvedOn > contract.validUntil) at(`approvedOn ${contract.approvedOn} is after the contract ends (${contract.validUntil})`);
    const declared = new Set(contract.purposes.map((p) => p.code));
    for (const operation of contract.operations) {
      if (!declared.has(operation.purpose)) at(`operation ${operation.name} names purpose ${operation.purpose}, which the contract does not declare`);
    }
    if (contract.persistedOnly && contract.operations.length === 0) at('persistedOnly is set but no operation is registered');
    const codes = new Set<string>();
    for (const purpose of contract.purposes) {
      if (codes.has(purpose.code)) at(`purpose ${purpose.code} is declared twice`);
      codes.add(purpose.code);
      const from = purpose.validFrom ?? contract.validFrom;
      const until = purpose.validUntil ?? contract.validUntil;
      if (from > until) at(`purpose ${purpose.code}: validFrom ${from} is after validUntil ${until}`);
      if (from < contract.validFrom || until > contract.validUntil) at(`purpose ${purpose.code}: its dates lie outside the contract's`);
      const seen = new Set<string>();
      for (const grant of purpose.grants) {
        const coordinate = grantCoordinate(grant);
        if (seen.has(coordinate)) at(`granted twice under purpose ${purpose.code}`, coordinate);
        seen.add(coordinate);
        const mask = grantMask(grant);
        const argument = subjects.byCoordinate.get(coordinate);
        const facts = catalog.fields.get(argument ? sharingKey(catalog, argument) : coordinate);
        if (!facts) {
          at(unknownCoordinateProblem(catalog, coordinate), coordinate);
          continue;
        }
        if (facts.sharing.class === 'NONE') at('its department marks it NONE (不予共享): it cannot be granted', coordinate);
        if (facts.sharing.class === 'CONDITIONAL' && !(purpose.legalBasis ?? contract.legalBasis)) {
          at(`is CONDITIONAL: purpose ${purpose.code} needs a legal basis`, coordinate);
        }
        if (argument) {
          if (mask) at(`names a ${argument.subjects.join(' or ')}: a mask applies to what a field returns, not to what an argument names`, coordinate);
          continue;
        }
        const type = catalog.apiSchema.getType(facts.type);
        const fieldType = isObjectType(type) ? getNamedType(type.getFields()[facts.field]!.type) : undefined;
        if (mask && !(fieldType && isScalarType(fieldType) && TEXT_SCALARS.has(fieldType.name))) {
          at(`mask ${mask} applies only to text fields`, coordinate);
        }
      }
    }
    if (platform) for (const defeat of maskDefeats(contract, catalog, platform, subjects)) at(defeat.message, defeat.coordinate);
    if (platform) for (const guess of sealGuesses(contract, catalog, platform, subjects)) at(guess.message, guess.coordinate);
    if (platform) for (const problem of sameDatumProblems(contract, catalog, platform)) at(problem.message, problem.coordinate);
  }
  return problems;
}
