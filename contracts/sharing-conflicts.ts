/**
 * A field that several departments define (an entity's key, a `@shareable` value type such as PageInfo)
 * has one sharing class. Composition does not refuse different `@sharing` arguments on it: it keeps the
 * ones most departments used and only hints — so two departments that extend Person could declare
 * `idNumber` UNCONDITIONAL/PUBLIC and outvote public security. The platform refuses that instead.
 */
import { Kind } from 'graphql';
import type { DepartmentSchema } from './entity-owners';
import { readSharingDirective } from './sharing-class';

export interface SharingConflict {
  coordinate: string;
  /** Each declaration given (`CONDITIONAL/SENSITIVE`), with the departments that give it. */
  declarations: Array<{ sharing: string; departments: string[] }>;
}

const TYPE_KINDS = new Set<string>([Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_DEFINITION, Kind.INTERFACE_TYPE_EXTENSION]);

/** Every field that departments declare differently. A department that declares nothing on it (an extender restating a key) takes no part. */
export function sharingConflicts(departments: readonly DepartmentSchema[]): SharingConflict[] {
  // coordinate → "CLASS/SENSITIVITY" → departments
  const declared = new Map<string, Map<string, string[]>>();
  for (const department of departments) {
    for (const definition of department.typeDefs.definitions) {
      if (!TYPE_KINDS.has(definition.kind) || !('fields' in definition)) continue;
      const typeSharing = readSharingDirective(definition.directives);
      for (const field of definition.fields ?? []) {
        const sharing = readSharingDirective(field.directives) ?? typeSharing;
        if (!sharing) continue;
        const coordinate = `${definition.name.value}.${field.name.value}`;
        const byDeclaration = declared.get(coordinate) ?? new Map<string, string[]>();
        const key = `${sharing.class}/${sharing.sensitivity}`;
        byDeclaration.set(key, [...(byDeclaration.get(key) ?? []), department.name]);
        declared.set(coordinate, byDeclaration);
      }
    }
  }
  return [...declared]
    .filter(([, byDeclaration]) => byDeclaration.size > 1)
    .map(([coordinate, byDeclaration]) => ({ coordinate, declarations: [...byDeclaration].map(([sharing, names]) => ({ sharing, departments: names })) }));
}
