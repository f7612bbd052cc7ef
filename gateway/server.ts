/**
 * The gateway service: one HTTP endpoint in front of every department. The stages of a request run in
 * the order of ARCHITECTURE.md — caller (app token), then planning and execution over the static
 * supergraph with a gateway token per department — and the operational endpoints sit beside them.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import pino, { type Logger } from 'pino';
import type { Caller } from '../contracts/caller';
import { loadAccessControl } from './access-control';
import { auditPlugin, intentRecorder, type AuditedContext } from './audit-plugin';
import { openAuditTrail } from './audit-trail';
import { CallerRejected, createAppAuthenticator } from './authenticate-app';
import { createCaseLookup } from './case-lookup';
import type { GatewayConfig } from './config';
import { CONSOLE_PATH, consoleRouter } from './console-routes';
import { createCorsPolicy, type Preflight } from './cors';
import { createDepartmentCall } from './department-call';
import { createDepartmentFetcher } from './department-fetcher';
import { ERROR_CATALOGUE, errorBody, type ErrorCode } from './errors';
import { guardGateway } from './guarded-gateway';
import { gracefulStop, type CutRequest, type StopTiming } from '../http/graceful-stop';
import { listen } from '../http/listen';
import { acceptsSingleResult, apolloRequestOf, createGraphqlServer, errorBodyType, type BodyProblem, operationsOf, readJsonBody, refuseBody, sendJson, writeApolloResponse } from '../http/http-exchange';
import { memoryRateLimiter, redisRateLimiter } from './rate-limiter';
import { exceedsTokenLimit, operationLimits, tokenLimitMessage } from './limits';
import { createErrorMasker } from './mask-error';
import { createGatewayMetrics, type GatewayMetrics } from './metrics';
import { createPersistedQueryStore } from './persisted-queries';
import { checkReadiness } from './readiness';
import { recordClientErrors } from './client-error';
import { batchEntry, childRecord, createRequestRecords, preflightEntry, unrecordedEntry, type RequestRecord } from './request-record';
import { variablesPlugin } from './variables-plugin';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { createSubgraphTokenSigner } from './subgraph-token-signer';
import { parseSupergraph, subgraphsOf } from './supergraph-subgraphs';
import { SPAN_ATTRIBUTES, startTracing, traceLogFields } from '../http/tracing';
import { tracedTrail } from './traced-trail';

export interface RunningGateway {
  url: string;
  port: number;
  /**
   * Readiness answers 503 at once and everything is served for `delayMs`; then the gateway stops accepting,
   * gives the requests in flight `timeoutMs` (their records are written), cuts the rest, and signs the audit
   * trail's head. Resolves with the requests cut; rejects when the head could not be signed. By default
   * (tests, in-process) without a delay.
   */
  stop(timing?: StopTiming): Promise<CutRequest[]>;
}

/** How an in-process gateway stops unless told otherwise: no load balancer to wait for. */
const STOP_NOW: StopTiming = { delayMs: 0, timeoutMs: 10_000 };

export interface GatewayStartOptions {
  processMetrics?: boolean;
  logger?: Logger;
}

