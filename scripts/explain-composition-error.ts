/**
 * Composition errors in plain words, each with the fix: Apollo Federation's error codes say what broke in
 * federation's terms ("non-shareable field resolved from multiple subgraphs"); a department needs to hear
 * "you extended Person without its @key: add @key(fields: "idNumber")". The original code and message are
 * kept beside the explanation. Errors with one cause (a forgotten @key gives one error per query path that
 * cannot be planned) are folded into one problem.
 */
import { Kind, print, type ConstDirectiveNode, type DocumentNode, type FieldDefinitionNode, type GraphQLError } from 'graphql';
import { SENSITIVITIES, SHARING_CLASSES, SHARING_DIRECTIVE } from '../contracts/sharing-class';
import type { FieldOfAnotherDepartment } from '../contracts/fields-of-others';
import type { SharingConflict, SharingOverride } from '../contracts/sharing-conflicts';

/** What an explanation needs of each department: its name and its schema (with the kit's header). */
export interface NamedTypeDefs {
  name: string;
  typeDefs: DocumentNode;
}

export interface FederationError {
  code: string;
  message: string;
}

export interface CompositionProblem extends FederationError {
  /** Plain words: what is wrong, in whose schema. Absent for codes a department rarely meets. */
  explanation?: string;
  fix?: string;
  /** Further errors of the same cause, folded into this problem. */
  sameCause: FederationError[];
}

interface Explained {
  explanation: string;
  fix: string;
}

const CLASS_WORDS: Readonly<Record<(typeof SHARING_CLASSES)[number], string>> = { UNCONDITIONAL: '无条件共享', CONDITIONAL: '有条件共享', NONE: '不予共享' };
const VALID_CLASSES = SHARING_CLASSES.map((c) => `${c} (${CLASS_WORDS[c]})`).join(', ');

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Every definition and extension of an object or interface type in one department's schema. */
function typeNodes(typeDefs: DocumentNode, typeName: string) {
  return typeDefs.definitions.filter(
    (d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION || d.kind === Kind.INTERFACE_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_EXTENSION) &&
      d.name.value === typeName,
  ) as Array<{ directives?: readonly ConstDirectiveNode[]; fields?: readonly FieldDefinitionNode[] }>;
}

/** The `fields` of each `@key` a department puts on a type. */
function keysOf(typeDefs: DocumentNode, typeName: string): string[] {
  return typeNodes(typeDefs, typeName).flatMap((node) =>
    (node.directives ?? []).filter((d) => d.name.value === 'key').flatMap((d) => {
      const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
      return fields?.kind === Kind.STRING ? [fields.value] : [];
    }),
  );
}

function fieldNode(typeDefs: DocumentNode, typeName: string, fieldName: string): FieldDefinitionNode | undefined {
  return typeNodes(typeDefs, typeName).flatMap((node) => node.fields ?? []).find((f) => f.name.value === fieldName);
}

/** The fix for a type a department extends without the key the other departments give it. */
function forgottenKey(typeName: string, department: string, subgraphs: readonly NamedTypeDefs[]): Explained {
  const owner = subgraphs.find((s) => s.name !== department && keysOf(s.typeDefs, typeName).length > 0);
  const key = owner ? keysOf(owner.typeDefs, typeName)[0]! : undefined;
  const keyFields = key && /^\w+$/.test(key) && owner ? fieldNode(owner.typeDefs, typeName, key) : undefined;
  const example = key ? `type ${typeName} @key(fields: "${key}") { ${keyFields ? `${key}: ${print(keyFields.type)} ` : ''}… }` : `type ${typeName} @key(fields: "…") { … }`;
  return {
    explanation: `${department} defines ${typeName} without @key, so the gateway has no way to ask ${department} about a ${typeName} it found elsewhere (${typeName} is an entity${owner ? ` that ${owner.name} identifies by ${key}` : ''}).`,
    fix: `declare the key in ${department}'s schema, with the key field itself: ${example}`,
  };
}

