/**
 * Which department owns an entity, told from the departments' own schemas. Every department that adds
 * fields to an entity restates its key (`type Person @key(fields: "idNumber") { idNumber: IdNumber! … }`),
 * so in the supergraph every one of them resolves `Person.idNumber` — but only to join. The owner is the
 * one that gives the key its sharing class (on the key fields or on the type): ARCHITECTURE.md, "the
 * owning department declares it … Nobody else can change it."
 *
 * Composition records the answer in Federation's own terms: the other departments' definitions become
 * type extensions, which the supergraph keeps as `@join__type(…, extension: true)`, so the catalog (and
 * the access matrix auditors read) can attribute a key to its owner from the supergraph alone. Query
 * planning is unchanged: a key is resolvable in an extension as in a definition.
 */
import { Kind, parse, type DefinitionNode, type DocumentNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode, type OperationDefinitionNode } from 'graphql';
import { readSharingDirective } from './sharing-class';

export interface DepartmentSchema {
  name: string;
  typeDefs: DocumentNode;
}

/** The top-level fields of a type's `@key(fields:)` selections. */
function keyFields(definition: ObjectTypeDefinitionNode): string[] {
  return (definition.directives ?? [])
    .filter((d) => d.name.value === 'key')
    .flatMap((d) => {
      const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING) return [];
      const selection = (parse(`{${fields.value}}`).definitions[0] as OperationDefinitionNode).selectionSet;
      return selection.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
    });
}

/** Whether this definition of an entity gives a sharing class to one of its key fields. */
function declaresKey(definition: ObjectTypeDefinitionNode, keys: readonly string[]): boolean {
  if (readSharingDirective(definition.directives)) return true;
  return (definition.fields ?? []).some((f) => keys.includes(f.name.value) && readSharingDirective(f.directives) !== undefined);
}

const isEntity = (definition: DefinitionNode): definition is ObjectTypeDefinitionNode =>
  definition.kind === Kind.OBJECT_TYPE_DEFINITION && keyFields(definition).length > 0;

/**
 * The departments that declare each entity's key, by entity: its owner, or owners — which composition
 * refuses, since a second department that declares a key as its owner does would be named beside the
 * owner for every grant of it in the access matrix, and could later change its declaration.
 */
export function entityOwners(departments: readonly DepartmentSchema[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const department of departments) {
    for (const definition of department.typeDefs.definitions) {
      if (!isEntity(definition) || !declaresKey(definition, keyFields(definition))) continue;
      const type = definition.name.value;
      if (!owners.get(type)?.includes(department.name)) owners.set(type, [...(owners.get(type) ?? []), department.name]);
    }
  }
  return owners;
}

/**
 * The departments' schemas with every entity a department restates without owning it turned into a type
 * extension. An entity whose key no department declares is left alone (composition then reports the
 * undeclared key); one declared by several stays a definition in each of them (and composition refuses it).
 */
export function asEntityExtensions<S extends DepartmentSchema>(departments: readonly S[]): S[] {
  const owned = entityOwners(departments);
  return departments.map((department) => ({
    ...department,
    typeDefs: {
      ...department.typeDefs,
      definitions: department.typeDefs.definitions.map((definition) => {
        if (!isEntity(definition) || !owned.has(definition.name.value) || declaresKey(definition, keyFields(definition))) return definition;
        // An extension carries no description: the owner describes the entity.
        const { name, interfaces, directives, fields, loc } = definition;
        return { kind: Kind.OBJECT_TYPE_EXTENSION, name, interfaces, directives, fields, loc } satisfies ObjectTypeExtensionNode;
      }),
    },
  }));
}
