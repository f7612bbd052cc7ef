/**
 * Guesses tested against a seal (TRUST.md, contract authors): a field computed from every sealed field of a
 * row — a certificate's signature over the digests of its fields, its sealed file — verifies with the
 * issuer's public key only when each sealed field is right. An app that reads it can try values of a sealed
 * field it does not see until the seal verifies: a birth date a mask hides in the holder's ID number, a
 * household size it is not granted. So reading it is reading every sealed field (`platform.yaml` seals):
 * the purpose that grants it must grant them all, unmasked, and no purpose of the app may mask a sealed key.
 */
import { getNamedType, isObjectType, isUnionType } from 'graphql';
import { grantCoordinate, type ContractDocument } from './contract-schema';
import { maskedAnywhere, readableUnder } from './mask-defeat';
import type { Platform } from './platform-schema';
import type { SubjectArguments } from './subject-arguments';
import { pathCoordinates, type Catalog } from './supergraph-catalog';

export interface SealGuess {
  purpose: string;
  /** The sealed-in field granted. */
  coordinate: string;
  message: string;
}

/**
 * The field coordinates a path stands for: its last field, or every field under it when it is an object or
 * union (a type met again on the way, as in Person.certificates.holder, is not entered twice).
 */
export function fieldsUnder(catalog: Catalog, type: string, path: string, entered = new Set<string>([type])): string[] | undefined {
  const through = pathCoordinates(catalog, type, path);
  if (!through) return undefined;
  const last = through.at(-1)!;
  const [owner, field] = last.split('.') as [string, string];
  const ownerType = catalog.apiSchema.getType(owner);
  const named = isObjectType(ownerType) ? getNamedType(ownerType.getFields()[field]!.type) : undefined;
  const members = (isUnionType(named) ? named.getTypes() : isObjectType(named) ? [named] : []).filter((member) => !entered.has(member.name));
  if (members.length === 0) return [last];
  members.forEach((member) => entered.add(member.name));
  return [last, ...members.flatMap((member) => Object.keys(member.getFields()).flatMap((name) => fieldsUnder(catalog, member.name, name, entered) ?? []))];
}

const listed = (coordinates: readonly string[]) => (coordinates.length <= 4 ? coordinates.join(', ') : `${coordinates.slice(0, 4).join(', ')} and ${coordinates.length - 4} more`);

export function sealGuesses(contract: ContractDocument, catalog: Catalog, platform: Pick<Platform, 'seals'>, subjects: SubjectArguments): SealGuess[] {
  const guesses: SealGuess[] = [];
  const masked = maskedAnywhere(contract);
  for (const [type, seal] of Object.entries(platform.seals)) {
    const sealed = seal.fields.map((path) => ({ path, through: pathCoordinates(catalog, type, path) ?? [], fields: fieldsUnder(catalog, type, path) ?? [] }));
    for (const purpose of contract.purposes) {
      const own = new Set(purpose.grants.map(grantCoordinate));
      const readable = readableUnder(contract, purpose, catalog, subjects);
      const open = (coordinate: string) => readable.has(coordinate) && !readable.get(coordinate)!.mask;
      for (const path of seal.sealedIn) {
        const through = pathCoordinates(catalog, type, path);
        const coordinate = through?.at(-1);
        if (!through || !coordinate || !own.has(coordinate) || !through.every((c) => readable.has(c))) continue;
        const withheld = sealed.flatMap((s) => [...s.through.slice(0, -1), ...s.fields].filter((c) => !open(c)));
        if (withheld.length > 0) {
          guesses.push({
            purpose: purpose.code,
            coordinate,
            message:
              `purpose ${purpose.code} grants ${coordinate}, computed from every sealed field of a ${type}, without ${listed([...new Set(withheld)])}: ` +
              'guesses of those can be tested against it with the issuer\'s public key',
          });
        }
        for (const key of seal.keys) {
          const shown = masked.get(key);
          if (!shown) continue;
          const where = shown.purpose === purpose.code ? 'beside' : `and purpose ${shown.purpose} grants`;
          guesses.push({
            purpose: purpose.code,
            coordinate,
            message:
              `purpose ${purpose.code} grants ${coordinate}, computed from a ${type}'s sealed fields with its holder's ${key}, ` +
              `${where} ${key} masked ${shown.mask}: trying the values the mask leaves open against the seal rebuilds it`,
          });
        }
      }
    }
  }
  return guesses;
}

/** Problems of `seals` itself: every path must be in the graph. */
export function sealsProblems(catalog: Catalog, platform: Pick<Platform, 'seals'>): string[] {
  const problems: string[] = [];
  for (const [type, seal] of Object.entries(platform.seals)) {
    for (const path of [...seal.sealedIn, ...seal.fields]) if (!pathCoordinates(catalog, type, path)) problems.push(`seals: ${type}: ${path} is not a path from ${type}`);
    for (const key of seal.keys) if (!catalog.fields.has(key)) problems.push(`seals: ${type}: ${key} is not a field of the supergraph`);
  }
  return problems;
}
