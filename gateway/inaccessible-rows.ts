/**
 * A union or interface field of a subgraph may return rows of an object type the supergraph keeps out
 * of its API (`@inaccessible` on the type): the subgraph's schema has the type, the API does not, so no
 * client can be shown such a row, not even its `__typename`. Taken out of a subgraph's answer before
 * either executor merges it — left out of lists, null elsewhere — as the result gate leaves out a row the
 * app may not read. Left in, one such row made the whole answer null ("Invalid __typename found").
 */

type Row = Record<string, unknown>;

const isRow = (value: unknown): value is Row => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether a value is a row of a kept-out type (the planner asks `__typename` wherever a type is abstract). */
function keptOut(value: unknown, types: ReadonlySet<string>): boolean {
  return isRow(value) && typeof value['__typename'] === 'string' && types.has(value['__typename']);
}

function clean(value: unknown, types: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    const kept = value.filter((item) => !keptOut(item, types));
    for (let i = 0; i < kept.length; i++) kept[i] = clean(kept[i], types);
    return kept;
  }
  if (!isRow(value)) return value;
  for (const key of Object.keys(value)) value[key] = keptOut(value[key], types) ? null : clean(value[key], types);
  return value;
}

/**
 * A subgraph's `data` without the rows of the given types. `_entities` keeps its length (the answer to
 * each representation stays at its index): such a row there becomes null.
 */
export function withoutInaccessibleRows(data: unknown, types: ReadonlySet<string>): unknown {
  if (types.size === 0 || !isRow(data)) return data;
  const entities = data['_entities'];
  if (Array.isArray(entities)) {
    return { ...data, _entities: entities.map((entity) => (keptOut(entity, types) ? null : clean(entity, types))) };
  }
  return clean(data, types);
}
