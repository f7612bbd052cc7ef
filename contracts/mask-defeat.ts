/**
 * Grants that together defeat a mask (TRUST.md, contract authors): a masked identifier beside the fields
 * that carry what its hidden characters encode — `110105********002X` and a birth date of 1949-12-31 are
 * the whole ID number. What each identifier encodes is declared in `platform.yaml` (`identifierParts`);
 * what each mask hides comes from the mask itself. A mask is defeated when every character it hides is
 * carried by a field the app can read in the same request (or a copy of it, `platform.yaml` sameDatum), or all but one and the check character is
 * shown (the check character gives the last unknown one). It is also defeated by any argument that names
 * a subject by that key (`Query.person(idNumber:)`), under any purpose of the app, bound to a case or not:
 * the argument tests the value it is given for equality (a wrong one is refused or finds nothing, the right
 * one answers), so the app tries the values the mask leaves open, one request each, until one answers.
 */
import { getNamedType, isInputObjectType, isObjectType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { grantCoordinate, grantMask, type ContractDocument, type GrantDocument, type PurposeDocument } from './contract-schema';
import { hiddenCharacters, type MaskProfile } from './masking';
import { carriersOf, copiesOf } from './same-datum';
import type { Platform } from './platform-schema';
import { argumentCoordinate, sharingKey, type SubjectArguments } from './subject-arguments';
import { pathCoordinates, type Catalog } from './supergraph-catalog';

export interface MaskDefeat {
  purpose: string;
  /** The masked identifier. */
  coordinate: string;
  mask: MaskProfile;
  /** The granted fields that carry its hidden characters. */
  fields: string[];
  message: string;
}

interface Readable {
  mask: MaskProfile | undefined;
  /** Granted under a purpose that binds rows to the operator or a case (an argument then names only those). */
  bound: boolean;
}

/**
 * What a request stating this purpose can read, with masks: the purpose's own grants, and the other
 * purposes' grants of UNCONDITIONAL fields and arguments (those need no stated purpose, AccessPolicy.decide).
 */
export function readableUnder(contract: ContractDocument, stated: PurposeDocument, catalog: Catalog, subjects: SubjectArguments): Map<string, Readable> {
  const readable = new Map<string, Readable>();
  const entry = (purpose: PurposeDocument, grant: GrantDocument): Readable => ({ mask: grantMask(grant), bound: purpose.caseRequired || purpose.subjectIsOperator });
  for (const purpose of contract.purposes) {
    if (purpose === stated) continue;
    for (const grant of purpose.grants) {
      const coordinate = grantCoordinate(grant);
      const argument = subjects.byCoordinate.get(coordinate);
      const sharing = catalog.fields.get(argument ? sharingKey(catalog, argument) : coordinate)?.sharing;
      if (sharing?.class === 'UNCONDITIONAL' && !readable.has(coordinate)) readable.set(coordinate, entry(purpose, grant));
    }
  }
  for (const grant of stated.grants) readable.set(grantCoordinate(grant), entry(stated, grant));
  return readable;
}

const positions = (characters: Iterable<number>) => {
  const sorted = [...characters].sort((a, b) => a - b);
  return sorted.length > 1 && sorted.at(-1)! - sorted[0]! === sorted.length - 1 ? `${sorted[0]}–${sorted.at(-1)}` : sorted.join(', ');
};

export function maskDefeats(contract: ContractDocument, catalog: Catalog, platform: Pick<Platform, 'identifierParts' | 'sameDatum'>, subjects: SubjectArguments): MaskDefeat[] {
  const defeats: MaskDefeat[] = [...lookupDefeats(contract, catalog, subjects)];
  const copies = copiesOf(catalog, platform);
  for (const purpose of contract.purposes) {
    const readable = readableUnder(contract, purpose, catalog, subjects);
    for (const [coordinate, encoding] of Object.entries(platform.identifierParts)) {
      const mask = readable.get(coordinate)?.mask;
      const hidden = mask && hiddenCharacters(mask, encoding.length);
      if (!mask || !hidden || hidden.size === 0) continue;
      const type = coordinate.split('.')[0]!;
      const carried = new Set<number>();
      const fields: string[] = [];
      for (const part of encoding.parts) {
        const through = pathCoordinates(catalog, type, part.field);
        if (!through || !part.characters.some((c) => hidden.has(c))) continue;
        // The part's field itself, or a copy of it (platform.yaml sameDatum: the birth date on an ID card).
        const carrier = through.every((c) => readable.has(c)) ? through.at(-1) : carriersOf(copies, through.at(-1)!).find((c) => c !== through.at(-1) && readable.has(c));
        if (!carrier) continue;
        part.characters.forEach((c) => carried.add(c));
        fields.push(carrier);
      }
      const unknown = [...hidden].filter((c) => !carried.has(c));
      const check = encoding.checkCharacter;
      const recovered = unknown.length === 0 || (unknown.length === 1 && check !== undefined && (unknown[0] === check || !hidden.has(check)));
      if (!recovered) continue;
      const rest = unknown.length === 0 ? '' : unknown[0] === check ? ` (the check character ${check} follows from them)` : ` (character ${unknown[0]} follows from the check character)`;
      defeats.push({
        purpose: purpose.code,
        coordinate,
        mask,
        fields,
        message:
          `purpose ${purpose.code} grants ${coordinate} masked ${mask}, which hides characters ${positions(hidden)}, ` +
          `beside ${fields.join(', ')}, which ${fields.length === 1 ? 'carries' : 'carry'} ${positions(carried)}${rest}: ` +
          'together they rebuild the masked value',
      });
    }
  }
  return defeats;
}

/** Where the contract masks each field, under any of its purposes (the first such grant). */
export function maskedAnywhere(contract: ContractDocument): Map<string, { purpose: string; mask: MaskProfile }> {
  const masked = new Map<string, { purpose: string; mask: MaskProfile }>();
  for (const purpose of contract.purposes) {
    for (const grant of purpose.grants) {
      const mask = grantMask(grant);
      if (mask && !masked.has(grantCoordinate(grant))) masked.set(grantCoordinate(grant), { purpose: purpose.code, mask });
    }
  }
  return masked;
}

/**
 * An argument naming a subject by a key the app is shown masked, under any of its purposes: the masked
 * value is read once, and the candidates it leaves open are tried in later requests, so purposes do not
 * keep them apart, and a case binding only makes a wrong candidate a refusal instead of a miss.
 */
function lookupDefeats(contract: ContractDocument, catalog: Catalog, subjects: SubjectArguments): MaskDefeat[] {
  const masked = maskedAnywhere(contract);
  const lookups = readArguments(catalog.apiSchema);
  const defeats: MaskDefeat[] = [];
  for (const purpose of contract.purposes) {
    for (const grant of purpose.grants) {
      const argument = lookups.has(grantCoordinate(grant)) ? subjects.byCoordinate.get(grantCoordinate(grant)) : undefined;
      for (const key of argument?.keys ?? []) {
        const shown = masked.get(key);
        if (!argument || !shown) continue;
        const where = shown.purpose === purpose.code ? 'beside' : `and purpose ${shown.purpose} grants`;
        defeats.push({
          purpose: purpose.code,
          coordinate: key,
          mask: shown.mask,
          fields: [argument.coordinate],
          message:
            `purpose ${purpose.code} grants ${argument.coordinate}, which tests the ${key} it is given (a wrong one finds nothing or is refused), ` +
            `${where} ${key} masked ${shown.mask}: trying the values the mask leaves open rebuilds it; reach the subject through its case or record instead`,
        });
      }
    }
  }
  return defeats;
}

/**
 * The arguments of reads, and the fields of the input objects they take: every one but a mutation's. A
 * mutation writes the key it is given (a licence names the representative it is told) rather than finding
 * a row by it.
 */
function readArguments(schema: GraphQLSchema): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const inputs = (type: GraphQLNamedType) => {
    if (!isInputObjectType(type) || seen.has(type.name)) return;
    seen.add(type.name);
    for (const field of Object.values(type.getFields())) {
      found.add(`${type.name}.${field.name}`);
      inputs(getNamedType(field.type));
    }
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type === schema.getMutationType() || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      for (const argument of field.args) {
        found.add(argumentCoordinate(type.name, field.name, argument.name));
        inputs(getNamedType(argument.type));
      }
    }
  }
  return found;
}

/** Problems of `identifierParts` itself: every identifier and path must be in the graph. */
export function identifierPartsProblems(catalog: Catalog, platform: Pick<Platform, 'identifierParts'>): string[] {
  const problems: string[] = [];
  for (const [coordinate, encoding] of Object.entries(platform.identifierParts)) {
    if (!catalog.fields.has(coordinate)) problems.push(`identifierParts: ${coordinate} is not a field of the supergraph`);
    for (const part of encoding.parts) {
      if (!pathCoordinates(catalog, coordinate.split('.')[0]!, part.field)) problems.push(`identifierParts: ${coordinate}: ${part.field} is not a path from ${coordinate.split('.')[0]}`);
      if (part.characters.some((c) => c > encoding.length)) problems.push(`identifierParts: ${coordinate}: characters of ${part.field} lie beyond its length ${encoding.length}`);
    }
  }
  return problems;
}
