/**
 * The gateway service: one HTTP endpoint in front of every department. The stages of a request run in
 * the order of ARCHITECTURE.md — caller (app token), then planning and execution over the static
 * supergraph with a gateway token per department — and the operational endpoints sit beside them.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import pino, { type Logger } from 'pino';
import type { Caller } from '../contracts/caller';
import { loadAccessControl } from './access-control';
import { auditPlugin, callerFields, type AuditedContext } from './audit-plugin';
import { openAuditTrail } from './audit-trail';
import { CallerRejected, createAppAuthenticator, requestIdOf } from './authenticate-app';
import { createCaseLookup } from './case-lookup';
import type { GatewayConfig } from './config';
import { CONSOLE_PATH, consoleRouter } from './console-routes';
import { createDepartmentCall } from './department-call';
import { createDepartmentFetcher } from './department-fetcher';
import { ERROR_CATALOGUE, errorBody, type ErrorCode } from './errors';
import { guardGateway } from './guarded-gateway';
import { apolloRequestOf, createGraphqlServer, type BodyProblem, operationsOf, readJsonBody, refuseBody, sendJson, writeApolloResponse } from '../http/http-exchange';
import { memoryRateLimiter, redisRateLimiter } from './rate-limiter';
import { exceedsTokenLimit, operationLimits, tokenLimitMessage } from './limits';
import { createErrorMasker } from './mask-error';
import { createGatewayMetrics, type GatewayMetrics } from './metrics';
import { checkReadiness } from './readiness';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { createSubgraphTokenSigner } from './subgraph-token-signer';
import { parseSupergraph, subgraphsOf } from './supergraph-subgraphs';

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

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
    pino({ level: config.logLevel, base: { service: 'gateway' }, redact: { paths: ['headers.authorization'], censor: '[redacted]' } });
  const metrics = createGatewayMetrics(options.processMetrics ?? true);
  const supergraphSdl = readSupergraph(config.supergraphFile);
  const subgraphs = subgraphsOf(parseSupergraph(supergraphSdl), config.subgraphUrls);
  const urls = new Map(subgraphs.map((s) => [s.name, s.url]));
  const authenticate = createAppAuthenticator(config);
  const sign = await createSubgraphTokenSigner({ signingKeyFile: config.signingKeyFile, ttlSeconds: config.subgraphTokenTtlSeconds });

  const access = loadAccessControl({ supergraphSdl, contractsDir: config.contractsDir, platformFile: config.platformFile });
  const trail = await openAuditTrail(config.audit, (error) => logger.warn({ err: error }, 'audit subject index not brought up to date'));
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
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: logger.child({ component: 'planner' }),
    // Query plans name departments and fields: never expose them (it defaults to on outside production).
    __exposeQueryPlanExperimental: false,
    buildService: ({ name }) => new SubgraphDataSource({ subgraph: name, url: urls.get(name)!, sign, logger, fetcher: fetchers.get(name)! }),
  });

  const app = express();
  app.disable('x-powered-by');
  // /graphql is served on Node's own server (http/http-exchange.ts); every other route by express.
  const httpServer = createGraphqlServer((req, res) => handleGraphql(req, res), app, (error) => {
    logger.error({ err: error }, 'unexpected error outside GraphQL');
    metrics.requests.inc({ outcome: 'error' });
  });
  const runOperation = async (query: string, variables: Record<string, unknown>, caller: Caller) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: { caller } });
    return response.body.kind === 'single' ? response.body.singleResult : { errors: [new Error('unexpected incremental response')] };
  };
  const limits = operationLimits(config.limits);
  const apollo: ApolloServer<AuditedContext> = new ApolloServer<AuditedContext>({
    gateway: guardGateway(gateway, {
      supergraphSdl,
      callDepartment: createDepartmentCall({ urls, fetchers, sign, logger }),
      logger,
      planned: (executor) => metrics.plans.inc({ executor }),
      access,
      mode: config.accessMode,
      lookupCase: createCaseLookup(access.platform, runOperation),
      requestTimeoutMs: config.requestTimeoutMs,
      chargeCost: (app, cost) => limiter.consume(app, 'cost', cost, limitsOf(app).costPerMinute),
    }),
    includeStacktraceInErrorResponses: false,
    // Apollo's own handler would stop the server and end the process on SIGINT/SIGTERM before the trail
    // signs its head; gateway/index.ts stops the gateway whole instead (stop() below).
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: config.maxBatch > 0,
    validationRules: limits.validationRules,
    formatError: createErrorMasker(logger),
    plugins: [
      ...limits.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Answers carry personal data and are never cached (cache-control: no-store).
      ApolloServerPluginCacheControlDisabled(),
      accessStatusPlugin(),
      auditPlugin(trail, logger),
      metricsPlugin(metrics),
    ],
  });
  await apollo.start();

  // Requests refused before GraphQL runs are audited too; nothing is released either way, so a failed write changes nothing.
  const refuse = async (req: IncomingMessage, res: ServerResponse, code: 'UNAUTHENTICATED' | 'BAD_USER_INPUT' | 'RATE_LIMITED' | 'LIMIT_EXCEEDED', message: string, caller?: Caller) => {
    await trail
      .append({
        time: new Date().toISOString(),
        requestId: caller?.requestId ?? requestIdOf(req.headers),
        ...callerFields(trail, caller),
        operationName: null,
        operationHash: null,
        fields: [],
        subjects: [],
        decision: code === 'UNAUTHENTICATED' ? 'UNAUTHENTICATED' : code === 'BAD_USER_INPUT' ? 'INVALID' : 'DENY',
        rule: message,
        outcome: 'error',
        errorCodes: [code],
        latencyMs: 0,
      })
      .catch((auditError: unknown) => logger.error({ err: auditError }, 'audit record of a refused request not written'));
    sendJson(res, ERROR_CATALOGUE[code].status, errorBody(code, message));
  };

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', service: 'gateway' }));
  app.get('/readyz', async (_req, res) => {
    const [readiness, audit] = await Promise.all([
      checkReadiness(subgraphs, config.readinessTimeoutMs),
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
  const handleGraphql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('x-request-id', requestIdOf(req.headers));
    let caller: Caller;
    try {
      caller = await authenticate(req.headers);
    } catch (error) {
      if (!(error instanceof CallerRejected)) throw error;
      metrics.requests.inc({ outcome: error.code === 'UNAUTHENTICATED' ? 'unauthenticated' : 'bad_request' });
      if (error.code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
      return refuse(req, res, error.code, error.message);
    }
    res.setHeader('x-request-id', caller.requestId);
    const verdict = await limiter.consume(caller.app, 'requests', 1, limitsOf(caller.app).requestsPerMinute);
    if (!verdict.allowed) {
      metrics.requests.inc({ outcome: 'rate_limited' });
      res.setHeader('retry-after', String(verdict.retryAfterSeconds));
      return refuse(req, res, 'RATE_LIMITED', `Too many requests: ${caller.app} has used its requests for this minute.`, caller);
    }
    const read = req.method === 'POST' ? await readJsonBody(req, config.maxBodyBytes) : undefined;
    if (read && !read.ok) {
      metrics.requests.inc({ outcome: 'bad_request' });
      const [code, message] = bodyRefusals[read.problem];
      return refuseBody(res, read.problem, errorBody(code, message));
    }
    const body = read?.value;
    const operations = operationsOf(req, body);
    const tooLarge = operations.some((op) => {
      const query = (op as { query?: unknown } | null)?.query;
      return typeof query === 'string' && exceedsTokenLimit(query, config.limits.maxTokens);
    });
    if (tooLarge) return refuse(req, res, 'LIMIT_EXCEEDED', tokenLimitMessage(config.limits.maxTokens), caller);
    // A batch is several operations: capped, and each counts against the app's requests.
    if (Array.isArray(body) && config.maxBatch > 0) {
      if (body.length > config.maxBatch) return sendJson(res, 400, errorBody('LIMIT_EXCEEDED', `A batch may hold at most ${config.maxBatch} operations.`));
      const batch = await limiter.consume(caller.app, 'requests', body.length - 1, limitsOf(caller.app).requestsPerMinute);
      if (!batch.allowed) {
        res.setHeader('retry-after', String(batch.retryAfterSeconds));
        return sendJson(res, 429, errorBody('RATE_LIMITED', `Too many requests: ${caller.app} has used its requests for this minute.`));
      }
    }
    const regions = access.policy.regionsOf(caller);
    const contextValue: AuditedContext = { caller: regions.length > 0 ? { ...caller, regions } : caller };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: apolloRequestOf(req, body), context: async () => contextValue });
    await writeApolloResponse(res, response);
  };
  app.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const clientError = error.status !== undefined && error.status >= 400 && error.status < 500;
    if (!clientError) logger.error({ err: error }, 'unexpected error outside GraphQL');
    metrics.requests.inc({ outcome: clientError ? 'bad_request' : 'error' });
    sendJson(res, clientError ? error.status! : 500, clientError ? errorBody('BAD_REQUEST', 'The request is malformed.') : errorBody('INTERNAL_SERVER_ERROR', 'Internal error.'));
  });

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}/graphql`;
  const consoleUrl = config.console.enabled ? `http://${config.host}:${port}${CONSOLE_PATH}/` : undefined;
  logger.info({ url, consoleUrl, subgraphs: subgraphs.map((s) => s.name) }, 'gateway ready');
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    // Stops accepting, drains the requests in flight (their records are written), then signs the trail's head.
    stop() {
      stopped ??= (async () => {
        await apollo.stop();
        try {
          await trail.close();
        } finally {
          await limiter.close();
        }
      })();
      return stopped;
    },
  };
}