/** `"a", "b" and "c"` as written in federation's messages. */
function quotedNames(text: string): string[] {
  return [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * The types each department gives a field or argument, from federation's wording: `it has type "A" in
 * subgraph "x" but type "B" in subgraphs "y" and "z"`.
 */
function typesBySubgraph(message: string): Array<{ type: string; subgraphs: string[] }> {
  return [...message.matchAll(/type "([^"]+)" in subgraphs? ((?:"[^"]+"(?:, | and )?)+)/g)].map((m) => ({ type: m[1]!, subgraphs: quotedNames(m[2]!) }));
}

function differingTypes(what: string, message: string): Explained | undefined {
  const coordinate = /"([^"]+)"/.exec(message)?.[1];
  const types = typesBySubgraph(message);
  if (!coordinate || types.length < 2) return undefined;
  const sorted = [...types].sort((a, b) => b.subgraphs.length - a.subgraphs.length);
  const [most, next] = sorted as [(typeof types)[number], (typeof types)[number]];
  const others = types.filter((t) => t !== most).flatMap((t) => t.subgraphs);
  const fix =
    most.subgraphs.length > next.subgraphs.length
      ? `give ${coordinate} the type ${most.type} in ${listed(others)}, as ${listed(most.subgraphs)} ${most.subgraphs.length > 1 ? 'have' : 'has'} it — or, if it means something else there, give it a name of its own`
      : `agree on one type for ${coordinate} in ${listed(types.flatMap((t) => t.subgraphs))} — or, if it means something else in one of them, give it a name of its own there`;
  return {
    explanation: `The ${what} ${coordinate} has a different type in different departments (${types.map((t) => `${t.type} in ${listed(t.subgraphs)}`).join(', ')}). Departments that define the same ${what} must give it the same type: the gateway may read it from any of them.`,
    fix,
  };
}

/** A misspelt or missing `@sharing` argument: federation reports it as invalid GraphQL. */
function sharingArgument(message: string, subgraphs: readonly NamedTypeDefs[]): Explained | undefined {
  const department = /^\[([^\]]+)\]/.exec(message)?.[1];
  const invalid = /Invalid value for "@sharing\((class|sensitivity):\)".* to "([^"]+)"/.exec(message);
  if (invalid) {
    const argument = invalid[1]!;
    const coordinate = invalid[2]!;
    const given = givenSharingValue(subgraphs.find((s) => s.name === department)?.typeDefs, coordinate, argument);
    const [noun, nouns, valid] = argument === 'class' ? ['sharing class', 'sharing classes', VALID_CLASSES] : ['sensitivity', 'sensitivities', SENSITIVITIES.join(', ')];
    const where = `@sharing(${argument}: ${given ?? '…'}) on ${coordinate}${department ? ` in ${department}` : ''}`;
    return {
      explanation: `${given ?? 'The value'} is not a ${noun}: ${where}. The valid ${nouns} are ${valid}.`,
      fix: `write one of them, e.g. @sharing(class: CONDITIONAL, sensitivity: PERSONAL) — see docs/departments.md for how to choose`,
    };
  }
  const missing = /Directive "@sharing" argument "(class|sensitivity)" .* is required/.exec(message);
  if (missing) {
    return {
      explanation: `A @sharing declaration${department ? ` in ${department}` : ''} leaves out ${missing[1]}: every declaration needs both a sharing class (${VALID_CLASSES}) and a sensitivity (${SENSITIVITIES.join(', ')}).`,
      fix: 'write both, e.g. @sharing(class: CONDITIONAL, sensitivity: PERSONAL)',
    };
  }
  return undefined;
}

/** The value a department wrote for `@sharing(<argument>:)` on `Type.field` or on `Type`. */
function givenSharingValue(typeDefs: DocumentNode | undefined, coordinate: string, argument: string): string | undefined {
  if (!typeDefs) return undefined;
  const [typeName, fieldName] = coordinate.split('.') as [string, string | undefined];
  const directives = fieldName ? fieldNode(typeDefs, typeName, fieldName)?.directives : typeNodes(typeDefs, typeName).flatMap((n) => n.directives ?? []);
  const value = directives?.find((d) => d.name.value === SHARING_DIRECTIVE)?.arguments?.find((a) => a.name.value === argument)?.value;
  return value && (value.kind === Kind.ENUM || value.kind === Kind.STRING) ? value.value : value && print(value);
}

/** A field two departments both resolve: a forgotten @key on an entity, or a field that belongs to one of them. */
function resolvedTwice(message: string, subgraphs: readonly NamedTypeDefs[]): Explained | undefined {
  const coordinate = /field "([^"]+)"/.exec(message)?.[1];
  const resolvers = quotedNames(/resolved from subgraphs? ((?:"[^"]+"(?:, | and )?)+)/.exec(message)?.[1] ?? '');
  if (!coordinate || resolvers.length === 0) return undefined;
  const [typeName] = coordinate.split('.') as [string];
  const defining = subgraphs.filter((s) => resolvers.includes(s.name));
  const keyless = defining.filter((s) => keysOf(s.typeDefs, typeName).length === 0);
  if (keyless.length > 0 && keyless.length < defining.length) return forgottenKey(typeName, keyless[0]!.name, subgraphs);
  return {
    explanation: `${coordinate} is defined by ${listed(resolvers)}. A field belongs to one department: the gateway must know which one to ask.`,
    fix: `define ${coordinate} in one department only (the others leave it out of their ${typeName}, and the gateway fetches it from that one); if each of them really answers it alike (a value type such as PageInfo), mark it @shareable in every department that defines it`,
  };
}

function explain(error: FederationError, subgraphs: readonly NamedTypeDefs[]): Explained | undefined {
  switch (error.code) {
    case 'SATISFIABILITY_ERROR': {
      const keyless = /type "([^"]+)" has no @key defined in subgraph "([^"]+)"/.exec(error.message);
      if (keyless) return forgottenKey(keyless[1]!, keyless[2]!, subgraphs);
      return {
        explanation: 'Some query through the graph cannot be planned: a field is reachable only in a department the gateway cannot get to from where the query is.',
        fix: 'check the @key of each entity type the department defines or extends: it must match a key the other departments declare, and the department must have the key fields',
      };
    }
    case 'INVALID_FIELD_SHARING':
      return resolvedTwice(error.message, subgraphs);
    case 'FIELD_TYPE_MISMATCH':
      return differingTypes('field', error.message);
    case 'FIELD_ARGUMENT_TYPE_MISMATCH':
      return differingTypes('argument', error.message);
    case 'TYPE_KIND_MISMATCH': {
      const typeName = /Type "([^"]+)"/.exec(error.message)?.[1] ?? 'The type';
      return {
        explanation: `${typeName} is a different kind of type in different departments (an object in one, an interface, scalar or enum in another). A type name means one thing in the whole graph.`,
        fix: `define ${typeName} as the other departments do, or give your type a name of its own`,
      };
    }
    case 'ENUM_VALUE_MISMATCH': {
      const enumName = /Enum type "([^"]+)"/.exec(error.message)?.[1] ?? 'The enum';
      return {
        explanation: `${enumName} is both given as an argument and returned, so every department that defines it must list exactly the same values.`,
        fix: `copy the values of ${enumName} from the department that owns it, or give your enum a name of its own`,
      };
    }
    case 'KEY_INVALID_FIELDS':
      return {
        explanation: 'A @key names a field the type does not have in that department.',
        fix: 'spell the key as the other departments do, and define the key field in the type (e.g. idNumber: IdNumber!)',
      };
    case 'INVALID_GRAPHQL':
      return sharingArgument(error.message, subgraphs);
    default:
      return undefined;
  }
}

/** Federation's errors, explained where the code is one departments meet, errors of one cause folded together. */
export function explainCompositionErrors(errors: readonly FederationError[], subgraphs: readonly NamedTypeDefs[]): CompositionProblem[] {
  const problems: CompositionProblem[] = [];
  for (const error of errors) {
    const explained = explain(error, subgraphs);
    const same = explained && problems.find((p) => p.explanation === explained.explanation);
    if (same) same.sameCause.push({ code: error.code, message: error.message });
    else problems.push({ code: error.code, message: error.message, ...explained, sameCause: [] });
  }
  return problems;
}

/** Federation's GraphQLErrors as code and message. */
export function federationErrors(errors: readonly GraphQLError[]): FederationError[] {
  return errors.map((error) => ({ code: String(error.extensions['code'] ?? 'COMPOSITION'), message: error.message }));
}

/** A field that reaches the supergraph with no sharing class, and the departments that define it. */
export function noSharingClass(coordinate: string, subgraphs: readonly NamedTypeDefs[]): CompositionProblem {
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  const defining = subgraphs.filter((s) => fieldNode(s.typeDefs, typeName, fieldName)).map((s) => s.name);
  return {
    code: 'NO_SHARING_CLASS',
    message: `${coordinate} has no @sharing declaration on the field or its type`,
    explanation: `${coordinate}${defining.length > 0 ? ` (in ${listed(defining)})` : ''} has no sharing class, so the gateway would have to guess whether apps may read it — and it never guesses.`,
    fix: `add @sharing(class: …, sensitivity: …) to the field, or to type ${typeName} to cover all its fields; classes: ${VALID_CLASSES}; sensitivities: ${SENSITIVITIES.join(', ')}`,
    sameCause: [],
  };
}

/** A field that departments give different sharing classes (contracts/sharing-conflicts.ts). */
export function conflictingSharing(conflict: SharingConflict): CompositionProblem {
  const each = conflict.declarations.map((d) => `${d.sharing} by ${listed(d.departments)}`).join(' but ');
  return {
    code: 'SHARING_CLASS_CONFLICT',
    message: `${conflict.coordinate} is declared ${each}`,
    explanation: `${conflict.coordinate} is declared ${each}. A field has one sharing class, set by the department that owns it; composition would keep the one most departments gave.`,
    fix: `a department that adds fields to another department's entity restates its key without @sharing; a @shareable type carries the same @sharing in every department (see docs/departments.md)`,
    sameCause: [],
  };
}

