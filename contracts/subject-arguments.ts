/**
 * Arguments that name a data subject (TRUST.md: "an argument naming a subject is a read of it").
 * `applications(applicant: "<ID number>")` tells whoever may send it whether that person applied, how
 * often and with what outcome, even if it may read nothing of the person: so such an argument is granted
 * like a field, by its schema coordinate — `Query.applications(applicant:)` for an argument,
 * `SubmitApplicationInput.applicant` for a field of an input object — and refused otherwise.
 *
 * Which arguments those are is derived from the schema, never listed by hand: every argument or input
 * field whose type is the type of a subject key (`platform.yaml` subjectKeys: Person.idNumber is an
 * IdNumber, so every IdNumber argument names a Person). A `String` one that takes the keys of several
 * kinds of subject (`auditRecords(subject:)`: an ID number or a credit code) is declared in
 * `platform.yaml` subjectArguments instead, and `contracts check` refuses a `String` argument named like a
 * subject's key that is not declared (`undeclaredSubjectArguments`).
 */
import {
  Kind,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
  typeFromAST,
  valueFromAST,
} from 'graphql';

import type { AccessDecision } from './access-policy';
import type { Platform } from './platform-schema';
import { SHARING_CLASSES } from './sharing-class';
import type { Catalog } from './supergraph-catalog';

export interface SubjectArgument {
  /** `Query.person(idNumber:)` or `SubmitApplicationInput.applicant`. */
  coordinate: string;
  /** The subject types it names: Person for an IdNumber; those declared for a `String` (Person, Enterprise). */
  subjects: readonly string[];
  /** Their key field coordinates (Person.idNumber). */
  keys: readonly string[];
}

/** What the platform file says about subject keys: their types, and the `String` arguments that carry them. */
export type SubjectDeclarations = Pick<Platform, 'subjectKeys' | 'subjectArguments'>;

/** Without a platform file: no subject keys, so no subject arguments. */
export const NO_DECLARATIONS: SubjectDeclarations = { subjectKeys: {}, subjectArguments: {} };

export interface SubjectArguments {
  /** Every subject argument of the schema, by coordinate. */
  readonly byCoordinate: ReadonlyMap<string, SubjectArgument>;
  /** The subject each key scalar names (IdNumber → Person). */
  readonly scalars: ReadonlyMap<string, string>;
}

/**
 * Where an operation takes a subject's key from: a literal in its text, or a variable of this type (a
 * subject key, or an input object holding some).
 */
export type SubjectSource = { coordinate: string; subjects: readonly string[]; literal: string } | { coordinate: string; variable: string; type: GraphQLInputType };

/** What one argument value of an operation gives: the subject arguments it uses, and where their keys come from. */
export interface SubjectUses {
  uses: SubjectArgument[];
  sources: SubjectSource[];
}

export const argumentCoordinate = (owner: string, field: string, argument: string) => `${owner}.${field}(${argument}:)`;

export function subjectArguments(schema: GraphQLSchema, declarations: SubjectDeclarations): SubjectArguments {
  const scalars = new Map<string, string>();
  const keys = new Map<string, string>();
  for (const [typeName, key] of Object.entries(declarations.subjectKeys)) {
    const type = schema.getType(typeName);
    const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[key] : undefined;
    const scalar = field && getNamedType(field.type);
    if (scalar && isScalarType(scalar) && !scalars.has(scalar.name)) {
      scalars.set(scalar.name, typeName);
      keys.set(typeName, `${typeName}.${key}`);
    }
  }
  const byCoordinate = new Map<string, SubjectArgument>();
  const named = (coordinate: string, subjects: readonly string[]): SubjectArgument => ({ coordinate, subjects, keys: subjects.map((s) => keys.get(s) ?? `${s}.${declarations.subjectKeys[s]}`) });
  const add = (coordinate: string, type: GraphQLInputType) => {
    const subject = scalars.get(getNamedType(type).name);
    const declared = declarations.subjectArguments[coordinate];
    if (subject) byCoordinate.set(coordinate, named(coordinate, [subject]));
    else if (declared && isScalarType(getNamedType(type))) byCoordinate.set(coordinate, named(coordinate, declared));
  };
  forEachInput(schema, (coordinate, _, type) => add(coordinate, type));
  return { byCoordinate, scalars };
}

/**
 * The subject fields an operation's variables send: for each variable of an input object type that can
 * hold some, those its value holds (or its default's, when the request gives none), however deep and in
 * lists. A field is sent when its name is in the value, even with null; a value that is not an object is
 * taken to send every subject field its type can hold.
 */
export type SentSubjectFields = ReadonlyMap<string, readonly SubjectArgument[]>;

