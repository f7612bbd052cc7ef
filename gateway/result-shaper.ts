/**
 * Shapes the data merged from the departments into the operation's answer: only the fields the
 * operation asked for, under their response names, `__typename` filled in, fragments applied by the
 * rows' own types, `@skip`/`@include` obeyed, and a null in a non-null position carried up to the nearest
 * nullable parent with an error — the same answer @apollo/gateway's post-processing gives. It is compiled
 * once per operation (types, conditions and fragments resolved ahead) and cached with the plan, where
 * Apollo's walks its own operation model for every row of every request.
 */
import {
  GraphQLBoolean,
  GraphQLError,
  GraphQLObjectType,
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  typeFromAST,
  valueFromAST,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { answerError } from './errors';

type Row = Record<string, unknown>;
type Variables = Readonly<Record<string, unknown>>;

/** `@skip(if:)` / `@include(if:)` on a selection: skipped when `skip` is true or `include` is false. */
interface Conditions {
  skip?: DirectiveNode;
  include?: DirectiveNode;
}

/** A field's type compiled ahead, so that shaping a row reads properties instead of testing graphql-js types. */
type ValueShape =
  | { kind: 'nonNull'; of: ValueShape; label: string }
  | { kind: 'list'; of: ValueShape; label: string }
  | { kind: 'composite'; type: GraphQLCompositeType; label: string }
  | { kind: 'leaf'; valid: (value: unknown) => boolean; label: string };

type Step =
  | { kind: 'typename'; key: string; conditions: Conditions }
  | {
      kind: 'field';
      key: string;
      name: string;
      /** `Type.field` when the parent is an object type at compile time; else made from the row's own type. */
      coordinate: string | undefined;
      /**
       * Whose rows a row gate checks: the field's named type when it is an object type; for an interface or
       * union, each row's own `__typename`.
       */
      rows: string | 'own type' | undefined;
      /** For a field with arguments that returns one row of an object type (a lookup): that type. */
      lookup: string | undefined;
      /** Whether the same response key is selected again at this level (through fragments): gate it once. */
      repeated: boolean;
      shape: ValueShape;
      selection: CompiledSet | undefined;
      conditions: Conditions;
    }
  | { kind: 'fragment'; on: GraphQLCompositeType | undefined; selection: CompiledSet; conditions: Conditions };

type CompiledSet = Step[];

export interface ShapedResult {
  data: Row | null;
  /** Values the departments returned that break the schema (a null where none may be). */
  errors: GraphQLError[];
}

/**
 * What the result gate does on the way (`result-gate.ts`): changes a field's value (masks) and decides
 * whether a row may be shown. A withheld row is removed from its list, or nulled, as if it were not there;
 * a lookup (or a non-null field) answers FORBIDDEN at its path instead.
 */
export interface RowGate {
  /** The value to shape in place of `value` (already non-null) for this field coordinate. */
  value(coordinate: string, value: unknown): unknown;
  /** Why this row of that object type may not be shown, or undefined; told of every row it lets through. */
  withhold(row: Row, type: string): string | undefined;
  /**
   * What a lookup of a row of that type answers, withheld or not found alike (so the answer does not say
   * whether a row the app may not see exists), or undefined when no row rule applies to the type.
   */
  notFound?(type: string): string | undefined;
}

export type Shaper = (input: Row, variables: Variables, gate?: RowGate) => ShapedResult;

function conditionsOf(directives: readonly DirectiveNode[] | undefined): Conditions {
  const conditions: Conditions = {};
  for (const directive of directives ?? []) {
    if (directive.name.value === 'skip') conditions.skip = directive;
    if (directive.name.value === 'include') conditions.include = directive;
  }
  return conditions;
}

function conditionValue(directive: DirectiveNode, variables: Variables): boolean {
  const argument = directive.arguments?.find((a) => a.name.value === 'if');
  return argument ? valueFromAST(argument.value, GraphQLBoolean, variables as Record<string, unknown>) === true : false;
}

function skipped(conditions: Conditions, variables: Variables): boolean {
  if (conditions.skip && conditionValue(conditions.skip, variables)) return true;
  return conditions.include !== undefined && !conditionValue(conditions.include, variables);
}

/** The type a row is checked as: the field's own object type, or, behind an interface or union, its __typename. */
function rowType(rows: string, row: Row): string | undefined {
  if (rows !== 'own type') return rows;
  return typeof row['__typename'] === 'string' ? row['__typename'] : undefined;
}

function compileSet(schema: GraphQLSchema, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, fragments: ReadonlyMap<string, FragmentDefinitionNode>): CompiledSet {
  const steps: CompiledSet = [];
  for (const selection of selectionSet.selections) {
    const conditions = conditionsOf(selection.directives);
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (selection.name.value === '__typename') {
        steps.push({ kind: 'typename', key, conditions });
        continue;
      }
      if (isUnionType(parent)) throw new Error(`cannot select ${selection.name.value} on the union ${parent.name}`);
      const field = parent.getFields()[selection.name.value];
      if (!field) throw new Error(`${parent.name}.${selection.name.value} is not in the schema`);
      const named = getNamedType(field.type);
      const nested = selection.selectionSet && isCompositeType(named) ? markRepeated(compileSet(schema, selection.selectionSet, named, fragments)) : undefined;
      steps.push({
        kind: 'field',
        key,
        name: selection.name.value,
        coordinate: isObjectType(parent) ? `${parent.name}.${selection.name.value}` : undefined,
        rows: isObjectType(named) ? named.name : isAbstractType(named) ? 'own type' : undefined,
        lookup: selection.arguments?.length && isObjectType(named) && !isListType(isNonNullType(field.type) ? field.type.ofType : field.type) ? named.name : undefined,
        repeated: false,
        shape: compileType(field.type),
        selection: nested,
        conditions,
      });
      continue;
    }
    const definition = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
    if (!definition) throw new Error('unknown fragment');
    const on = definition.typeCondition ? (typeFromAST(schema, definition.typeCondition) as GraphQLCompositeType | undefined) : undefined;
    steps.push({ kind: 'fragment', on, selection: compileSet(schema, definition.selectionSet, on ?? parent, fragments), conditions });
  }
  return steps;
}

