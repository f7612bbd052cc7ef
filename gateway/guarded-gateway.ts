/**
 * Wraps @apollo/gateway's executor so the access gates run around planning (graphql-shield applied to
 * the gateway's schema is never called: the executor runs query plans, not resolvers). In flow order:
 * introspection answered from the app's own schema; `@skip`/`@include` decided with the request's
 * variables (the switched-off selections removed: every later step sees only what will run); the access
 * gate; the case lookup; the document rewrite (denied fields removed in filter mode, row-rule fields
 * added) with its own plan-cache key; planning and execution (by the plan executor, or @apollo/gateway's
 * executor for plans it leaves); the result gate.
 */
import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import { SPAN_ATTRIBUTES, type Tracing } from '../http/tracing';
import {
  Kind,
  TypeInfo,
  getOperationAST,
  print,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { chinaDay } from '../contracts/access-policy';
import { describedAppSchema } from '../contracts/app-schema-notes';
import { compileRuleTree, ruleContextKey } from '../contracts/compile-rule-tree';
import type { AccessControl } from './access-control';
import { createAccessGate, type AccessGate } from '../contracts/access-gate';
import { errorsOfDenials } from './denial-errors';
import type { CaseLookup } from './case-lookup';
import type { RateVerdict } from './rate-limiter';
import { gatewayError } from './errors';
import { createResultGate, type ResultGate } from './result-gate';
import type { AuditFacts, AuditedContext } from './audit-plugin';
import { collectAndStripKeys, injectRowFields, namedSubjectDenial, needsCase, operatorMissing, planRowRules, reservedAlias } from './row-rules';
import { isRowWithheld } from '../contracts/row-withheld';
import { subjectsNamed } from '../contracts/subject-arguments';
import { createSkipInclude, type SkipInclude } from '../contracts/skip-include';
import type { DepartmentCall } from './department-call';
import { createPlanExecutor, type PlanExecutor } from './plan-executor';
import { introspectOwnSchema, introspectionShape } from './introspection';

type GatewayInterface = NonNullable<ApolloServerOptionsWithGateway<BaseContext>['gateway']>;
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type GatewayRequestContext = Parameters<GatewayExecutor>[0];
type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;

export type AccessMode = 'reject' | 'filter';

export interface GuardOptions {
  /** The supergraph the plan executor plans over, and how it calls a department. */
  supergraphSdl: string;
  callDepartment: DepartmentCall;
  logger: Logger;
  /** Told once per distinct operation which executor will run it (for the metrics). */
  planned?: (executor: 'govgraph' | 'apollo') => void;
  access: AccessControl;
  mode: AccessMode;
  lookupCase: CaseLookup;
  /** No operation is answered later than this, whatever the departments do. */
  requestTimeoutMs: number;
  /** Charges an operation's cost (the coordinates it reads) to the app's per-minute budget. */
  chargeCost: (app: string, cost: number) => Promise<RateVerdict>;
  /** Writes a permitted mutation's intent to the trail; false when it cannot (audit-plugin.ts). */
  recordIntent: (context: AuditedContext, operation: { operationName: string | null; operationHash: string | null }) => Promise<boolean>;
  /** The access gate, planning, the department calls and the result gate each run in a span of the request's trace. */
  tracing: Tracing;
}

/** Removes every field whose coordinate was denied; a selection set left empty keeps `__typename`. */
function stripDenied(document: DocumentNode, schema: GraphQLSchema, denied: ReadonlySet<string>): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        return parent && denied.has(`${parent.name}.${node.name.value}`) ? null : undefined;
      },
      SelectionSet: {
        leave(node) {
          return node.selections.length === 0 ? { ...node, selections: [typename] } : undefined;
        },
      },
    }),
  );
}

