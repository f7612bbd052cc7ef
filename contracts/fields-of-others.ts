/**
 * A department answers only its own fields, from its own data. Federation has two directives that break
 * that, and composition accepts both from any department — a remote one from a registry too:
 *
 * - `@override(from: "public-security")` moves a field to the department that writes it: the gateway then
 *   asks that department for `Query.person` or `Person.name`, hands it every such request (the subject,
 *   the app, the operator, the purpose), and serves its answer as the owner's.
 * - `@requires(fields: "birthDate phone")` has the gateway fetch other departments' fields, under the
 *   caller's grants, and send them to the department in every entity request, though the client never
 *   asked for them and no contract grants that department them.
 *
 * A department that needs another's data reads it through the gateway as its own platform app, under a
 * contract of its own. The kit's header imports both directives by their short names, so a schema can
 * apply them under no other name.
 */
import { Kind, print, type DefinitionNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import type { DepartmentSchema } from './entity-owners';

export interface FieldOfAnotherDepartment {
  department: string;
  coordinate: string;
  directive: 'override' | 'requires';
  /** The directive as written: `@override(from: "public-security")`. */
  written: string;
  /** The department overridden, or the fields required. */
  argument: string;
}

const OBJECT_KINDS = new Set<string>([Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION]);

const isObjectType = (definition: DefinitionNode): definition is ObjectTypeDefinitionNode | ObjectTypeExtensionNode => OBJECT_KINDS.has(definition.kind);

/** Every `@override` and `@requires` a department applies, in the order written. */
export function fieldsOfOtherDepartments(departments: readonly DepartmentSchema[]): FieldOfAnotherDepartment[] {
  const found: FieldOfAnotherDepartment[] = [];
  for (const department of departments) {
    for (const definition of department.typeDefs.definitions) {
      if (!isObjectType(definition)) continue;
      for (const field of definition.fields ?? []) {
        for (const directive of field.directives ?? []) {
          const name = directive.name.value;
          if (name !== 'override' && name !== 'requires') continue;
          const value = directive.arguments?.find((a) => a.name.value === (name === 'override' ? 'from' : 'fields'))?.value;
          found.push({
            department: department.name,
            coordinate: `${definition.name.value}.${field.name.value}`,
            directive: name,
            written: print(directive),
            argument: value?.kind === Kind.STRING ? value.value : '',
          });
        }
      }
    }
  }
  return found;
}
