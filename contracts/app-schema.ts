/**
 * The API schema one app sees: only the fields its contract grants today, and the types they reach.
 * Served to the app by introspection and printed by `contracts schema --app` for its front-end team.
 */
import {
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLFieldConfigMap,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from 'graphql';

/** Undefined when the app can read nothing at all. Object types only: interfaces are not pruned yet. */
export function appSchema(apiSchema: GraphQLSchema, granted: ReadonlySet<string>): GraphQLSchema | undefined {
  // A field stays when it is granted and its type keeps at least one field; repeat until nothing changes.
  const kept = new Map<string, Set<string>>();
  for (const type of Object.values(apiSchema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    kept.set(type.name, new Set(Object.keys(type.getFields()).filter((f) => granted.has(`${type.name}.${f}`))));
  }
  const usable = (type: GraphQLNamedType) => !isObjectType(type) || (kept.get(type.name)?.size ?? 0) > 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [typeName, fields] of kept) {
      const type = apiSchema.getType(typeName) as GraphQLObjectType;
      for (const field of [...fields]) {
        if (!usable(getNamedType(type.getFields()[field]!.type))) {
          fields.delete(field);
          changed = true;
        }
      }
    }
  }

  const rebuilt = new Map<string, GraphQLObjectType>();
  const objectType = (type: GraphQLObjectType): GraphQLObjectType => {
    const existing = rebuilt.get(type.name);
    if (existing) return existing;
    const config = type.toConfig();
    const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
    const made = new GraphQLObjectType({
      ...config,
      interfaces: [],
      fields: () => {
        for (const name of kept.get(type.name) ?? []) {
          const field = config.fields[name]!;
          fields[name] = { ...field, type: rewrap(field.type) };
        }
        return fields;
      },
    });
    rebuilt.set(type.name, made);
    return made;
  };
  // Output types keep their wrapping (lists, non-null); object types are swapped for their pruned copies.
  const rewrap = (type: GraphQLOutputType): GraphQLOutputType => {
    if (isNonNullType(type)) return new GraphQLNonNull(rewrap(type.ofType));
    if (isListType(type)) return new GraphQLList(rewrap(type.ofType));
    return isObjectType(type) ? objectType(type) : type;
  };

  const root = (type: GraphQLObjectType | null | undefined) => (type && (kept.get(type.name)?.size ?? 0) > 0 ? objectType(type) : undefined);
  const query = root(apiSchema.getQueryType());
  if (!query) return undefined;
  return new GraphQLSchema({ query, mutation: root(apiSchema.getMutationType()) ?? null, description: apiSchema.description });
}
