/**
 * Sharing classes (无条件共享 / 有条件共享 / 不予共享) and sensitivity, as a department declares them on its
 * own fields with the `@sharing` directive. Composition keeps the directive (`@composeDirective`), so the
 * supergraph carries every department's declarations to the gateway and to the contract tooling.
 */
import { Kind, type ConstDirectiveNode, type DocumentNode, type GraphQLField, type GraphQLNamedType } from 'graphql';

export const SHARING_CLASSES = ['UNCONDITIONAL', 'CONDITIONAL', 'NONE'] as const;
export type SharingClass = (typeof SHARING_CLASSES)[number];

/** PUBLIC: open data · INTERNAL: government work data · PERSONAL: personal information (PIPL art. 4) ·
 * SENSITIVE: sensitive personal information (PIPL art. 28). */
export const SENSITIVITIES = ['PUBLIC', 'INTERNAL', 'PERSONAL', 'SENSITIVE'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const SHARING_DIRECTIVE = 'sharing';
export const SHARING_SPEC_URL = 'https://govgraph.dev/sharing/v1.0';

export interface SharingDeclaration {
  class: SharingClass;
  sensitivity: Sensitivity;
}

function enumArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const argument = directive.arguments?.find((a) => a.name.value === name);
  return argument?.value.kind === Kind.ENUM ? argument.value.value : undefined;
}

/** Reads `@sharing(class:, sensitivity:)` from an AST node's directives, if the node carries one. */
export function readSharingDirective(directives: readonly ConstDirectiveNode[] | undefined): SharingDeclaration | undefined {
  const directive = directives?.find((d) => d.name.value === SHARING_DIRECTIVE);
  if (!directive) return undefined;
  const sharingClass = enumArgument(directive, 'class') as SharingClass | undefined;
  const sensitivity = enumArgument(directive, 'sensitivity') as Sensitivity | undefined;
  if (!sharingClass || !SHARING_CLASSES.includes(sharingClass)) return undefined;
  return { class: sharingClass, sensitivity: sensitivity && SENSITIVITIES.includes(sensitivity) ? sensitivity : 'INTERNAL' };
}

/**
 * The declaration that governs a field: the field's own `@sharing`, else its type's, else undefined
 * (undeclared — the access rules treat that as CONDITIONAL, never as open).
 */
export function sharingOf(type: GraphQLNamedType, field: GraphQLField<unknown, unknown>): SharingDeclaration | undefined {
  return readSharingDirective(field.astNode?.directives) ?? readSharingDirective(type.astNode?.directives);
}

/**
 * Every object field of a composed supergraph that carries no sharing class, on itself or its type, as
 * `Type.field`. The supergraph's own machinery (join__, link__) is not data and is skipped.
 */
export function undeclaredFields(supergraph: DocumentNode): string[] {
  const missing: string[] = [];
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || /^(join|link)__/.test(definition.name.value)) continue;
    if (readSharingDirective(definition.directives)) continue;
    for (const field of definition.fields ?? []) {
      if (!readSharingDirective(field.directives)) missing.push(`${definition.name.value}.${field.name.value}`);
    }
  }
  return missing;
}