/** Flags the field steps of one object level (fragments included) whose response key is selected more than once. */
function markRepeated(steps: CompiledSet): CompiledSet {
  const fields: Array<Extract<Step, { kind: 'field' }>> = [];
  const collect = (set: CompiledSet) => {
    for (const step of set) {
      if (step.kind === 'field') fields.push(step);
      else if (step.kind === 'fragment') collect(step.selection);
    }
  };
  collect(steps);
  const counts = new Map<string, number>();
  for (const field of fields) counts.set(field.key, (counts.get(field.key) ?? 0) + 1);
  for (const field of fields) field.repeated = counts.get(field.key)! > 1;
  return steps;
}

function leafCheck(type: GraphQLOutputType): (value: unknown) => boolean {
  if (isEnumType(type)) return (value) => typeof value === 'string' && type.getValue(value) !== undefined;
  if (!isScalarType(type)) return () => false;
  switch (type.name) {
    case 'Int':
      return (value) => Number.isInteger(value);
    case 'Float':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return (value) => typeof value === 'string';
    case 'Boolean':
      return (value) => typeof value === 'boolean';
    case 'ID':
      return (value) => typeof value === 'string' || Number.isInteger(value);
    default:
      return () => true;
  }
}

function compileType(type: GraphQLOutputType): ValueShape {
  const label = String(type);
  if (isNonNullType(type)) return { kind: 'nonNull', of: compileType(type.ofType), label };
  if (isListType(type)) return { kind: 'list', of: compileType(type.ofType), label };
  if (isCompositeType(type)) return { kind: 'composite', type, label };
  return { kind: 'leaf', valid: leafCheck(type), label };
}

/** The schema's composite types by name and which fragment conditions they meet, looked up once each. */
class TypeLookup {
  private readonly composites = new Map<string, GraphQLCompositeType | null>();
  private readonly meets = new Map<string, boolean>();

  constructor(private readonly schema: GraphQLSchema) {}

