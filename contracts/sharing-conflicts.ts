/**
 * A field that several departments define (an entity's key, a `@shareable` value type such as PageInfo)
 * has one sharing class. Composition does not refuse different `@sharing` arguments on it: it keeps the
 * ones most departments used and only hints — so two departments that extend Person could declare
 * `idNumber` UNCONDITIONAL/PUBLIC and outvote public security. The platform refuses that instead. It also
 * refuses the same vote one level up: a type's `@sharing` covers every field of the type that has none of
 * its own, so a department that puts a `@sharing` of its own on another department's type (Household,
 * with one hidden field of its own) would reclassify all the owner's fields that rely on the type's.
 */
import { Kind, type DefinitionNode, type DocumentNode, type InterfaceTypeDefinitionNode, type InterfaceTypeExtensionNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import type { DepartmentSchema } from './entity-owners';
import { readSharingDirective, type SharingDeclaration } from './sharing-class';

export interface SharingConflict {
  coordinate: string;
  /** Each declaration given (`CONDITIONAL/SENSITIVE`), with the departments that give it. */
  declarations: Array<{ sharing: string; departments: string[] }>;
}

const TYPE_KINDS = new Set<string>([Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_DEFINITION, Kind.INTERFACE_TYPE_EXTENSION]);
type TypeWithFields = ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode;
const hasFields = (definition: DefinitionNode): definition is TypeWithFields => TYPE_KINDS.has(definition.kind);

/** A field whose composed class is not the one the departments that define it declared. */
export interface SharingOverride {
  coordinate: string;
  /** What its departments declared (`CONDITIONAL/PERSONAL`), and who. */
  declared: string;
  departments: string[];
  /** What the supergraph gives it, and the departments whose `@sharing` on the type that is. */
  composed: string;
  by: string[];
}

const asText = (sharing: SharingDeclaration) => `${sharing.class}/${sharing.sensitivity}`;

/** coordinate → "CLASS/SENSITIVITY" → the departments that declare it so (on the field, or on its type in the same definition). */
function declarations(departments: readonly DepartmentSchema[]): Map<string, Map<string, string[]>> {
  const declared = new Map<string, Map<string, string[]>>();
  for (const department of departments) {
    for (const definition of department.typeDefs.definitions) {
      if (!hasFields(definition)) continue;
      const typeSharing = readSharingDirective(definition.directives);
      for (const field of definition.fields ?? []) {
        const sharing = readSharingDirective(field.directives) ?? typeSharing;
        if (!sharing) continue;
        const coordinate = `${definition.name.value}.${field.name.value}`;
        const byDeclaration = declared.get(coordinate) ?? new Map<string, string[]>();
        const key = asText(sharing);
        byDeclaration.set(key, [...(byDeclaration.get(key) ?? []), department.name]);
        declared.set(coordinate, byDeclaration);
      }
    }
  }
  return declared;
}

/** Every field that departments declare differently. A department that declares nothing on it (an extender restating a key) takes no part. */
export function sharingConflicts(departments: readonly DepartmentSchema[]): SharingConflict[] {
  return [...declarations(departments)]
    .filter(([, byDeclaration]) => byDeclaration.size > 1)
    .map(([coordinate, byDeclaration]) => ({ coordinate, declarations: [...byDeclaration].map(([sharing, names]) => ({ sharing, departments: names })) }));
}

/** The `@sharing` a department puts on a type itself (on its definition or an extension of it), if any. */
function typeSharingIn(department: DepartmentSchema, typeName: string): SharingDeclaration | undefined {
  for (const definition of department.typeDefs.definitions) {
    if (!hasFields(definition) || definition.name.value !== typeName) continue;
    const sharing = readSharingDirective(definition.directives);
    if (sharing) return sharing;
  }
  return undefined;
}

/**
 * Every field of the composed supergraph whose class (its own `@sharing`, else its type's) is not the one
 * declared by the departments that define it — all of them alike; different ones are a conflict above.
 */
export function sharingOverrides(supergraph: DocumentNode, departments: readonly DepartmentSchema[]): SharingOverride[] {
  const declared = declarations(departments);
  const overrides: SharingOverride[] = [];
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const typeName = definition.name.value;
    const typeSharing = readSharingDirective(definition.directives);
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      const [only, ...others] = [...(declared.get(coordinate) ?? [])];
      const composed = readSharingDirective(field.directives) ?? typeSharing;
      if (!only || others.length > 0 || !composed || asText(composed) === only[0]) continue;
      const by = departments.filter((d) => {
        const own = typeSharingIn(d, typeName);
        return own !== undefined && asText(own) === asText(composed);
      });
      overrides.push({ coordinate, declared: only[0], departments: only[1], composed: asText(composed), by: by.map((d) => d.name) });
    }
  }
  return overrides;
}
