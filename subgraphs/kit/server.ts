/**
 * Starts one department as its own service: the gateway-token check, the subgraph schema over the
 * department's database, per-request loaders, and the operational endpoints /healthz, /readyz, /metrics.
 * Each request to /graphql is a span of the gateway's trace, its SQL statements spans within it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import type { Kysely } from 'kysely';
import type { GraphQLFormattedError } from 'graphql';
import type { Attributes } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { SubgraphConfig } from './config';
import { openDatabase } from './database';
import { REQUEST_ID, type Caller } from '../../contracts/caller';
import { createSubjectHasher, readHmacKey, type SubjectHasher } from '../../audit/subject-hasher';
import { createAccessLog, isAccessLogStatement, migrateAccessLog, type AccessLog, type AccessLogDecision, type AccessLogEntry } from './access-log';
import { gracefulStop, type CutRequest, type StopTiming } from '../../http/graceful-stop';
import { listen } from '../../http/listen';
import { apolloRequestOf, createGraphqlServer, readJsonBody, refuseBody, sendJson, writeApolloResponse } from '../../http/http-exchange';
import { SPAN_ATTRIBUTES, startTracing, type Tracing } from '../../http/tracing';
import type { Department, DepartmentContext, DepartmentStore } from './department';
import { departmentSchema } from './department-schema';
import { loadSubgraphTypeDefs } from './federation';
import { createGatewayClient } from './gateway-client';
import { GatewayTokenError, createGatewayTokenVerifier, readJwksFile } from './gateway-token';
import { createLogger } from './logger';
import { protectSchema, type RequestAccess } from './department-access';
import { createErrorMasker } from './mask-error';
import { createSubgraphMetrics, type SubgraphMetrics } from './metrics';
import { IdentifierLiteralsRule } from './scalars/identifier-literals-rule';
import { NoSchemaDisclosureRule } from './schema-disclosure-rule';
import { statementSpan } from './statement-span';
import { buildWorld, type WorldSize } from './synthetic/world';

export interface RunningService {
  name: string;
  url: string;
  port: number;
  /**
   * Readiness answers 503 at once and everything is served for `delayMs`; then the department stops
   * accepting, gives the requests in flight `timeoutMs`, cuts the rest and closes its database. Resolves
   * with the requests cut. By default (tests, in-process) without a delay.
   */
  stop(timing?: StopTiming): Promise<CutRequest[]>;
}

/** How an in-process department stops unless told otherwise: no load balancer to wait for. */
const STOP_NOW: StopTiming = { delayMs: 0, timeoutMs: 10_000 };

export interface StartOptions {
  /** Seed an empty database with a synthetic world of this size (`npm start` uses the default size). */
  seedIfEmpty?: WorldSize;
  /** Register Node's process metrics (off when several services share one process, as in tests). */
  processMetrics?: boolean;
  logger?: Logger;
}

/** The largest request body a department reads: a gateway's entity fetch for a long list, with room to spare. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

function metricsPlugin(name: string, metrics: SubgraphMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const endTimer = metrics.duration.startTimer({ subgraph: name });
      return {
        async willSendResponse({ response }) {
          endTimer();
          const failed = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          metrics.requests.inc({ subgraph: name, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}

/** Who asked, as the access log records it: the operator only as the trail's HMAC. */
function callerColumns(caller: Caller, hashOperator: SubjectHasher): Pick<AccessLogEntry, 'requestId' | 'app' | 'operator' | 'purpose' | 'caseId'> {
  return { requestId: caller.requestId, app: caller.app, operator: caller.operator ? hashOperator(caller.operator) : null, purpose: caller.purpose ?? null, caseId: caller.caseId ?? null };
}

/** What the request's span says of it: who asked, for what, and the operation the gateway's plan named — never a variable. */
function callerAttributes(caller: Caller, body: unknown): Attributes {
  const operationName = (body as { operationName?: unknown } | null | undefined)?.operationName;
  return {
    [SPAN_ATTRIBUTES.requestId]: caller.requestId,
    [SPAN_ATTRIBUTES.app]: caller.app,
    ...(caller.purpose !== undefined && { [SPAN_ATTRIBUTES.purpose]: caller.purpose }),
    ...(typeof operationName === 'string' && { [SPAN_ATTRIBUTES.operationName]: operationName }),
  };
}