  composite(name: string): GraphQLCompositeType | null {
    let type = this.composites.get(name);
    if (type === undefined) {
      const found = this.schema.getType(name);
      type = found && isCompositeType(found) ? found : null;
      this.composites.set(name, type);
    }
    return type;
  }

  isObject(type: GraphQLCompositeType): boolean {
    return isObjectType(type);
  }

  /** Whether `type` is `condition` or one of its possible types. */
  within(type: GraphQLCompositeType, condition: GraphQLCompositeType): boolean {
    if (type === condition) return true;
    const key = `${type.name}\u0000${condition.name}`;
    let meets = this.meets.get(key);
    if (meets === undefined) {
      meets = isAbstractType(condition) && !isUnionType(type) && this.schema.isSubType(condition, type);
      this.meets.set(key, meets);
    }
    return meets;
  }
}

class Shaping {
  readonly errors: GraphQLError[] = [];
  readonly path: Array<string | number> = [];

  constructor(
    private readonly types: TypeLookup,
    private readonly variables: Variables,
    private readonly gate: RowGate | undefined,
  ) {}

  private forbidden(reason: string): void {
    this.errors.push(answerError(`Forbidden: ${reason}.`, { path: [...this.path], extensions: { code: 'FORBIDDEN' } }));
  }

  private readonly gatedValues = new WeakMap<Row, Map<string, unknown>>();

  /** The gated value of a response key selected more than once: gated the first time, reused after. */
  private gatedOnce(gate: RowGate, step: Extract<Step, { kind: 'field' }>, parent: GraphQLCompositeType, input: Row): unknown {
    let values = this.gatedValues.get(input);
    if (!values) this.gatedValues.set(input, (values = new Map()));
    if (!values.has(step.key)) values.set(step.key, this.gated(gate, step, parent, input[step.key] ?? null));
    return values.get(step.key);
  }

  /** A field's value through the gate: masked, and its rows withheld where the rules say so. */
  private gated(gate: RowGate, step: Extract<Step, { kind: 'field' }>, parent: GraphQLCompositeType, value: unknown): unknown {
    if (value === null) {
      const reason = step.lookup === undefined ? undefined : gate.notFound?.(step.lookup);
      if (reason) this.forbidden(reason);
      return value;
    }
    let gatedValue = gate.value(step.coordinate ?? `${parent.name}.${step.name}`, value);
    if (step.rows === undefined || gatedValue === null || typeof gatedValue !== 'object') return gatedValue;
    const rows = step.rows;
    if (Array.isArray(gatedValue)) {
      // A withheld row looks like one that is not there: it is left out, with no error to count.
      return gatedValue.filter((item: unknown) => {
        if (item === null || typeof item !== 'object') return true;
        const type = rowType(rows, item as Row);
        return !(type !== undefined && gate.withhold(item as Row, type));
      });
    }
    const type = rowType(rows, gatedValue as Row);
    const reason = type === undefined ? undefined : gate.withhold(gatedValue as Row, type);
    if (!reason) return gatedValue;
    // Null, as where there is no row; a lookup answers FORBIDDEN whether the row is withheld or missing
    // (RowGate.notFound), and so does a non-null field, whose row cannot be missing.
    if (step.lookup !== undefined) this.forbidden(gate.notFound?.(step.lookup) ?? reason);
    else if (step.shape.kind === 'nonNull') this.forbidden(reason);
    return null;
  }

  private invalid(message: string): void {
    this.errors.push(answerError(message, { path: [...this.path], extensions: { code: 'INVALID_GRAPHQL' } }));
  }

  private describe(parent: GraphQLCompositeType, label: string): string {
    const last = this.path[this.path.length - 1];
    return typeof last === 'string' ? `field ${parent.name}.${last}` : `array element of type ${label} at index ${String(last)}`;
  }