function readSupergraph(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Cannot read the supergraph at ${file}: run npm run compose, or set SUPERGRAPH_FILE.`);
  }
}

/** What /graphql answers: a refusal the gateway wrote itself, or Apollo Server's answer. */
type Refusal = { kind: 'refused'; code: ErrorCode; message: string; headers?: Record<string, string>; problem?: BodyProblem; status?: number; extensions?: Record<string, unknown> };
type GraphqlReply = Refusal | { kind: 'apollo'; response: HTTPGraphQLResponse };

/** The error codes of an answer Apollo Server wrote whole (its own refusals: CSRF, batching off, wrong method). */
function errorCodesOf(response: HTTPGraphQLResponse): string[] {
  if (response.body.kind !== 'complete') return ['BAD_REQUEST'];
  try {
    const { errors } = JSON.parse(response.body.string) as { errors?: Array<{ extensions?: { code?: unknown } }> };
    const codes = [...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? 'BAD_REQUEST')))];
    return codes.length > 0 ? codes : ['BAD_REQUEST'];
  } catch {
    return ['BAD_REQUEST'];
  }
}

const ACCESS_CODES = new Set(['FORBIDDEN', 'PURPOSE_REQUIRED', 'CASE_REQUIRED']);

/** An operation refused whole is answered 403 (access) or 429 with Retry-After (rate), not 200. */
function accessStatusPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data != null || !errors?.length) return;
          const retryAfter = errors.find((e) => e.extensions?.['code'] === 'RATE_LIMITED')?.extensions?.['retryAfterSeconds'];
          if (retryAfter !== undefined) {
            response.http.status = 429;
            response.http.headers.set('retry-after', String(retryAfter));
          } else if (errors.every((e) => ACCESS_CODES.has(String(e.extensions?.['code'])))) {
            response.http.status = 403;
          }
        },
      };
    },
  };
}

function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response }) {
          const failed = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          const outcome = failed ? 'error' : 'ok';
          metrics.requests.inc({ outcome });
          metrics.duration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

export async function startGateway(config: Readonly<GatewayConfig>, options: GatewayStartOptions = {}): Promise<RunningGateway> {
  const logger =
    options.logger ??
    pino({ level: config.logLevel, base: { service: 'gateway' }, mixin: traceLogFields, redact: { paths: ['headers.authorization'], censor: '[redacted]' } });
  const tracing = startTracing(config.tracing, { onExportError: (error) => logger.warn({ err: error }, 'spans not exported to the OTLP endpoint') });
  const metrics = createGatewayMetrics(options.processMetrics ?? true);
  const supergraphSdl = readSupergraph(config.supergraphFile);
  const subgraphs = subgraphsOf(parseSupergraph(supergraphSdl), config.subgraphUrls, config.subgraphHealthUrls);
  const urls = new Map(subgraphs.map((s) => [s.name, s.url]));
  const access = loadAccessControl({ supergraphSdl, contractsDir: config.contractsDir, platformFile: config.platformFile });
  const authenticate = createAppAuthenticator(config, access.platformApps, access.operatorKey);
  const sign = await createSubgraphTokenSigner({ signingKeyFile: config.signingKeyFile, ttlSeconds: config.subgraphTokenTtlSeconds });

  const trail = tracedTrail(
    await openAuditTrail(
      config.audit,
      (error) => logger.warn({ err: error }, 'audit subject index not brought up to date'),
      (problem) => logger.error(`${problem}: no record is appended (requests answer AUDIT_UNAVAILABLE) until an operator has compared the trail with its kept heads (docs/operations.md)`),
    ),
    tracing,
  );
  const limiter = config.rateLimitRedisUrl ? redisRateLimiter(config.rateLimitRedisUrl, logger) : memoryRateLimiter();
  // Until its store answers, requests pass uncounted (fail open): serve only once it does, or after saying so.
  if (!(await limiter.connected(config.readinessTimeoutMs))) logger.warn('rate-limit store not reachable at start-up: requests pass uncounted until it is');
  // Without Redis each worker process counts on its own, so it allows its share of an app's limits.
  const share = config.rateLimitRedisUrl ? 1 : 1 / config.workers;
  const limitsOf = (app: string) => {
    const limits = access.policy.limitsOf(app, access.platform.defaultLimits);
    if (share === 1) return limits;
    return { requestsPerMinute: Math.max(1, Math.floor(limits.requestsPerMinute * share)), costPerMinute: Math.max(1, Math.floor(limits.costPerMinute * share)) };
  };
  // One fetcher per department (its connection pool and circuit breaker), whichever executor calls it.
  const fetchers = new Map(subgraphs.map((s) => [s.name, createDepartmentFetcher(config.departmentCalls)]));
  const { inaccessibleTypes } = access.policy.catalog;
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: logger.child({ component: 'planner' }),
    // Query plans name departments and fields: never expose them (it defaults to on outside production).
    __exposeQueryPlanExperimental: false,
    buildService: ({ name }) => new SubgraphDataSource({ subgraph: name, url: urls.get(name)!, sign, logger, fetcher: fetchers.get(name)!, tracing, inaccessibleTypes }),
  });

  const app = express();
  app.disable('x-powered-by');
  const records = createRequestRecords(trail);
  const cors = createCorsPolicy(config.cors, access.origins);
  // /graphql is served on Node's own server (http/http-exchange.ts), each request in a span; every other route by express.
  const httpServer = createGraphqlServer((req, res) => tracing.serve(req, res, '/graphql', () => answerGraphql(req, res)), app, (error) => {
    logger.error({ err: error }, 'unexpected error outside GraphQL');
    metrics.requests.inc({ outcome: 'error' });
  });
  // A request Node's parser refuses (headers too large: 431) never reaches the handler: it is recorded here.
  recordClientErrors(httpServer, trail, logger);
  const runOperation = (query: string, variables: Record<string, unknown>, caller: Omit<Caller, 'requestId'>, parentRequestId: string) =>
    tracing.span('platform operation', {}, async () => {
      const record = childRecord(trail, parentRequestId);
      const response = await apollo.executeOperation({ query, variables }, { contextValue: { caller: { ...caller, requestId: record.requestId }, record } });
      return response.body.kind === 'single' ? response.body.singleResult : { errors: [new Error('unexpected incremental response')] };
    });
  const callDepartment = createDepartmentCall({ urls, fetchers, sign, logger, tracing, inaccessibleTypes });
  const limits = operationLimits(config.limits);
  const persistedQueries = createPersistedQueryStore();
  const apollo: ApolloServer<AuditedContext> = new ApolloServer<AuditedContext>({
    gateway: guardGateway(gateway, {
      supergraphSdl,
      callDepartment: (department, request, caller) => {
        records.calling(caller.requestId, department);
        return callDepartment(department, request, caller);
      },
      logger,
      planned: (executor) => metrics.plans.inc({ executor }),
      access,
      mode: config.accessMode,
      lookupCase: createCaseLookup(access.platform, runOperation),
      requestTimeoutMs: config.requestTimeoutMs,
      chargeCost: (app, cost) => limiter.consume(app, 'cost', cost, limitsOf(app).costPerMinute),
      recordIntent: intentRecorder(trail, logger),
      tracing,
    }),
    includeStacktraceInErrorResponses: false,
    // Apollo's own handler would stop the server and end the process on SIGINT/SIGTERM before the trail
    // signs its head; gateway/index.ts stops the gateway whole instead (stop() below).
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: config.maxBatch > 0,
    // Automatic persisted queries, each caller's texts its own (app, operator, region: gateway/persisted-queries.ts).
    persistedQueries: { cache: persistedQueries.cache },
    validationRules: limits.validationRules,
    formatError: createErrorMasker(logger),
    plugins: [
      ...limits.plugins,
      ApolloServerPluginLandingPageDisabled(),
      // Answers carry personal data and are never cached (cache-control: no-store).
      ApolloServerPluginCacheControlDisabled(),
      variablesPlugin(),
      accessStatusPlugin(),
      auditPlugin(trail, logger),
      metricsPlugin(metrics),
    ],
  });
  await apollo.start();

  /** A request refused before GraphQL runs: its record is written by `answerGraphql`, like every record nothing else wrote. */
  const refuse = (code: ErrorCode, message: string, details: Pick<Refusal, 'headers' | 'problem' | 'status' | 'extensions'> = {}): Refusal => ({
    kind: 'refused',
    code,
    message,
    ...details,
  });

  const graceful = gracefulStop(httpServer, logger, async () => {
    await apollo.stop();
    try {
      await trail.close().catch((error: unknown) => {
        throw new Error(`the audit trail's head was not signed: ${error instanceof Error ? error.message : String(error)}`);
      });
    } finally {
      await limiter.close();
      await tracing.shutdown();
    }
  });
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', service: 'gateway' }));
  app.get('/readyz', async (_req, res) => {
    // Stopping: out of the load balancer before the server stops accepting (http/graceful-stop.ts).
    if (graceful.stopping) return void res.status(503).json({ status: 'stopping' });
    const [readiness, audit] = await Promise.all([
      checkReadiness(subgraphs, { sign, timeoutMs: config.readinessTimeoutMs }),
      // A write, not a read: a full disk, a read-only file or a refusing trigger is unavailable too.
      trail.probeWrite(config.readinessTimeoutMs).then(() => 'ready' as const, () => 'unavailable' as const),
    ]);
    const ready = readiness.ready && audit === 'ready';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', subgraphs: readiness.subgraphs, audit });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  if (config.console.enabled) app.use(CONSOLE_PATH, consoleRouter(config.console, logger));
  const bodyRefusals: Record<BodyProblem, [ErrorCode, string]> = {
    'too-large': ['LIMIT_EXCEEDED', `The request body is too large: at most ${config.maxBodyBytes} bytes.`],
    'unsupported-encoding': ['BAD_REQUEST', 'The request body is compressed in a way the gateway does not read: send it as is, gzip or deflate.'],
    'not-object': ['BAD_REQUEST', 'The request body must be a JSON object, or an array of them for a batch.'],
    'not-json': ['BAD_REQUEST', 'The request body is not valid JSON.'],
  };
  const handleGraphql = async (req: IncomingMessage, record: RequestRecord): Promise<GraphqlReply> => {
    let caller: Caller;
    try {
      caller = { ...(await authenticate(req.headers)), requestId: record.requestId };
    } catch (error) {
      if (!(error instanceof CallerRejected)) throw error;
      metrics.requests.inc({ outcome: error.code === 'UNAUTHENTICATED' ? 'unauthenticated' : 'bad_request' });
      return refuse(error.code, error.message, error.code === 'UNAUTHENTICATED' ? { headers: { 'www-authenticate': 'Bearer' } } : {});
    }
    records.identify(record, caller, req.headers);
    const verdict = await limiter.consume(caller.app, 'requests', 1, limitsOf(caller.app).requestsPerMinute);
    if (!verdict.allowed) {
      metrics.requests.inc({ outcome: 'rate_limited' });
      return refuse('RATE_LIMITED', `Too many requests: ${caller.app} has used its requests for this minute.`, { headers: { 'retry-after': String(verdict.retryAfterSeconds) } });
    }
    // A purpose the app's contract does not name is refused whatever the operation reads, unconditional data
    // included; the record keeps the purpose claimed. An app without a contract is left to the gate, which refuses it.
    const purposes = access.policy.purposesOf(caller.app);
    if (caller.purpose !== undefined && purposes !== undefined && !purposes.includes(caller.purpose)) {
      metrics.requests.inc({ outcome: 'bad_request' });
      return refuse('BAD_USER_INPUT', `The X-Purpose header names no purpose of ${caller.app}: its contract's purposes are ${purposes.join(', ')}.`, { extensions: { purposes } });
    }
    if (!acceptsSingleResult(req.headers.accept)) {
      return refuse('BAD_REQUEST', 'The Accept header allows no type the gateway answers in: application/json or application/graphql-response+json.', { status: 406 });
    }
    const read = req.method === 'POST' ? await readJsonBody(req, config.maxBodyBytes) : undefined;
    if (read && !read.ok) {
      metrics.requests.inc({ outcome: 'bad_request' });
      const [code, message] = bodyRefusals[read.problem];
      return refuse(code, message, { problem: read.problem });
    }
    const body = read?.value;
    const operations = operationsOf(req, body);
    const tooLarge = operations.some((op) => {
      const query = (op as { query?: unknown } | null)?.query;
      return typeof query === 'string' && exceedsTokenLimit(query, config.limits.maxTokens);
    });
    if (tooLarge) return refuse('LIMIT_EXCEEDED', tokenLimitMessage(config.limits.maxTokens));
    // A batch is several operations: capped, and each counts against the app's requests.
    if (Array.isArray(body) && config.maxBatch > 0) {
      if (body.length > config.maxBatch) return refuse('LIMIT_EXCEEDED', `A batch may hold at most ${config.maxBatch} operations.`);
      const batch = await limiter.consume(caller.app, 'requests', body.length - 1, limitsOf(caller.app).requestsPerMinute);
      if (!batch.allowed) {
        return refuse('RATE_LIMITED', `Too many requests: ${caller.app} has used its requests for this minute.`, { headers: { 'retry-after': String(batch.retryAfterSeconds) } });
      }
      // The batch's own record, before any of its operations (each recorded as its child) runs.
      try {
        await record.append(batchEntry(trail, record, body.length));
      } catch (error) {
        logger.error({ err: error, requestId: record.requestId }, 'audit record of a batch not written: batch refused');
        return refuse('AUDIT_UNAVAILABLE', 'The audit trail cannot be written, so no data is released. Try again shortly.');
      }
    }
    const regions = access.policy.regionsOf(caller);
    const contextValue: AuditedContext = { caller: regions.length > 0 ? { ...caller, regions } : caller, record };
    const response = await persistedQueries.as(caller, () =>
      apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: apolloRequestOf(req, body), context: async () => contextValue }),
    );
    return { kind: 'apollo', response };
  };

  /**
   * The answer to a request nothing recorded, once it is recorded: a refusal as it is; anything else
   * Apollo Server answered by what its status and error codes say. An answer that is not a refusal has
   * no business being unrecorded, so it is not released.
   */
  const recordUnrecorded = async (record: RequestRecord, reply: GraphqlReply): Promise<GraphqlReply> => {
    const answered: GraphqlReply =
      reply.kind === 'apollo' && (reply.response.status ?? 200) < 400 ? refuse('INTERNAL_SERVER_ERROR', 'Internal error: the answer was not on the audit record.') : reply;
    const entry =
      answered.kind === 'refused'
        ? unrecordedEntry(trail, record, [answered.code], answered.message)
        : unrecordedEntry(trail, record, errorCodesOf(answered.response), `refused by the GraphQL server with HTTP ${answered.response.status ?? 200}`);
    await record.append(entry).catch((error: unknown) => logger.error({ err: error, requestId: record.requestId }, 'audit record of a refused request not written'));
    return answered;
  };

  /** A CORS preflight: answered before authentication, from the listed origins alone, once recorded (THREATS G26). */
  const answerPreflight = async (res: ServerResponse, record: RequestRecord, preflight: Preflight): Promise<void> => {
    await record.append(preflightEntry(trail, record, preflight.allowed)).catch((error: unknown) => logger.error({ err: error, requestId: record.requestId }, 'audit record of a preflight not written'));
    for (const [name, value] of Object.entries(preflight.headers)) res.setHeader(name, value);
    if (!preflight.allowed) return sendJson(res, 403, errorBody('FORBIDDEN', 'This origin may not call the gateway from a browser: it is listed in no contract (origins) and not in CORS_ORIGINS.'));
    res.statusCode = 204;
    res.end();
  };

  /** Every request to /graphql: one record, written before the answer is released (gateway/request-record.ts). */
  const answerGraphql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const record = records.open();
    tracing.annotate({ [SPAN_ATTRIBUTES.requestId]: record.requestId });
    try {
      res.setHeader('x-request-id', record.requestId);
      const preflight = cors.preflight(req.method, req.headers);
      if (preflight) return await answerPreflight(res, record, preflight);
      let reply: GraphqlReply;
      try {
        reply = await handleGraphql(req, record);
      } catch (error) {
        logger.error({ err: error, requestId: record.requestId }, 'unexpected error outside GraphQL');
        metrics.requests.inc({ outcome: 'error' });
        reply = refuse('INTERNAL_SERVER_ERROR', 'Internal error.');
      }
      if (!record.recorded) reply = await recordUnrecorded(record, reply);
      for (const [name, value] of Object.entries(cors.answerHeaders(req.headers, record.caller?.app))) res.setHeader(name, value);
      if (reply.kind === 'apollo') return await writeApolloResponse(res, reply.response);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      const answer = errorBody(reply.code, reply.message, reply.extensions);
      const type = errorBodyType(req.headers.accept);
      if (reply.problem) refuseBody(res, reply.problem, answer, type);
      else sendJson(res, reply.status ?? ERROR_CATALOGUE[reply.code].status, answer, type);
    } finally {
      records.close(record);
    }
  };
  app.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const clientError = error.status !== undefined && error.status >= 400 && error.status < 500;
    if (!clientError) logger.error({ err: error }, 'unexpected error outside GraphQL');
    metrics.requests.inc({ outcome: clientError ? 'bad_request' : 'error' });
    sendJson(res, clientError ? error.status! : 500, clientError ? errorBody('BAD_REQUEST', 'The request is malformed.') : errorBody('INTERNAL_SERVER_ERROR', 'Internal error.'));
  });

  await listen(httpServer, config.port, config.host);
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}/graphql`;
  const consoleUrl = config.console.enabled ? `http://${config.host}:${port}${CONSOLE_PATH}/` : undefined;
  logger.info({ url, consoleUrl, subgraphs: subgraphs.map((s) => s.name) }, 'gateway ready');
  return { url, port, stop: (timing = STOP_NOW) => graceful.stop(timing) };
}
