/**
 * Step 5 (ARCHITECTURE.md): the result gate. Re-executes the client's own document over the data the
 * departments returned, on a copy of the API schema whose resolvers read the fetched values, and applies
 * the row rules and masks on the way: a row outside the app's region, outside its case or not the
 * operator's own is removed from lists (or nulled) with a FORBIDDEN error at its path; masked fields are
 * masked. Injected fields are dropped because the client's document does not ask for them.
 */
import {
  GraphQLError,
  buildASTSchema,
  execute,
  getNamedType,
  isObjectType,
  parse,
  printSchema,
  responsePathAsArray,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { maskField } from '../contracts/masking';
import { KEY_ALIAS, REGION_ALIAS, type RowRules } from './row-rules';

interface GateContext {
  rules: RowRules;
  errors: GraphQLError[];
  /** Keys of the data subjects whose rows were released (for the audit trail). */
  subjects: Set<string>;
}

type Row = Record<string, unknown>;

function regionOf(row: Row, path: string, index: number): string | undefined {
  let value: unknown = row[`${REGION_ALIAS}_${index}`];
  for (const segment of path.split('.').slice(1)) value = (value as Row | null | undefined)?.[segment];
  return typeof value === 'string' ? value : undefined;
}

/** Why a row may not be shown, or undefined when it may. */
function rowDenial(row: Row, type: string, rules: RowRules): string | undefined {
  const regionPaths = rules.regionPaths.get(type);
  if (regionPaths) {
    const inRegion = regionPaths.some((path, i) => {
      const region = regionOf(row, path, i);
      return region !== undefined && rules.regions.every((prefix) => region.startsWith(prefix));
    });
    if (!inRegion) return `this ${type} lies outside the app's region`;
  }
  const key = row[KEY_ALIAS];
  if (rules.case && rules.case.binds.has(type) && rules.keyFields.has(type)) {
    const inCase = typeof key === 'string' && (rules.case.info.subjects.has(key) || (type === rules.case.type && key === rules.case.info.id));
    if (!inCase) return `this ${type} is not part of case ${rules.case.info.id}`;
  }
  if (rules.operator && type === rules.operator.type && key !== rules.operator.id) return `this ${type} is not the operator's own data`;
  return undefined;
}

function checkRows(value: unknown, type: string, info: GraphQLResolveInfo, context: GateContext): unknown {
  const deny = (reason: string, index?: number) => {
    const path = [...responsePathAsArray(info.path), ...(index === undefined ? [] : [index])];
    context.errors.push(new GraphQLError(`Forbidden: ${reason}.`, { path, extensions: { code: 'FORBIDDEN' } }));
  };
  const released = (row: Row) => {
    const key = row[KEY_ALIAS];
    if (context.rules.subjectTypes.has(type) && typeof key === 'string') context.subjects.add(key);
  };
  if (Array.isArray(value)) {
    return value.filter((item, index) => {
      if (item === null || typeof item !== 'object') return true;
      const reason = rowDenial(item as Row, type, context.rules);
      if (reason) deny(reason, index);
      else released(item as Row);
      return !reason;
    });
  }
  if (value === null || typeof value !== 'object') return value;
  const reason = rowDenial(value as Row, type, context.rules);
  if (!reason) {
    released(value as Row);
    return value;
  }
  deny(reason);
  return null;
}

function gatedResolver(parent: unknown, _args: unknown, context: GateContext, info: GraphQLResolveInfo): unknown {
  let value = (parent as Row | null)?.[info.path.key as string];
  if (value === undefined || value === null) return value;
  const mask = context.rules.masks.get(`${info.parentType.name}.${info.fieldName}`);
  if (mask) value = maskField(mask, value);
  const type = getNamedType(info.returnType);
  if (isObjectType(type) && (context.rules.regionPaths.has(type.name) || context.rules.keyFields.has(type.name))) {
    value = checkRows(value, type.name, info, context);
  }
  return value;
}

export function createResultGate(apiSchema: GraphQLSchema) {
  const schema = buildASTSchema(parse(printSchema(apiSchema)));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) field.resolve = gatedResolver;
  }
  return async function applyResultGate(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | undefined,
    data: Record<string, unknown>,
    rules: RowRules,
    subjects: Set<string> = new Set(),
  ): Promise<ExecutionResult> {
    const context: GateContext = { rules, errors: [], subjects };
    const result = await execute({
      schema,
      document,
      rootValue: data,
      contextValue: context,
      variableValues: variables ?? {},
      operationName: operationName ?? null,
      typeResolver: (value) => (value as Row | null)?.['__typename'] as string | undefined,
    });
    const errors = [...context.errors, ...(result.errors ?? [])];
    return { data: result.data ?? null, ...(errors.length > 0 && { errors }) };
  };
}

export type ResultGate = ReturnType<typeof createResultGate>;
