/**
 * A caller's region restriction (from its contract and its token, carried in the gateway token) applied
 * where the rows are: a department narrows its own list queries, so a Guangzhou app's first page is a
 * page of Guangzhou rows rather than an empty one.
 */

/**
 * The narrowest region prefix that satisfies both a requested region and the caller's restrictions, or
 * null when they cannot overlap (no row can be shown).
 */
export function narrowRegion(requested: string | undefined, restrictions: readonly string[] = []): string | undefined | null {
  let narrowest = requested;
  for (const prefix of restrictions) {
    if (narrowest === undefined || prefix.startsWith(narrowest)) narrowest = prefix;
    else if (!narrowest.startsWith(prefix)) return null;
  }
  return narrowest;
}

/** The kit's departments test a row's region as the gateway does. */
export { withinRegions } from '../../contracts/caller';