/** A field whose owner's class the type's `@sharing` from other departments replaced (contracts/sharing-conflicts.ts). */
export function overriddenSharing(override: SharingOverride): CompositionProblem {
  const typeName = override.coordinate.split('.')[0]!;
  const from = override.by.length > 0 ? ` (from the type's @sharing in ${listed(override.by)})` : '';
  return {
    code: 'SHARING_CLASS_OVERRIDDEN',
    message: `${override.coordinate} is declared ${override.declared} by ${listed(override.departments)}, but the composed graph gives it ${override.composed}${from}`,
    explanation: `${override.coordinate} is declared ${override.declared} by ${listed(override.departments)}, but the composed graph would give it ${override.composed}: a @sharing on type ${typeName} covers every field of the type without its own, and composition keeps the type's @sharing most departments gave, so ${listed(override.by.length > 0 ? override.by : ['another department'])} would reclassify ${listed(override.departments)}'s fields.`,
    fix: `a department that adds fields to another department's type puts @sharing on its own fields, not on the type (or gives ${typeName} the same @sharing as ${listed(override.departments)})`,
    sameCause: [],
  };
}

/** An `@override` or `@requires` that gives a department another department's field or data (contracts/fields-of-others.ts). */
export function fieldOfAnotherDepartment(found: FieldOfAnotherDepartment): CompositionProblem {
  const { department, coordinate, argument } = found;
  const explained: Explained =
    found.directive === 'override'
      ? {
          explanation: `${department} takes ${coordinate} from ${argument} with @override: the gateway would ask ${department} for it instead of the department that owns it, hand ${department} every request for it (the subject, the app, the operator, the purpose) and serve its answer as ${argument}'s.`,
          fix: `a field belongs to the department that owns it; to move one, the owner removes it and the other department adds it in the same composition, agreed by both — remove @override`,
        }
      : {
          explanation: `${department}'s ${coordinate} @requires ${argument}: the gateway would fetch them from the departments that own them, under the caller's grants, and send them to ${department} with every request for ${coordinate}, though no contract grants ${department} them.`,
          fix: `read other departments' data through the gateway as ${department}'s own platform app, under a contract that grants it (GATEWAY_URL, GATEWAY_CLIENT_KEY_FILE) — remove @requires and the @external fields`,
        };
  return { code: 'FIELD_OF_ANOTHER_DEPARTMENT', message: `${department} applies ${found.written} to ${coordinate}`, ...explained, sameCause: [] };
}