/** The result, or an error once the deadline has passed (the department calls have their own timeouts). */
async function withDeadline(execution: Promise<GatewayResult>, ms: number): Promise<GatewayResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<GatewayResult>((resolve) => {
    timer = setTimeout(() => resolve({ errors: [gatewayError('SUBGRAPH_UNAVAILABLE', `The departments did not answer within ${ms} ms.`)] }), ms);
  });
  try {
    return await Promise.race([execution, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}

export function guardGateway(gateway: ApolloGateway, options: GuardOptions): GatewayInterface {
  const { policy, platform } = options.access;
  let apiSchema: GraphQLSchema;
  let gate: AccessGate;
  let skipInclude: SkipInclude;
  let resultGate: ResultGate;
  const appSchemas = new Map<string, GraphQLSchema | undefined>();
  // Rewritten operations by what they were rewritten from: the same text, denials and row rules give the same document.
  const rewrites = new Map<string, { document: DocumentNode; clientDocument: DocumentNode; queryHash: string }>();

  let executePlan: PlanExecutor;

  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
    executePlan = createPlanExecutor({ supergraphSdl: options.supergraphSdl, apiSchema: schema, call: options.callDepartment, logger: options.logger, tracing: options.tracing, ...(options.planned && { planned: options.planned }) });
    gate = createAccessGate(compileRuleTree(policy, schema), schema, policy.subjects, platform.perOperation, ruleContextKey(policy));
    resultGate = createResultGate(schema);
    skipInclude = createSkipInclude(schema);
    appSchemas.clear();
    rewrites.clear();
  });

  const schemaOf = (app: string, now: Date) => {
    const key = `${app}@${chinaDay(now)}`;
    if (!appSchemas.has(key)) appSchemas.set(key, describedAppSchema(policy, apiSchema, app, now));
    return appSchemas.get(key);
  };

  const guard =
    (inner: GatewayExecutor): GatewayExecutor =>
    async (request: GatewayRequestContext): Promise<GatewayResult> => {
      const context = request.context as unknown as AuditedContext;
      const caller = context.caller;
      const now = new Date();
      const operation = request.operation;
      // Nothing is permitted unless a step below says so: a request that fails on the way is not recorded as PERMIT.
      const facts: AuditFacts = { fields: new Set(), subjects: new Set(), decision: 'DENY', rule: 'no access decision was reached' };
      context.audit = facts;
      const decide = (decision: AuditFacts['decision'], rule: string) => Object.assign(facts, { decision, rule });

      // Apollo Server hands over no operation when the document has several and none is named (or the name is unknown).
      if (!operation) {
        const asked = request.request.operationName;
        const problem = asked
          ? `The document has no operation named ${JSON.stringify(asked)}.`
          : 'The document holds several operations: name the one to run in operationName.';
        decide('INVALID', problem);
        return { errors: [gatewayError('BAD_USER_INPUT', problem)] };
      }
      if (operation.operation === 'subscription') {
        decide('INVALID', 'subscriptions are not served');
        return { errors: [gatewayError('BAD_USER_INPUT', 'Subscriptions are not served: send a query or a mutation.')] };
      }

      const unregistered = request.queryHash ? policy.persistedOperationProblem(caller, request.queryHash) : undefined;
      if (unregistered) {
        decide('DENY', `persisted operations: ${unregistered}`);
        return { errors: [gatewayError('FORBIDDEN', `Forbidden: ${unregistered}.`)] };
      }

      const fragments = fragmentsOf(request.document);
      const introspection = introspectionShape(operation, fragments);
      if (introspection.introspective) {
        if (introspection.readsData) {
          decide('INVALID', 'introspection mixed with data fields');
          return { errors: [gatewayError('BAD_USER_INPUT', 'Send introspection (__schema, __type) in an operation of its own.')] };
        }
        const own = schemaOf(caller.app, now);
        if (!own) {
          decide('DENY', `no contract in force for ${caller.app}`);
          return { errors: [gatewayError('FORBIDDEN', `Forbidden: app ${caller.app} has no data-sharing contract in force.`)] };
        }
        const { result, valid } = await introspectOwnSchema(own, request.document, request.operationName ?? null, request.request.variables ?? {});
        if (!valid) decide('INVALID', `the operation does not match ${caller.app}'s own schema`);
        else if (!result.data) decide('INVALID', "the operation's variables do not fit it");
        else decide('PERMIT', `introspection of ${caller.app}'s own schema`);
        return result as GatewayResult;
      }

      const reserved = reservedAlias(request.document);
      if (reserved) {
        decide('DENY', `reserved alias ${reserved}`);
        return { errors: [gatewayError('BAD_USER_INPUT', `The alias ${reserved} is reserved by the gateway: choose another.`)] };
      }
      // What @skip/@include switch off is not checked, planned, run or audited: removed here, before the gate sees it.
      const switched = skipInclude(request.document, operation, request.request.variables ?? {});
      if (switched && 'problem' in switched) {
        decide('INVALID', `@skip/@include cannot be decided: ${switched.problem}`);
        return { errors: [gatewayError('BAD_USER_INPUT', switched.problem)] };
      }
      if (switched?.empty) {
        decide('PERMIT', 'every selection is switched off by @skip/@include');
        return { data: {} };
      }
      const checked = switched?.operation ?? operation;
      const operationAttributes = { [SPAN_ATTRIBUTES.operationName]: request.operationName ?? '', [SPAN_ATTRIBUTES.operationType]: operation.operation };
      const outcome = await options.tracing.span('access gate', operationAttributes, async (span) => {
        const found = await gate(checked, switched ? fragmentsOf(switched.document) : fragments, { caller, now }, request.request.variables ?? {});
        span.set({ [SPAN_ATTRIBUTES.coordinates]: found.decisions.size, [SPAN_ATTRIBUTES.denied]: found.denials.length });
        return found;
      });
      const { decisions } = outcome;
      for (const coordinate of decisions.keys()) facts.fields.add(coordinate);
      if (outcome.overused.length > 0) {
        decide('DENY', `per-operation limit: ${outcome.overused[0]!.coordinate}`);
        return {
          errors: outcome.overused.map((o) => gatewayError('LIMIT_EXCEEDED', `${o.coordinate} may be asked at most ${o.limit} times in one operation (asked ${o.count}).`, { coordinate: o.coordinate })),
        };
      }
      for (const denial of outcome.denials) facts.fields.add(denial.coordinate);
      const charged = await options.chargeCost(caller.app, facts.fields.size);
      if (!charged.allowed) {
        decide('DENY', 'rate limit: cost per minute');
        return {
          errors: [gatewayError('RATE_LIMITED', `Too many requests: ${caller.app} has used its cost for this minute.`, { retryAfterSeconds: charged.retryAfterSeconds })],
        };
      }
      const denialErrors = errorsOfDenials(outcome.denials);
      if (outcome.denials.length > 0) facts.refused = outcome.denials.map((d) => ({ field: d.coordinate, code: d.code, reason: d.reason }));
      const purposes = [...new Set([...decisions.values()].flatMap((d) => (d.allowed ? [d.purpose] : [])))].sort();
      decide('PERMIT', `contract ${caller.app}${purposes.length ? `, purpose ${purposes.join(', ')}` : ''}`);
      let document = switched?.document ?? request.document;
      // A refused argument naming a subject removes the field it was given to.
      const denied = new Set(outcome.denials.map((d) => d.field ?? d.coordinate));
      if (denialErrors.length > 0) {
        const first = outcome.denials[0]!;
        decide(options.mode === 'reject' || operation.operation === 'mutation' ? 'DENY' : 'PARTIAL', `${first.code} ${first.coordinate}: ${first.reason}`);
        // Mutations are checked whole: nothing runs unless everything is granted.
        if (options.mode === 'reject' || operation.operation === 'mutation') return { errors: denialErrors };
        document = stripDenied(document, apiSchema, denied);
        const stripped = getOperationAST(document, request.operationName);
        const onlyTypename = stripped?.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '__typename');
        if (!stripped || onlyTypename) return { data: null, errors: denialErrors };
      }
      let clientDocument = document;

      // Refused before anything runs, so a mutation takes no effect either.
      const unbound = operatorMissing(decisions, caller);
      if (unbound) {
        decide('DENY', `purpose ${unbound} opens only the operator's own data, and the token names no operator`);
        return { errors: [gatewayError('FORBIDDEN', `Forbidden: purpose ${unbound} opens only the operator's own data, and the token names no operator.`)] };
      }

      let caseInfo;
      if (needsCase(decisions)) {
        const found = await options.lookupCase(caller);
        if (typeof found === 'string') {
          decide('DENY', `case ${caller.caseId ?? ''}: ${found}`);
          return { errors: [gatewayError('FORBIDDEN', `Forbidden: ${found}.`)] };
        }
        caseInfo = found;
        // Departments limit case-bound rows themselves: the open case's subjects travel in their tokens.
        context.caller = { ...caller, caseSubjects: [...found.subjects] };
      }
      const named = subjectsNamed(policy.subjects, outcome.subjectSources, request.request.variables ?? {}, checked);
      const namedDenial = namedSubjectDenial(platform, caller, decisions, named, caseInfo);
      if (namedDenial) {
        decide('DENY', namedDenial);
        return { errors: [gatewayError('FORBIDDEN', `Forbidden: ${namedDenial}.`)] };
      }
      // A subject an argument names is read: the audit record names it (as its HMAC).
      for (const { coordinate, key } of named) if (decisions.get(coordinate)?.allowed) facts.subjects.add(key);
      const rules = planRowRules(platform, caller, caller.regions ?? [], decisions, outcome.typesRead, caseInfo);
      if (rules) facts.masked = rules.masks;
      let queryHash = switched?.queryHash ?? request.queryHash;
      if (rules || denied.size > 0) {
        const key = [queryHash, request.operationName ?? '', String(rules?.gate ?? false), [...denied].sort().join(','), [...(rules?.keyFields ?? [])].join(','), [...(rules?.regionPaths.keys() ?? [])].join(','), [...(rules?.ownerPaths.keys() ?? [])].join(',')].join('\u0000');
        let rewrite = rewrites.get(key);
        if (!rewrite) {
          const injected = rules ? injectRowFields(document, apiSchema, rules) : document;
          // A rewritten operation gets its own plan-cache key: a plan is never shared across different rewrites.
          rewrite = { document: injected, clientDocument: document, queryHash: createHash('sha256').update(print(injected)).digest('hex') };
          if (rewrites.size >= 5000) rewrites.clear();
          rewrites.set(key, rewrite);
        }
        ({ document, clientDocument, queryHash } = rewrite);
      }

      // No effect without a record: a mutation runs only once its intent is on the trail.
      if (operation.operation === 'mutation' && !(await options.recordIntent(context, { operationName: request.operationName ?? null, operationHash: request.queryHash ?? null }))) {
        decide('DENY', 'the mutation was not carried out: its intent could not be recorded');
        return { errors: [gatewayError('AUDIT_UNAVAILABLE', 'The audit trail cannot be written, so the mutation was not carried out. Try again shortly.')] };
      }
      const rewritten = document !== request.document;
      const planned = rewritten
        ? ({ ...request, document, operation: getOperationAST(document, request.operationName)!, queryHash } as GatewayRequestContext)
        : request;
      const execution = executePlan({
        document,
        operation: planned.operation,
        operationName: request.operationName,
        queryHash: planned.queryHash,
        variables: request.request.variables ?? {},
        caller: context.caller,
        shape: !rules?.gate,
      }).then((own) => (own as GatewayResult | undefined) ?? inner(planned));
      const answered = await withDeadline(execution, options.requestTimeoutMs);
      // Rows a department withheld are the gateway's to answer for, as it answers for missing ones.
      const departmentErrors = answered.errors?.filter((e) => !isRowWithheld(e.extensions));
      if (departmentErrors?.length !== answered.errors?.length && facts.decision === 'PERMIT') decide('PARTIAL', 'row withheld by its department');
      const { errors: _answeredErrors, ...answer } = answered;
      const result: GatewayResult = departmentErrors && departmentErrors.length > 0 ? { ...answer, errors: departmentErrors } : answer;
      if (!rules || !result.data || !rules.gate) {
        if (rules && result.data) collectAndStripKeys(result.data, facts.subjects);
        return denialErrors.length > 0 ? { ...result, errors: [...denialErrors, ...(result.errors ?? [])] } : result;
      }
      const data = result.data;
      const gated = await options.tracing.span('result gate', {}, async (span) => {
        const shaped = await resultGate(clientDocument, request.operationName, request.request.variables, data, rules, facts.subjects);
        span.set({ [SPAN_ATTRIBUTES.withheld]: shaped.withheld !== undefined });
        return shaped;
      });
      if (gated.withheld && facts.decision === 'PERMIT') decide('PARTIAL', `row withheld: Forbidden: ${gated.withheld}.`);
      const errors = [...denialErrors, ...(result.errors ?? []), ...(gated.errors ?? [])];
      const extensions = errors.length > 0 ? result.extensions : (gated.extensions ?? result.extensions);
      return { data: gated.data as GatewayResult['data'], ...(errors.length > 0 && { errors }), ...(extensions && { extensions }) };
    };

  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    load: async (loadOptions) => {
      const loaded = await gateway.load(loadOptions);
      return { executor: loaded.executor ? guard(loaded.executor as GatewayExecutor) : null };
    },
    stop: () => gateway.stop(),
  };
}