/** What the department decided for a request, from its gate's decisions and the errors of its answer. */
function decisionOf(access: RequestAccess | undefined, errors: readonly GraphQLFormattedError[]): { decision: AccessLogDecision; reason: string | null } {
  const denial = access?.denials[0];
  if (denial) return { decision: 'DENY', reason: `${denial.code} ${denial.coordinate}: ${denial.reason}` };
  const withheld = errors.filter((e) => e.extensions?.['code'] === 'FORBIDDEN').length;
  if (withheld > 0) return { decision: 'WITHHELD', reason: `${withheld} row${withheld === 1 ? '' : 's'} or field${withheld === 1 ? '' : 's'} withheld` };
  if (errors.length > 0) return { decision: 'ERROR', reason: String(errors[0]!.extensions?.['code'] ?? 'error') };
  // `{ __typename }` alone (the gateway's readiness probe, gateway/readiness.ts) reads nothing: said so, not left blank.
  if (!access) return { decision: 'PERMIT', reason: 'no field read' };
  return { decision: 'PERMIT', reason: null };
}

/**
 * Adds the rows the row gate left out of lists to the answer's errors, and writes the request's line of
 * the access log before the answer leaves; an answer whose line cannot be written is replaced (fail closed).
 */
function accessLogPlugin(accessOf: (ctx: object) => RequestAccess | undefined, log: AccessLog, hashOperator: SubjectHasher, logger: Logger, tracing: Tracing): ApolloServerPlugin<DepartmentContext<unknown, unknown>> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const access = accessOf(contextValue);
          if (access && access.withheld.errors.length > 0) result.errors = [...(result.errors ?? []), ...access.withheld.errors];
          const { caller } = contextValue;
          const decided = decisionOf(access, result.errors ?? []);
          tracing.annotate({ [SPAN_ATTRIBUTES.decision]: decided.decision });
          try {
            await log.append({ time: new Date().toISOString(), ...callerColumns(caller, hashOperator), fields: access?.fields ?? [], ...decided });
          } catch (error) {
            logger.error({ err: error, requestId: caller.requestId }, 'the access log cannot be written: answer withheld');
            response.http.status = 503;
            response.body.singleResult = { errors: [{ message: 'This department cannot record the request.', extensions: { code: 'ACCESS_LOG_UNAVAILABLE' } }] };
          }
        },
      };
    },
  };
}

