/**
 * The API schema one app sees: only the fields its contract grants today, and the types they reach.
 * Served to the app by introspection and printed by `contracts schema --app` for its front-end team.
 *
 * Grants name object-type fields. An interface keeps the fields that every remaining implementation
 * keeps (so the schema stays valid); a union keeps its remaining members; a type left with nothing
 * disappears, and so do the fields that return it. An argument or input field naming a data subject
 * (`subject-arguments.ts`) is kept only if granted; a field that cannot be called without one goes.
 * Notes for the app (app-schema-notes.ts: purposes, masks, cache keys) are appended to the descriptions.
 */
import {
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLUnionType,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from 'graphql';
import type { AppSchemaNotes } from './app-schema-notes';
import { argumentCoordinate, type SubjectArguments } from './subject-arguments';

/** A description with a note appended as a paragraph of its own. */
function withNote(description: string | null | undefined, note: string | undefined): string | null | undefined {
  if (!note) return description;
  return description ? `${description}\n\n${note}` : note;
}

/** Which arguments and input fields naming a subject an app may give. */
class GrantedArguments {
  constructor(
    private readonly subjects: SubjectArguments,
    private readonly granted: ReadonlySet<string>,
  ) {}

  /** False for an argument or input field that names a subject and is not granted. */
  allows(coordinate: string): boolean {
    return !this.subjects.byCoordinate.has(coordinate) || this.granted.has(coordinate);
  }

  /** Whether a value of this type can be given at all: none of its required input fields is withheld. */
  usable(type: GraphQLInputType, seen = new Set<string>()): boolean {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return true;
    seen.add(named.name);
    return Object.values(named.getFields()).every(
      (field) => !isNonNullType(field.type) || (this.allows(`${named.name}.${field.name}`) && this.usable(field.type, seen)),
    );
  }

  /** Whether a field can be called: every required argument may be given. */
  callable(owner: string, field: string, args: readonly GraphQLArgument[]): boolean {
    return args.every((a) => !isNonNullType(a.type) || (this.allows(argumentCoordinate(owner, field, a.name)) && this.usable(a.type)));
  }
}

type Kept = Map<string, Set<string>>;

function keptFields(apiSchema: GraphQLSchema, granted: ReadonlySet<string>, grantedArguments: GrantedArguments): { objects: Kept; interfaces: Kept; unions: Map<string, string[]> } {
  const objects: Kept = new Map();
  const interfaces: Kept = new Map();
  const unions = new Map<string, string[]>();
  for (const type of Object.values(apiSchema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) {
      const fields = Object.values(type.getFields()).filter((f) => granted.has(`${type.name}.${f.name}`) && grantedArguments.callable(type.name, f.name, f.args));
      objects.set(type.name, new Set(fields.map((f) => f.name)));
    }
  }
  const alive = (type: GraphQLNamedType): boolean => {
    if (isObjectType(type)) return (objects.get(type.name)?.size ?? 0) > 0;
    if (isInterfaceType(type)) return (interfaces.get(type.name)?.size ?? 0) > 0;
    if (isUnionType(type)) return (unions.get(type.name)?.length ?? 0) > 0;
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const type of Object.values(apiSchema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isInterfaceType(type)) {
        const implementations = apiSchema.getPossibleTypes(type).filter(alive);
        const fields = new Set(Object.keys(type.getFields()).filter((f) => implementations.length > 0 && implementations.every((o) => objects.get(o.name)!.has(f))));
        if (fields.size !== (interfaces.get(type.name)?.size ?? -1)) changed = true;
        interfaces.set(type.name, fields);
      } else if (isUnionType(type)) {
        const members = type.getTypes().filter(alive).map((o) => o.name);
        if (members.length !== (unions.get(type.name)?.length ?? -1)) changed = true;
        unions.set(type.name, members);
      }
    }
    for (const [typeName, fields] of [...objects, ...interfaces]) {
      const type = apiSchema.getType(typeName) as GraphQLObjectType | GraphQLInterfaceType;
      for (const field of [...fields]) {
        if (!alive(getNamedType(type.getFields()[field]!.type))) {
          fields.delete(field);
          changed = true;
        }
      }
    }
  }
  return { objects, interfaces, unions };
}