export function subjectFieldsSent(
  known: SubjectArguments,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): SentSubjectFields {
  const sent = new Map<string, SubjectArgument[]>();
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type);
    const named = type && getNamedType(type);
    if (!isInputObjectType(named) || subjectFieldsOf(known, named).length === 0) continue;
    const name = definition.variable.name.value;
    const given = variables[name];
    const value = given === undefined && definition.defaultValue ? valueFromAST(definition.defaultValue, type as GraphQLInputType) : given;
    // A default that cannot be read (the operation would not validate) is taken to send all it could.
    sent.set(name, value === undefined && definition.defaultValue ? subjectFieldsOf(known, named) : fieldsInValue(known, named, value));
  }
  return sent;
}

function fieldsInValue(known: SubjectArguments, type: GraphQLInputObjectType, value: unknown, found: SubjectArgument[] = []): SubjectArgument[] {
  if (value === null || value === undefined) return found;
  if (Array.isArray(value)) {
    for (const item of value) fieldsInValue(known, type, item, found);
    return found;
  }
  if (typeof value !== 'object') {
    found.push(...subjectFieldsOf(known, type));
    return found;
  }
  for (const field of Object.values(type.getFields())) {
    if (!Object.hasOwn(value, field.name)) continue;
    const argument = known.byCoordinate.get(`${type.name}.${field.name}`);
    const named = getNamedType(field.type);
    if (argument) found.push(argument);
    else if (isInputObjectType(named)) fieldsInValue(known, named, (value as Record<string, unknown>)[field.name], found);
  }
  return found;
}

/**
 * The subject arguments one argument value uses, and where each key comes from. Literals are read from the
 * text. A variable of an input object type uses the subject fields its value sends (`sent`, so an
 * operation's uses depend on its variables); without `sent`, every subject field its type can hold. The
 * keys themselves are read per request (`subjectsNamed`).
 */
export function usesInValue(known: SubjectArguments, coordinate: string, type: GraphQLInputType, value: ValueNode, into: SubjectUses, sent?: SentSubjectFields): void {
  const named = getNamedType(type);
  const argument = known.byCoordinate.get(coordinate);
  if (argument) {
    // Written, even as null, it is used: judged as the same field sent through a variable is.
    into.uses.push(argument);
    if (value.kind === Kind.VARIABLE) into.sources.push({ coordinate, variable: value.name.value, type });
    else if (value.kind === Kind.LIST) for (const item of value.values) usesInValue(known, coordinate, named, item, into, sent);
    else if (value.kind === Kind.STRING) into.sources.push({ coordinate, subjects: argument.subjects, literal: value.value });
    return;
  }
  if (value.kind === Kind.NULL || !isInputObjectType(named)) return;
  if (value.kind === Kind.VARIABLE) {
    const reachable = subjectFieldsOf(known, named);
    if (reachable.length === 0) return;
    into.uses.push(...(sent?.get(value.name.value) ?? reachable));
    into.sources.push({ coordinate, variable: value.name.value, type });
  } else if (value.kind === Kind.LIST) {
    for (const item of value.values) usesInValue(known, coordinate, named, item, into, sent);
  } else if (value.kind === Kind.OBJECT) {
    const fields = named.getFields();
    for (const field of value.fields) {
      const definition = fields[field.name.value];
      if (definition) usesInValue(known, `${named.name}.${definition.name}`, definition.type, field.value, into, sent);
    }
  }
}

/** The subject fields an input type can hold, however deep. */
function subjectFieldsOf(known: SubjectArguments, type: GraphQLInputObjectType, seen = new Set<string>()): SubjectArgument[] {
  if (seen.has(type.name)) return [];
  seen.add(type.name);
  const found: SubjectArgument[] = [];
  for (const field of Object.values(type.getFields())) {
    const argument = known.byCoordinate.get(`${type.name}.${field.name}`);
    if (argument) found.push(argument);
    const named = getNamedType(field.type);
    if (isInputObjectType(named)) found.push(...subjectFieldsOf(known, named, seen));
  }
  return found;
}

/**
 * The key an argument's sharing class is taken from: of the keys it may carry, the least shared (a holder
 * that may be a person or an enterprise is granted as a person's ID number is). A department's own
 * catalog may hold only some of them (the audit service has a Person, no Enterprise): those it holds decide.
 */
export function sharingKey(catalog: Pick<Catalog, 'fields'>, argument: SubjectArgument): string {
  const rank = (key: string) => {
    const sharing = catalog.fields.get(key)?.sharing.class;
    return sharing ? SHARING_CLASSES.indexOf(sharing) : -1;
  };
  return argument.keys.reduce((strictest, key) => (rank(key) > rank(strictest) ? key : strictest));
}

/** Names that say an argument takes a subject's key (`holder`, `subjectKey`, `applicantIdNumber`, `creditCode`). */
const SUBJECT_LIKE_NAME = /^(subject|holder|applicant|citizen|owner|person|enterprise)(key|id)?$|(idnumber|creditcode)$/i;

