/**
 * One datum under several coordinates (TRUST.md, contract authors; docs/security.md D1b): a certificate's
 * `data` copies what the registers hold — the legal representative's name on a business licence is the
 * name public security keeps for that person. Grants and masks name coordinates, so `platform.yaml`
 * `sameDatum` says which coordinates carry the same datum, and two rules hold for the datum itself:
 * - a mask means what it says: a datum the app is shown masked under one coordinate, under any of its
 *   purposes, it is granted under every other coordinate with that same mask (purposes do not keep them
 *   apart: the same representative is read masked under one and in full under the other);
 * - a case binds persons to its subjects: a case-bound purpose is not granted a copy of another row's
 *   datum (the spouse's name on the applicant's marriage certificate). Read natively, through
 *   MarriageRegistration.spouse, that person is withheld as not the case's, so no grant beside the copy
 *   would make it the case's; the copy would carry them past the binding, unnamed in the audit record.
 *   An operator-bound purpose may hold such a copy: the row reaches only the person it belongs to, who
 *   reads what was issued to them (their own marriage certificate names their spouse).
 */
import { getNamedType, isObjectType } from 'graphql';
import { grantCoordinate, grantMask, type ContractDocument } from './contract-schema';
import type { MaskProfile } from './masking';
import { caseBinds, type Platform } from './platform-schema';
import { pathCoordinates, type Catalog } from './supergraph-catalog';

export interface Copy {
  /** The coordinate that holds the datum natively (the path's last field), e.g. Person.name. */
  datum: string;
  /** The path to it as declared, e.g. Enterprise.legalRepresentative.name. */
  path: string;
  /** The edges the path follows to reach the datum's row (Enterprise.legalRepresentative), with the type each returns. */
  edges: Array<{ coordinate: string; type: string }>;
}

/** Each declared copy, by its coordinate; a declaration whose path the graph lacks is left out (platform-references reports it). */
export function copiesOf(catalog: Catalog, platform: Pick<Platform, 'sameDatum'>): Map<string, Copy> {
  const copies = new Map<string, Copy>();
  for (const [copy, path] of Object.entries(platform.sameDatum)) {
    const [type, ...rest] = path.split('.') as [string, ...string[]];
    const through = pathCoordinates(catalog, type, rest.join('.'));
    if (!through) continue;
    const edges = through.slice(0, -1).map((coordinate) => ({ coordinate, type: returnedType(catalog, coordinate) }));
    copies.set(copy, { datum: through.at(-1)!, path, edges });
  }
  return copies;
}

function returnedType(catalog: Catalog, coordinate: string): string {
  const [owner, field] = coordinate.split('.') as [string, string];
  const type = catalog.apiSchema.getType(owner);
  return isObjectType(type) ? getNamedType(type.getFields()[field]!.type).name : '';
}

/** Every coordinate that carries the same datum as `coordinate` (itself included). */
export function carriersOf(copies: ReadonlyMap<string, Copy>, coordinate: string): string[] {
  const datum = copies.get(coordinate)?.datum ?? coordinate;
  return [datum, ...[...copies].filter(([, copy]) => copy.datum === datum).map(([carrier]) => carrier)];
}

export interface DatumProblem {
  purpose: string;
  /** The grant refused. */
  coordinate: string;
  message: string;
}

interface Granted {
  purpose: string;
  coordinate: string;
  mask: MaskProfile | undefined;
}

export function sameDatumProblems(contract: ContractDocument, catalog: Catalog, platform: Pick<Platform, 'sameDatum' | 'cases' | 'subjectKeys'>): DatumProblem[] {
  const copies = copiesOf(catalog, platform);
  return [...maskSplits(contract, copies), ...copiesPastCases(contract, copies, caseBinds(platform))];
}

/** A datum masked under one coordinate and granted under another without that mask, by any two purposes of the app. */
function maskSplits(contract: ContractDocument, copies: ReadonlyMap<string, Copy>): DatumProblem[] {
  const byDatum = new Map<string, Granted[]>();
  for (const purpose of contract.purposes) {
    for (const grant of purpose.grants) {
      const coordinate = grantCoordinate(grant);
      const datum = copies.get(coordinate)?.datum ?? coordinate;
      byDatum.set(datum, [...(byDatum.get(datum) ?? []), { purpose: purpose.code, coordinate, mask: grantMask(grant) }]);
    }
  }
  const problems: DatumProblem[] = [];
  for (const grants of byDatum.values()) {
    for (const grant of grants) {
      const masked = grants.find((other) => other.mask && other.coordinate !== grant.coordinate && other.mask !== grant.mask);
      if (!masked) continue;
      const where = masked.purpose === grant.purpose ? 'which it grants' : `which purpose ${masked.purpose} grants`;
      problems.push({
        purpose: grant.purpose,
        coordinate: grant.coordinate,
        message:
          `purpose ${grant.purpose} grants ${grant.coordinate} ${grant.mask ? `masked ${grant.mask}` : 'unmasked'}, the same datum as ${masked.coordinate} (platform.yaml sameDatum), ` +
          `${where} masked ${masked.mask}: the mask hides nothing from this app; grant every coordinate of the datum masked ${masked.mask}`,
      });
    }
  }
  return problems;
}

/** A copy of another row's datum (a person the copy's row only names) granted under a purpose bound to a case. */
function copiesPastCases(contract: ContractDocument, copies: ReadonlyMap<string, Copy>, binds: ReadonlySet<string>): DatumProblem[] {
  const problems: DatumProblem[] = [];
  for (const purpose of contract.purposes.filter((p) => p.caseRequired)) {
    for (const grant of purpose.grants) {
      const coordinate = grantCoordinate(grant);
      const edge = copies.get(coordinate)?.edges.find((e) => binds.has(e.type));
      if (!edge) continue;
      problems.push({
        purpose: purpose.code,
        coordinate,
        message:
          `purpose ${purpose.code} is bound to a case and grants ${coordinate}, a copy of ${copies.get(coordinate)!.path} (platform.yaml sameDatum): ` +
          `another ${edge.type} than the row's, reached through ${edge.coordinate}, whom the case withholds there; the copy would carry them past it, unnamed in the audit record`,
      });
    }
  }
  return problems;
}
