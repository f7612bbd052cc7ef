/**
 * Step 5 (ARCHITECTURE.md): the result gate. Shapes the data the departments returned (merged, not yet
 * shaped, when GovGraph's executor ran the plan) by the client's own document (`result-shaper.ts`,
 * compiled once per document) and applies the row rules and masks on the
 * way: a row outside the app's region, outside its case or not the operator's own is removed from lists
 * (or nulled) as if it were not there — a lookup answers FORBIDDEN, withheld or missing alike — and
 * the first reason is kept for the audit record; masked fields are masked. Injected fields are dropped
 * because the client's document does not ask for them. (It re-executed the document with graphql-js
 * before: 5 ms per 1,000 objects.)
 */
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { withinRegions } from '../contracts/caller';
import { maskField } from '../contracts/masking';
import { compileShaper, type RowGate, type Shaper } from './result-shaper';
import { KEY_ALIAS, REGION_ALIAS, ownersOfRow, type RowRules } from './row-rules';

type Row = Record<string, unknown>;

function regionOf(row: Row, path: string, index: number): string | undefined {
  let value: unknown = row[`${REGION_ALIAS}_${index}`];
  for (const segment of path.split('.').slice(1)) value = (value as Row | null | undefined)?.[segment];
  return typeof value === 'string' ? value : undefined;
}

/** Whether some row rule of this request applies to rows of the type. */
function rowRuled(type: string, rules: RowRules): boolean {
  return (
    rules.regionPaths.has(type) ||
    (rules.case !== undefined && rules.case.binds.has(type) && rules.keyFields.has(type)) ||
    (rules.operator !== undefined && (rules.operator.type === type || rules.ownerPaths.has(type)))
  );
}

/** Why a row may not be shown, or undefined when it may. */
function rowDenial(row: Row, type: string, rules: RowRules): string | undefined {
  const regionPaths = rules.regionPaths.get(type);
  if (regionPaths) {
    const inRegion = regionPaths.some((path, i) => {
      const region = regionOf(row, path, i);
      return region !== undefined && withinRegions(region, rules.regions);
    });
    if (!inRegion) return `this ${type} lies outside the app's region`;
  }
  const key = row[KEY_ALIAS];
  if (rules.case && rules.case.binds.has(type) && rules.keyFields.has(type)) {
    const inCase = typeof key === 'string' && (rules.case.info.subjects.has(key) || (type === rules.case.type && key === rules.case.info.id));
    if (!inCase) return `this ${type} is not part of case ${rules.case.info.id}`;
  }
  if (rules.operator && type === rules.operator.type && key !== rules.operator.id) return `this ${type} is not the operator's own data`;
  // A row with several owners (a licence: its holder and its representative) is the operator's own if any of them is the operator.
  const ownerPaths = rules.ownerPaths.get(type);
  if (rules.operator && ownerPaths && (rules.operator.id === '' || !ownersOfRow(row, ownerPaths).includes(rules.operator.id))) return `this ${type} is not the operator's own data`;
  return undefined;
}

/**
 * The client's own document, compiled once per document and kept while the document is (rewritten
 * documents are cached by the guard), run over the fetched data with the rules as a row gate.
 */
export function createResultGate(apiSchema: GraphQLSchema) {
  const shapers = new WeakMap<DocumentNode, Map<string, Shaper>>();
  const shaperFor = (document: DocumentNode, operationName: string | null | undefined): Shaper => {
    let byName = shapers.get(document);
    if (!byName) shapers.set(document, (byName = new Map()));
    let shaper = byName.get(operationName ?? '');
    if (!shaper) {
      const operation = getOperationAST(document, operationName);
      if (!operation) throw new Error('the result gate was given a document without that operation');
      shaper = compileShaper(apiSchema, document, operation);
      byName.set(operationName ?? '', shaper);
    }
    return shaper;
  };
  return async function applyResultGate(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | undefined,
    data: Record<string, unknown>,
    rules: RowRules,
    subjects: Set<string> = new Set(),
  ): Promise<ExecutionResult & { withheld?: string }> {
    let withheld: string | undefined;
    const gate: RowGate = {
      value: (coordinate, value) => {
        const mask = rules.masks.get(coordinate);
        return mask ? maskField(mask, value) : value;
      },
      notFound: (type) => (rowRuled(type, rules) ? `no ${type} the app may read answers this lookup` : undefined),
      withhold: (row, type) => {
        const ownerPaths = rules.ownerPaths.get(type);
        if (!rules.regionPaths.has(type) && !rules.keyFields.has(type) && !ownerPaths) return undefined;
        const reason = rowDenial(row, type, rules);
        if (reason) {
          withheld ??= reason;
          return reason;
        }
        const key = row[KEY_ALIAS];
        if (rules.subjectTypes.has(type) && typeof key === 'string') subjects.add(key);
        if (ownerPaths) for (const owner of ownersOfRow(row, ownerPaths)) subjects.add(owner);
        return undefined;
      },
    };
    const result = shaperFor(document, operationName)(data, variables ?? {}, gate);
    // Refused lookups are the client's to know; values the departments got wrong are reported as Apollo does.
    const errors = result.errors.filter((e) => e.extensions['code'] === 'FORBIDDEN');
    const valueCompletion = result.errors.filter((e) => e.extensions['code'] !== 'FORBIDDEN');
    return {
      data: result.data,
      ...(errors.length > 0 && { errors }),
      ...(valueCompletion.length > 0 && { extensions: { valueCompletion } }),
      ...(withheld !== undefined && { withheld }),
    };
  };
}

export type ResultGate = ReturnType<typeof createResultGate>;