/** An entity whose key more than one department declares (contracts/entity-owners.ts). */
export function ownedTwice(type: string, owners: readonly string[]): CompositionProblem {
  return {
    code: 'ENTITY_OWNED_TWICE',
    message: `${listed(owners)} ${owners.length === 2 ? 'both' : 'all'} declare the key of ${type}`,
    explanation: `${listed(owners)} each give ${type}'s key a sharing class (on the key field or on the type), so each claims to own ${type}. An entity has one owner: the access matrix names it for every grant of the key, and only it declares the key's class.`,
    fix: `the department that does not own ${type} restates its key without @sharing, on the key field and on the type, and puts @sharing on its own fields only (see docs/departments.md)`,
    sameCause: [],
  };
}

const indent = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);

/** A problem as text: the plain words and the fix first, then what federation said. */
export function formatCompositionProblem(problem: CompositionProblem): string {
  const original = `${problem.code}: ${problem.message}`;
  if (!problem.explanation) return original;
  const more = problem.sameCause.length > 0 ? `\n    (and ${problem.sameCause.length} more error${problem.sameCause.length > 1 ? 's' : ''} of the same cause: ${[...new Set(problem.sameCause.map((e) => e.code))].join(', ')})` : '';
  return `${problem.explanation}\n    fix: ${problem.fix}\n    federation said: ${indent(original, '      ')}${more}`;
}