/**
 * `String` arguments and input fields named like a subject's key that are neither typed as one nor declared
 * in `platform.yaml` subjectArguments: such an argument would name a subject without a grant, a binding or
 * a trace in the subject's access log.
 */
export function undeclaredSubjectArguments(schema: GraphQLSchema, known: SubjectArguments): string[] {
  const found: string[] = [];
  forEachInput(schema, (coordinate, name, type) => {
    const scalar = getNamedType(type);
    if ((scalar.name === 'String' || scalar.name === 'ID') && SUBJECT_LIKE_NAME.test(name) && !known.byCoordinate.has(coordinate)) found.push(coordinate);
  });
  return found;
}

/** Declared subject arguments that are no scalar argument or input field of the schema: a misspelt one would protect nothing. */
export function misdeclaredSubjectArguments(schema: GraphQLSchema, declarations: SubjectDeclarations): string[] {
  const scalars = new Set<string>();
  forEachInput(schema, (coordinate, _, type) => {
    if (isScalarType(getNamedType(type))) scalars.add(coordinate);
  });
  return Object.keys(declarations.subjectArguments).filter((coordinate) => !scalars.has(coordinate));
}

/** Every argument of an object type's field and every input object field, by coordinate. */
function forEachInput(schema: GraphQLSchema, visit: (coordinate: string, name: string, type: GraphQLInputType) => void): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    // Object types only, like grants: an interface's field is granted on each implementation.
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>) {
        for (const argument of field.args) visit(argumentCoordinate(type.name, field.name, argument.name), argument.name, argument.type);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) visit(`${type.name}.${field.name}`, field.name, field.type);
    }
  }
}

export interface NamedSubject {
  coordinate: string;
  subject: string;
  /** The raw key (never logged: the audit trail keeps its HMAC). */
  key: string;
}

/** The subjects an operation names, with this request's variables (or their defaults in the operation). */
export function subjectsNamed(
  known: SubjectArguments,
  sources: readonly SubjectSource[],
  variables: Readonly<Record<string, unknown>>,
  operation: OperationDefinitionNode,
): NamedSubject[] {
  const named: NamedSubject[] = [];
  for (const source of sources) {
    if ('literal' in source) {
      for (const subject of source.subjects) named.push({ coordinate: source.coordinate, subject, key: subjectKeyOf(source.literal) });
      continue;
    }
    let value = variables[source.variable];
    if (value === undefined) {
      const fallback = operation.variableDefinitions?.find((d) => d.variable.name.value === source.variable)?.defaultValue;
      value = fallback && valueFromAST(fallback, source.type);
    }
    collectKeys(known, source.coordinate, source.type, value, named);
  }
  return named;
}

/** The subjects a field's arguments name, as resolved (variables and defaults applied): what a department sees. */
export function subjectsInArguments(known: SubjectArguments, owner: string, field: GraphQLField<unknown, unknown>, args: Readonly<Record<string, unknown>>): NamedSubject[] {
  const named: NamedSubject[] = [];
  for (const argument of field.args) collectKeys(known, argumentCoordinate(owner, field.name, argument.name), argument.type, args[argument.name], named);
  return named;
}

/**
 * Why a named subject may not be read under an operator-bound grant (it is not the operator, or there is
 * no operator), or undefined. Decided on the value alone, so it says nothing of whether the subject exists.
 */
export function operatorDenial(
  named: readonly NamedSubject[],
  decisions: ReadonlyMap<string, AccessDecision>,
  operatorSubject: string | undefined,
  operator: string | undefined,
): string | undefined {
  for (const { coordinate, subject, key } of named) {
    const decision = decisions.get(coordinate);
    if (decision?.allowed && decision.operatorBound && subject === operatorSubject && key !== operator) return `the ${subject} that ${coordinate} names is not the operator's own data`;
  }
  return undefined;
}

function collectKeys(known: SubjectArguments, coordinate: string, type: GraphQLInputType, value: unknown, found: NamedSubject[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) collectKeys(known, coordinate, type, item, found);
    return;
  }
  const argument = known.byCoordinate.get(coordinate);
  if (argument) {
    if (typeof value === 'string') for (const subject of argument.subjects) found.push({ coordinate, subject, key: subjectKeyOf(value) });
    return;
  }
  const named = getNamedType(type);
  if (!isInputObjectType(named) || typeof value !== 'object') return;
  for (const field of Object.values(named.getFields())) {
    collectKeys(known, `${named.name}.${field.name}`, field.type, (value as Record<string, unknown>)[field.name], found);
  }
}

/**
 * A key as the departments read it (`verifyCertificate` trims and upper-cases the holder; the scalars
 * accept a lower-case x): so the audit records the HMAC the subject's access log looks for, and the
 * operator and case rules compare what the department will use.
 */
export const subjectKeyOf = (value: string) => value.trim().toUpperCase();