  /** Fills `output` from `input`; false when a non-null field came out null and the object must be null. */
  set(input: Row, steps: CompiledSet, output: Row, parent: GraphQLCompositeType): boolean {
    for (const step of steps) {
      if ((step.conditions.skip || step.conditions.include) && skipped(step.conditions, this.variables)) continue;
      if (step.kind === 'typename') {
        if (output[step.key] !== undefined) continue;
        let value = input[step.key] ?? null;
        if (value === null && step.key !== '__typename') value = input['__typename'] ?? null;
        const type = (typeof value === 'string' ? this.types.composite(value) : null) ?? parent;
        if (!this.types.isObject(type)) return false;
        output[step.key] = type.name;
        continue;
      }
      if (step.kind === 'fragment') {
        if (step.on) {
          const typename = input['__typename'];
          const actual = typeof typename === 'string' ? this.types.composite(typename) : parent;
          if (!actual || !this.types.within(actual, step.on)) continue;
        }
        if (!this.set(input, step.selection, output, step.on ?? parent)) return false;
        continue;
      }
      this.path.push(step.key);
      const raw = input[step.key] ?? null;
      const gated = this.gate ? (step.repeated ? this.gatedOnce(this.gate, step, parent, input) : this.gated(this.gate, step, parent, raw)) : raw;
      const shaped = this.value(output[step.key], step.shape, gated, step.selection, parent);
      output[step.key] = shaped.value;
      this.path.pop();
      if (shaped.bubble) return false;
    }
    return true;
  }

  /** One value; `bubble` when it is null in a non-null position, `reported` once an error says why. */
  private value(existing: unknown, shape: ValueShape, input: unknown, selection: CompiledSet | undefined, parent: GraphQLCompositeType): { value: unknown; bubble?: boolean; reported?: boolean } {
    if (existing === null || (existing !== undefined && !selection)) return { value: existing };
    if (shape.kind === 'nonNull') {
      const inner = this.value(existing, shape.of, input, selection, parent);
      if (inner.value !== null) return { value: inner.value };
      if (!inner.reported) this.invalid(`Cannot return null for non-nullable ${this.describe(parent, shape.of.label)}.`);
      return { value: null, bubble: true, reported: true };
    }
    if (input === null) return { value: null };
    if (shape.kind === 'list') {
      if (!Array.isArray(input)) {
        this.invalid(`Invalid non-list value found for ${this.describe(parent, shape.label)}.`);
        return { value: null, reported: true };
      }
      const outputs = Array.isArray(existing) && existing.length === input.length ? existing : undefined;
      const list: unknown[] = new Array(input.length);
      let bubble = false;
      let reported = false;
      for (let i = 0; i < input.length; i++) {
        this.path.push(i);
        const item = this.value(outputs?.[i], shape.of, input[i] ?? null, selection, parent);
        this.path.pop();
        list[i] = item.value;
        bubble ||= item.bubble === true;
        reported ||= item.reported === true;
      }
      return { value: bubble ? null : list, reported };
    }
    if (shape.kind === 'composite') {
      if (typeof input !== 'object' || !selection) {
        this.invalid(`Invalid non-object value found for ${this.describe(parent, shape.label)}.`);
        return { value: null, reported: true };
      }
      const typename = (input as Row)['__typename'];
      let own: GraphQLCompositeType = shape.type;
      if (typeof typename === 'string') {
        const named = this.types.composite(typename);
        if (!named) {
          this.invalid(`Invalid __typename found for object at ${this.describe(parent, shape.label)}.`);
          return { value: null, reported: true };
        }
        own = named;
      }
      const object = (existing as Row | undefined) ?? {};
      const complete = this.set(input as Row, selection, object, own);
      return complete ? { value: object } : { value: null, reported: true };
    }
    if (shape.valid(input)) return { value: input };
    this.invalid(`Invalid value found for ${this.describe(parent, shape.label)}.`);
    return { value: null, reported: true };
  }
}

export function compileShaper(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Shaper {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`the schema has no ${operation.operation} type`);
  const steps = markRepeated(compileSet(schema, operation.selectionSet, root, fragments));
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (!definition.defaultValue) continue;
    const type = typeFromAST(schema, definition.type);
    if (type) defaults[definition.variable.name.value] = valueFromAST(definition.defaultValue, type as never);
  }
  const types = new TypeLookup(schema);
  return (input, variables, gate) => {
    const shaping = new Shaping(types, { ...defaults, ...variables }, gate);
    const data: Row = {};
    const complete = shaping.set(input, steps, data, root as GraphQLObjectType);
    return { data: complete ? data : null, errors: shaping.errors };
  };
}
