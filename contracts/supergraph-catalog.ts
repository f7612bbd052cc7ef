/**
 * What the contracts are checked and compiled against: every field of a composed supergraph's API
 * schema, with the sharing class its department declared, the departments that resolve it, and the key
 * fields of each entity — and what the supergraph keeps out of its API schema (`@inaccessible`), which
 * no contract can grant.
 */
import { Supergraph } from '@apollo/federation-internals';
import {
  Kind,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLSchema,
  type InterfaceTypeDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type TypeNode,
} from 'graphql';
import { readSharingDirective, type SharingClass, type SharingDeclaration } from './sharing-class';

export interface FieldFacts {
  coordinate: string;
  type: string;
  field: string;
  sharing: SharingDeclaration;
  /** False when the department declared nothing and the platform default applies. */
  declared: boolean;
  /**
   * The departments (subgraph names) that resolve the field. An entity's key is resolvable in every
   * department that extends the entity, but only to join: it is the owner's, the department that defines
   * the entity rather than extends it (`@join__type(extension: true)`, see entity-owners.ts).
   */
  subgraphs: string[];
  isKey: boolean;
}

export interface Catalog {
  apiSchema: GraphQLSchema;
  fields: ReadonlyMap<string, FieldFacts>;
  /** Key fields of each entity type, over all its keys. */
  keyFields: ReadonlyMap<string, ReadonlySet<string>>;
  subgraphs: readonly string[];
  /**
   * Coordinates the supergraph defines but its API schema leaves out (`@inaccessible` fields, the fields
   * of `@inaccessible` types, such arguments and input fields): the gateway plans with them, no app reads them.
   */
  inaccessible: ReadonlySet<string>;
  /** Object types the supergraph defines and its API schema leaves out (`@inaccessible`): a union may still return their rows. */
  inaccessibleTypes: ReadonlySet<string>;
}

function booleanArgument(directive: ConstDirectiveNode, name: string): boolean {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.BOOLEAN && value.value;
}

const isExtension = (directive: ConstDirectiveNode) => booleanArgument(directive, 'extension');
const isExternal = (directive: ConstDirectiveNode) => booleanArgument(directive, 'external');

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  if (value?.kind === Kind.STRING) return value.value;
  if (value?.kind === Kind.ENUM) return value.value;
  return undefined;
}

function graphNames(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = directive && stringArgument(directive, 'name');
      if (name) names.set(value.name.value, name);
    }
  }
  return names;
}

/** `GRAPH` and `Type.field`, as one key. */
const providedKey = (graph: string, coordinate: string) => `${graph}\u0000${coordinate}`;

function namedTypeName(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeName(type.type);
}

/**
 * The fields a graph marks `@external` but answers along a path that `@provides` them (`providedKey`): it
 * resolves them there. A field it marks `@external` only to `@require` it, it never answers.
 */
function providedFields(document: DocumentNode): Set<string> {
  const fieldsOf = new Map<string, readonly FieldDefinitionNode[]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) fieldsOf.set(definition.name.value, definition.fields ?? []);
  }
  const provided = new Set<string>();
  const add = (graph: string, typeName: string, selections: readonly SelectionNode[]): void => {
    for (const selection of selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) add(graph, selection.typeCondition?.name.value ?? typeName, selection.selectionSet.selections);
      if (selection.kind !== Kind.FIELD) continue;
      provided.add(providedKey(graph, `${typeName}.${selection.name.value}`));
      const field = fieldsOf.get(typeName)?.find((f) => f.name.value === selection.name.value);
      if (selection.selectionSet && field) add(graph, namedTypeName(field.type), selection.selectionSet.selections);
    }
  };
  for (const fields of fieldsOf.values()) {
    for (const field of fields) {
      for (const directive of field.directives ?? []) {
        const graph = directive.name.value === 'join__field' ? stringArgument(directive, 'graph') : undefined;
        const provides = graph && stringArgument(directive, 'provides');
        if (graph && provides) add(graph, namedTypeName(field.type), (parse(`{${provides}}`).definitions[0] as OperationDefinitionNode).selectionSet.selections);
      }
    }
  }
  return provided;
}

/** The departments that resolve a field: not one that marks it `@external` to require it, only to read it. */
const graphsOf = (field: FieldDefinitionNode, coordinate: string, graphs: ReadonlyMap<string, string>, provided: ReadonlySet<string>): string[] =>
  (field.directives ?? [])
    .filter((d) => {
      const graph = d.name.value === 'join__field' ? stringArgument(d, 'graph') : undefined;
      return graph !== undefined && (!isExternal(d) || provided.has(providedKey(graph, coordinate)));
    })
    .map((d) => graphs.get(stringArgument(d, 'graph')!)!)
    .filter(Boolean);

/**
 * Who resolves a field that no department declares on its type: composition adds the fields of an
 * `@interfaceObject` to every implementation of the interface with a bare `@join__field`, and the
 * departments that resolve them are those of the interface's own field.
 */
function interfaceObjectGraphs(
  field: FieldDefinitionNode,
  implemented: readonly string[],
  interfaces: ReadonlyMap<string, InterfaceTypeDefinitionNode>,
  graphs: ReadonlyMap<string, string>,
  provided: ReadonlySet<string>,
): string[] {
  const bare = (field.directives ?? []).some((d) => d.name.value === 'join__field' && !d.arguments?.length);
  if (!bare) return [];
  return implemented.flatMap((name) => {
    const own = interfaces.get(name)?.fields?.find((f) => f.name.value === field.name.value);
    return own ? graphsOf(own, `${name}.${field.name.value}`, graphs, provided) : [];
  });
}