/** Undefined when the app can read nothing at all. */
export function appSchema(apiSchema: GraphQLSchema, granted: ReadonlySet<string>, subjects: SubjectArguments, notes?: AppSchemaNotes): GraphQLSchema | undefined {
  const fieldNote = (description: string | null | undefined, coordinate: string) => withNote(description, notes?.fields.get(coordinate));
  const grantedArguments = new GrantedArguments(subjects, granted);
  const kept = keptFields(apiSchema, granted, grantedArguments);
  const built = new Map<string, GraphQLNamedType>();
  const inputs = new Map<string, GraphQLInputObjectType>();

  /** An input type without the subject fields the app may not give. */
  const input = (type: GraphQLInputType): GraphQLInputType => {
    if (isNonNullType(type)) return new GraphQLNonNull(input(type.ofType));
    if (isListType(type)) return new GraphQLList(input(type.ofType));
    if (!isInputObjectType(type)) return type;
    let made = inputs.get(type.name);
    if (!made) {
      const config = type.toConfig();
      const fields = () => {
        const kept: GraphQLInputFieldConfigMap = {};
        for (const [name, field] of Object.entries(config.fields)) {
          const coordinate = `${type.name}.${name}`;
          if (grantedArguments.allows(coordinate)) kept[name] = { ...field, type: input(field.type), description: fieldNote(field.description, coordinate) };
        }
        return kept;
      };
      inputs.set(type.name, (made = new GraphQLInputObjectType({ ...config, fields })));
    }
    return made;
  };

  const pruneFields = (type: GraphQLObjectType | GraphQLInterfaceType, names: ReadonlySet<string>) => () => {
    const config = type.toConfig().fields;
    const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
    for (const name of names) {
      // An interface keeps an argument only if every implementation does.
      const owners = isInterfaceType(type) ? apiSchema.getPossibleTypes(type).map((o) => o.name) : [type.name];
      const args = Object.fromEntries(
        Object.entries(config[name]!.args ?? {})
          .filter(([argument]) => owners.every((owner) => grantedArguments.allows(argumentCoordinate(owner, name, argument))))
          .map(([argument, argumentConfig]) => [
            argument,
            { ...argumentConfig, type: input(argumentConfig.type), description: fieldNote(argumentConfig.description, argumentCoordinate(type.name, name, argument)) },
          ]),
      );
      fields[name] = { ...config[name]!, args, type: rewrap(config[name]!.type), description: fieldNote(config[name]!.description, `${type.name}.${name}`) };
    }
    return fields;
  };
  const liveInterfaces = (type: GraphQLObjectType | GraphQLInterfaceType) =>
    type.getInterfaces().filter((i) => (kept.interfaces.get(i.name)?.size ?? 0) > 0).map((i) => named(i) as GraphQLInterfaceType);

  const named = (type: GraphQLNamedType): GraphQLNamedType => {
    const existing = built.get(type.name);
    if (existing) return existing;
    let made: GraphQLNamedType = type;
    if (isObjectType(type)) {
      const config = type.toConfig();
      made = new GraphQLObjectType({
        ...config,
        description: withNote(config.description, notes?.types.get(type.name)),
        interfaces: () => liveInterfaces(type),
        fields: pruneFields(type, kept.objects.get(type.name)!),
      });
    } else if (isInterfaceType(type)) {
      made = new GraphQLInterfaceType({ ...type.toConfig(), interfaces: () => liveInterfaces(type), fields: pruneFields(type, kept.interfaces.get(type.name)!) });
    } else if (isUnionType(type)) {
      const members = kept.unions.get(type.name)!;
      made = new GraphQLUnionType({ ...type.toConfig(), types: () => members.map((m) => named(apiSchema.getType(m)!) as GraphQLObjectType) });
    }
    built.set(type.name, made);
    return made;
  };
  // Output types keep their wrapping (lists, non-null); composite types are swapped for their pruned copies.
  const rewrap = (type: GraphQLOutputType): GraphQLOutputType => {
    if (isNonNullType(type)) return new GraphQLNonNull(rewrap(type.ofType));
    if (isListType(type)) return new GraphQLList(rewrap(type.ofType));
    return named(type) as GraphQLOutputType;
  };

  const root = (type: GraphQLObjectType | null | undefined) =>
    type && (kept.objects.get(type.name)?.size ?? 0) > 0 ? (named(type) as GraphQLObjectType) : undefined;
  const query = root(apiSchema.getQueryType());
  if (!query) return undefined;
  const implementations = [...kept.objects].filter(([, fields]) => fields.size > 0).map(([name]) => apiSchema.getType(name)!);
  return new GraphQLSchema({
    query,
    mutation: root(apiSchema.getMutationType()) ?? null,
    description: apiSchema.description,
    // Objects reachable only through an interface must still be listed.
    types: implementations.filter((t) => isObjectType(t) && t.getInterfaces().length > 0).map(named),
  });
}