export async function startDepartment<DB, S extends DepartmentStore, L>(
  department: Department<DB, S, L>,
  config: Readonly<SubgraphConfig>,
  options: StartOptions = {},
): Promise<RunningService> {
  const logger = options.logger ?? createLogger(department.name, config.logLevel);
  const tracing = startTracing(config.tracing, { onExportError: (error) => logger.warn({ err: error }, 'spans not exported to the OTLP endpoint') });
  const metrics = createSubgraphMetrics(department.name, options.processMetrics ?? true);
  const verifyGatewayToken = createGatewayTokenVerifier({
    jwks: readJwksFile(config.gatewayJwksFile),
    audience: department.name,
    leewaySeconds: config.tokenLeewaySeconds,
  });

  const db: Kysely<DB> = openDatabase<DB>({
    location: config.database,
    onStatement: (sql, durationMs) => {
      // The access log's own writes are not the department's data work (batching is judged by this count).
      if (!isAccessLogStatement(sql)) metrics.statements.inc({ subgraph: department.name });
      if (tracing.enabled) {
        const span = statementSpan(sql, config.database.kind);
        tracing.ended(span.name, span.attributes, durationMs);
      }
    },
  });
  const store = department.createStore(db, config);
  const gateway = createGatewayClient(config.gatewayClient, tracing);
  await store.migrate();
  await migrateAccessLog(db as Kysely<unknown>, config.database.kind);
  const accessLog = createAccessLog(db as Kysely<unknown>);
  const hashOperator = createSubjectHasher(readHmacKey(config.auditHmacKeyFile, false));
  if (options.seedIfEmpty && (await store.isEmpty())) {
    logger.info({ size: options.seedIfEmpty }, 'seeding an empty database');
    await department.seed(store, buildWorld(options.seedIfEmpty));
  }

  const app = express();
  app.disable('x-powered-by');
  // /graphql is served on Node's own server (http/http-exchange.ts); the operational routes by express.
  const httpServer: Server = createGraphqlServer((req, res) => tracing.serve(req, res, '/graphql', () => handleGraphql(req, res)), app, (error) => logger.error({ err: error }, 'unexpected error outside GraphQL'));
  const typeDefs = loadSubgraphTypeDefs(department.schemaFile);
  const guarded = protectSchema(departmentSchema(department, typeDefs), typeDefs, { department: department.name, contractsDir: config.contractsDir, platformFile: config.platformFile });
  const apollo = new ApolloServer<DepartmentContext<S, L>>({
    schema: guarded.schema,
    includeStacktraceInErrorResponses: false,
    // Apollo Server's own handler would stop the server at once on SIGINT/SIGTERM and end the process:
    // runDepartment stops it gracefully instead (stop() below).
    stopOnTerminationSignals: false,
    validationRules: [IdentifierLiteralsRule, NoSchemaDisclosureRule],
    formatError: createErrorMasker(department.name, logger),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are used (answers are never cached): without this plugin no field is instrumented.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      metricsPlugin(department.name, metrics),
      accessLogPlugin(guarded.accessOf, accessLog, hashOperator, logger, tracing) as ApolloServerPlugin<DepartmentContext<S, L>>,
    ],
  });
  await apollo.start();

  const graceful = gracefulStop(httpServer, logger, async () => {
    await apollo.stop();
    await db.destroy();
    await tracing.shutdown();
  });
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', service: department.name }));
  app.get('/readyz', async (_req, res) => {
    // Stopping: out of the load balancer before the server stops accepting (http/graceful-stop.ts).
    if (graceful.stopping) return void res.status(503).json({ status: 'stopping', service: department.name });
    try {
      await store.ping();
      res.json({ status: 'ready', service: department.name });
    } catch (error) {
      logger.warn({ err: error }, 'database not ready');
      res.status(503).json({ status: 'unavailable', service: department.name, checks: { database: 'unavailable' } });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  /** The line of a request refused before GraphQL: written if it can be; the refusal stands either way. */
  const recordRefusal = async (line: Omit<AccessLogEntry, 'time'>): Promise<void> => {
    try {
      await accessLog.append({ time: new Date().toISOString(), ...line });
    } catch (error) {
      logger.error({ err: error, requestId: line.requestId }, 'the access log cannot be written');
    }
  };
  const handleGraphql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : undefined;
    let caller: Caller;
    try {
      caller = await verifyGatewayToken(req.headers.authorization, requestId);
      const operator = caller.operator === undefined ? undefined : guarded.operatorKey(caller.operator);
      if (operator && !operator.ok) throw new GatewayTokenError(`operator refused: ${operator.problem}`);
      if (operator?.ok) caller = { ...caller, operator: operator.key };
    } catch (error) {
      if (!(error instanceof GatewayTokenError)) throw error;
      metrics.requests.inc({ subgraph: department.name, outcome: 'unauthenticated' });
      const refused = { requestId: requestId ?? randomUUID(), reason: error.message };
      logger.warn(refused, 'refused a request without a valid gateway token');
      await recordRefusal({ ...refused, app: null, operator: null, purpose: null, caseId: null, fields: [], decision: 'UNAUTHENTICATED' });
      return sendJson(res, 401, { errors: [{ message: 'This department only answers requests signed by the gateway.', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const read = req.method === 'POST' ? await readJsonBody(req, MAX_BODY_BYTES) : undefined;
    if (read && !read.ok) {
      await recordRefusal({ ...callerColumns(caller, hashOperator), fields: [], decision: 'ERROR', reason: `body ${read.problem}` });
      return refuseBody(res, read.problem, { errors: [{ message: 'Malformed request.', extensions: { code: 'BAD_REQUEST' } }] });
    }
    tracing.annotate(callerAttributes(caller, read?.value));
    const regions = guarded.regionsOf(caller);
    if (regions.length > 0) caller = { ...caller, regions };
    const context: DepartmentContext<S, L> = { caller, store, loaders: department.createLoaders(store), gateway };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: apolloRequestOf(req, read?.value), context: async () => context });
    await writeApolloResponse(res, response);
  };

  app.use((error: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'unexpected error outside GraphQL');
    res.status(status).json({
      errors: [{ message: status === 500 ? 'Internal error.' : 'Malformed request.', extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }],
    });
  });

  await listen(httpServer, config.port, config.host);
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url }, `${department.title} subgraph ready`);
  return {
    name: department.name,
    url,
    port,
    stop: (timing = STOP_NOW) => graceful.stop(timing),
  };
}
