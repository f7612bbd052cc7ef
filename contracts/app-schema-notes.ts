/**
 * What an app's own schema tells its front-end team besides the types: on each field — and on each
 * argument or input field that names a data subject — the purposes of its contract that grant it today,
 * their conditions and the mask applied; on each entity type, the field its cache key is (Apollo
 * Client's `keyFields`). Served by the gateway's introspection and printed by `contracts schema --app`.
 *
 * Everything is derived from that one app's grants in force (AccessPolicy.grantsInForce), so no other
 * app's purposes or masks show, and no field outside the app's own schema is named.
 */
import type { GraphQLSchema } from 'graphql';
import type { AccessPolicy, GrantInForce } from './access-policy';
import { appSchema } from './app-schema';
import { MASK_DESCRIPTIONS, type MaskProfile } from './masking';
import type { SharingClass } from './sharing-class';

export interface AppSchemaNotes {
  /** A note by field (`Person.name`), argument (`Query.person(idNumber:)`) or input field coordinate. */
  fields: ReadonlyMap<string, string>;
  /** A note by entity type name. */
  types: ReadonlyMap<string, string>;
}

const maskText = (mask: MaskProfile) => `${mask} — ${MASK_DESCRIPTIONS[mask]}`;

function conditionsOf(grant: GrantInForce): string[] {
  return [grant.caseBound ? 'needs X-Case-Id' : '', grant.operatorBound ? "the operator's own data only" : ''].filter(Boolean);
}

/** A purpose with its conditions: `CROSS_PROVINCE_CASE (needs X-Case-Id)`. */
function purposeText(grant: GrantInForce): string {
  const conditions = conditionsOf(grant);
  return conditions.length > 0 ? `${grant.purpose} (${conditions.join('; ')})` : grant.purpose;
}

/**
 * One line on what a field needs and how it comes back, e.g. `Purposes: LEGAL_REPRESENTATIVE_CHECK.
 * Masked: NAME — name: surname only (张**).` A CONDITIONAL field (or one whose class is unknown) needs
 * one of its purposes in X-Purpose; an UNCONDITIONAL one needs none, and without one the gate takes its
 * first grant that needs no case (access-policy.ts), whose mask and conditions then apply.
 */
export function accessNote(sharingClass: SharingClass | undefined, grants: readonly GrantInForce[]): string {
  const unconditional = sharingClass === 'UNCONDITIONAL';
  const fallback = grants.find((g) => !g.caseBound) ?? grants[0]!;
  const parts: string[] = [];
  if (unconditional) {
    const conditions = conditionsOf(fallback);
    parts.push(`Purposes: none needed (shared unconditionally${conditions.map((c) => `; ${c}`).join('')}).`);
  } else {
    parts.push(`Purposes: ${grants.map(purposeText).join(', ')}.`);
  }
  const byMask = new Map<MaskProfile | undefined, string[]>();
  for (const grant of grants) byMask.set(grant.mask, [...(byMask.get(grant.mask) ?? []), grant.purpose]);
  if (byMask.size === 1) {
    if (grants[0]!.mask) parts.push(`Masked: ${maskText(grants[0]!.mask)}.`);
  } else {
    const each = [...byMask].map(([mask, purposes]) => `${mask ? maskText(mask) : 'not masked'} under ${purposes.join(', ')}`);
    parts.push(`Masked: ${each.join('; ')}.`);
    if (unconditional) parts.push(`Without X-Purpose, as under ${fallback.purpose}.`);
  }
  return parts.join(' ');
}

/**
 * The cache key of an entity type for this app: its key fields when the app reads every one of them
 * unmasked; otherwise none (a masked ID number may repeat across persons), saying why without naming
 * a field the app may not read. `keys` is the union of the type's keys (supergraph-catalog.ts), which
 * identifies its objects whichever key it came from.
 */
export function cacheKeyNote(keys: readonly string[], grants: ReadonlyMap<string, readonly GrantInForce[]>, typeName: string): string {
  const none = 'Apollo Client: keyFields: false';
  const granted = keys.map((key) => grants.get(`${typeName}.${key}`));
  if (granted.some((g) => g === undefined)) return `Cache key: none for this app, which may not read the whole key (${none}).`;
  const masked = keys.filter((_, i) => granted[i]!.some((g) => g.mask !== undefined));
  if (masked.length > 0) return `Cache key: none for this app: ${masked.join(', ')} comes masked, and masked values may repeat (${none}).`;
  return `Cache key: ${keys.join(', ')} (Apollo Client: keyFields: ${JSON.stringify(keys)}).`;
}

/** The notes for one app's own schema today. */
export function appSchemaNotes(policy: AccessPolicy, app: string, now: Date): AppSchemaNotes & { grants: ReadonlyMap<string, readonly GrantInForce[]> } {
  const grants = policy.grantsInForce(app, now);
  const fields = new Map<string, string>();
  for (const [coordinate, entries] of grants) {
    const note = accessNote(policy.sharingOf(coordinate)?.class, entries);
    fields.set(coordinate, policy.subjects.byCoordinate.has(coordinate) ? `Names a data subject: giving it is a read of that subject. ${note}` : note);
  }
  const types = new Map<string, string>();
  for (const [typeName, keys] of policy.catalog.keyFields) types.set(typeName, cacheKeyNote([...keys], grants, typeName));
  return { fields, types, grants };
}

/**
 * The schema one app sees today, described for it: what the gateway's introspection answers and
 * `contracts schema --app` prints. Undefined when the app can read nothing.
 */
export function describedAppSchema(policy: AccessPolicy, apiSchema: GraphQLSchema, app: string, now: Date): GraphQLSchema | undefined {
  const notes = appSchemaNotes(policy, app, now);
  return appSchema(apiSchema, new Set(notes.grants.keys()), policy.subjects, notes);
}