/** What of a supergraph document its API schema does not have (see `Catalog.inaccessible` and `inaccessibleTypes`). */
function inaccessibleParts(document: DocumentNode, schema: GraphQLSchema): Pick<Catalog, 'inaccessible' | 'inaccessibleTypes'> {
  const hidden = new Set<string>();
  const types = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION && definition.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION) continue;
    const typeName = definition.name.value;
    // The federation and link machinery is not API either, but it is no department's to grant.
    if (typeName.startsWith('join__') || typeName.startsWith('link__')) continue;
    const type = schema.getType(typeName);
    if (!type && definition.kind === Kind.OBJECT_TYPE_DEFINITION) types.add(typeName);
    const fields = isObjectType(type) || isInterfaceType(type) || isInputObjectType(type) ? type.getFields() : {};
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      const kept = fields[field.name.value];
      if (!kept) hidden.add(coordinate);
      if (field.kind !== Kind.FIELD_DEFINITION) continue;
      const args = kept && 'args' in kept ? kept.args : [];
      for (const argument of field.arguments ?? []) {
        if (!args.some((a) => a.name === argument.name.value)) hidden.add(`${coordinate}(${argument.name.value}:)`);
      }
    }
  }
  return { inaccessible: hidden, inaccessibleTypes: types };
}

/** The catalog of a composed supergraph, against its API schema. */
export function buildCatalog(supergraphSdl: string, undeclared: SharingClass = 'CONDITIONAL', apiSchema?: GraphQLSchema): Catalog {
  const schema = apiSchema ?? Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return catalogOf(parse(supergraphSdl), schema, undeclared);
}

/**
 * The catalog of any schema document whose types carry `@sharing`: a supergraph (departments from
 * `@join__type` / `@join__field`, keys from `@join__type(key:)`) or one department's own subgraph
 * (keys from `@key(fields:)`).
 */
export function catalogOf(document: DocumentNode, schema: GraphQLSchema, undeclared: SharingClass): Catalog {
  const graphs = graphNames(document);
  const fields = new Map<string, FieldFacts>();
  const keyFields = new Map<string, Set<string>>();
  const interfaces = new Map(document.definitions.filter((d) => d.kind === Kind.INTERFACE_TYPE_DEFINITION).map((d) => [d.name.value, d]));
  const provided = providedFields(document);

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeName = definition.name.value;
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const apiFields = type.getFields();
    const implemented = (definition.interfaces ?? []).map((i) => i.name.value);
    const typeGraphs: string[] = [];
    // A department that declares the type with a key of its own defines it; one whose every key is an extension extends it.
    const definers = new Set<string>();
    const keys = new Set<string>();
    for (const directive of definition.directives ?? []) {
      if (directive.name.value === 'key') {
        for (const key of (stringArgument(directive, 'fields') ?? '').split(/[\s{}]+/).filter(Boolean)) keys.add(key);
      }
      if (directive.name.value !== 'join__type') continue;
      const graph = stringArgument(directive, 'graph');
      const name = graph && (graphs.get(graph) ?? graph);
      if (name) typeGraphs.push(name);
      if (name && !isExtension(directive)) definers.add(name);
      for (const key of (stringArgument(directive, 'key') ?? '').split(/[\s{}]+/).filter(Boolean)) keys.add(key);
    }
    if (keys.size > 0) keyFields.set(typeName, keys);
    const typeSharing = readSharingDirective(definition.directives);
    for (const field of definition.fields ?? []) {
      if (!apiFields[field.name.value]) continue;
      const own = readSharingDirective(field.directives) ?? typeSharing;
      const coordinate = `${typeName}.${field.name.value}`;
      const declared = graphsOf(field, coordinate, graphs, provided);
      const fieldGraphs = declared.length > 0 ? declared : interfaceObjectGraphs(field, implemented, interfaces, graphs, provided);
      const isKey = keys.has(field.name.value);
      const resolvers = [...new Set(fieldGraphs.length > 0 ? fieldGraphs : typeGraphs)];
      const owners = isKey ? resolvers.filter((graph) => definers.has(graph)) : [];
      fields.set(coordinate, {
        coordinate,
        type: typeName,
        field: field.name.value,
        sharing: own ?? { class: undeclared, sensitivity: 'INTERNAL' },
        declared: own !== undefined,
        subgraphs: owners.length > 0 ? owners : resolvers,
        isKey,
      });
    }
  }
  return { apiSchema: schema, fields, keyFields, subgraphs: [...graphs.values()], ...inaccessibleParts(document, schema) };
}

/** The field coordinates a path from a type passes through (`Person` + `household.regionCode`), or undefined if it is not a path of the schema. */
export function pathCoordinates(catalog: Catalog, type: string, path: string): string[] | undefined {
  const coordinates: string[] = [];
  let owner = type;
  for (const segment of path.split('.')) {
    const ownerType = catalog.apiSchema.getType(owner);
    const field = isObjectType(ownerType) ? ownerType.getFields()[segment] : undefined;
    if (!field) return undefined;
    coordinates.push(`${owner}.${segment}`);
    owner = getNamedType(field.type).name;
  }
  return coordinates;
}
