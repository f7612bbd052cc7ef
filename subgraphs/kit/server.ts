/**
 * Starts one department as its own service: the gateway-token check, the subgraph schema over the
 * department's database, per-request loaders, and the operational endpoints /healthz, /readyz, /metrics.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SubgraphConfig } from './config';
import { openDatabase } from './database';
import type { Caller } from '../../contracts/caller';
import { apolloRequestOf, createGraphqlServer, readJsonBody, refuseBody, sendJson, writeApolloResponse } from '../../http/http-exchange';
import type { Department, DepartmentContext, DepartmentStore } from './department';
import { loadSubgraphTypeDefs } from './federation';
import { createGatewayClient } from './gateway-client';
import { GatewayTokenError, createGatewayTokenVerifier, readJwksFile } from './gateway-token';
import { createLogger } from './logger';
import { protectSchema } from './department-access';
import { createErrorMasker } from './mask-error';
import { createSubgraphMetrics, type SubgraphMetrics } from './metrics';
import { IdentifierLiteralsRule } from './scalars/identifier-literals-rule';
import { NoSchemaDisclosureRule } from './schema-disclosure-rule';
import { scalarResolvers } from './scalars/scalar-resolvers';
import { buildWorld, type WorldSize } from './synthetic/world';

export interface RunningService {
  name: string;
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Seed an empty database with a synthetic world of this size (`npm start` uses the default size). */
  seedIfEmpty?: WorldSize;
  /** Register Node's process metrics (off when several services share one process, as in tests). */
  processMetrics?: boolean;
  logger?: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

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

export async function startDepartment<DB, S extends DepartmentStore, L>(
  department: Department<DB, S, L>,
  config: Readonly<SubgraphConfig>,
  options: StartOptions = {},
): Promise<RunningService> {
  const logger = options.logger ?? createLogger(department.name, config.logLevel);
  const metrics = createSubgraphMetrics(department.name, options.processMetrics ?? true);
  const verifyGatewayToken = createGatewayTokenVerifier({
    jwks: readJwksFile(config.gatewayJwksFile),
    audience: department.name,
    leewaySeconds: config.tokenLeewaySeconds,
  });

  const db: Kysely<DB> = openDatabase<DB>({
    location: config.database,
    onStatement: () => metrics.statements.inc({ subgraph: department.name }),
  });
  const store = department.createStore(db, config);
  const gateway = createGatewayClient(config.gatewayClient);
  await store.migrate();
  if (options.seedIfEmpty && (await store.isEmpty())) {
    logger.info({ size: options.seedIfEmpty }, 'seeding an empty database');
    await department.seed(store, buildWorld(options.seedIfEmpty));
  }

  const app = express();
  app.disable('x-powered-by');
  // /graphql is served on Node's own server (http/http-exchange.ts); the operational routes by express.
  const httpServer: Server = createGraphqlServer((req, res) => handleGraphql(req, res), app, (error) => logger.error({ err: error }, 'unexpected error outside GraphQL'));
  const typeDefs = loadSubgraphTypeDefs(department.schemaFile);
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: { ...scalarResolvers, ...department.resolvers } as never }]);
  const apollo = new ApolloServer<DepartmentContext<S, L>>({
    schema: protectSchema(schema, typeDefs, config),
    includeStacktraceInErrorResponses: false,
    validationRules: [IdentifierLiteralsRule, NoSchemaDisclosureRule],
    formatError: createErrorMasker(department.name, logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are used (answers are never cached): without this plugin no field is instrumented.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      metricsPlugin(department.name, metrics),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', service: department.name }));
  app.get('/readyz', async (_req, res) => {
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
  const handleGraphql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    let caller: Caller;
    try {
      caller = await verifyGatewayToken(req.headers.authorization, requestId);
    } catch (error) {
      if (!(error instanceof GatewayTokenError)) throw error;
      metrics.requests.inc({ subgraph: department.name, outcome: 'unauthenticated' });
      logger.warn({ requestId, reason: error.message }, 'refused a request without a valid gateway token');
      return sendJson(res, 401, { errors: [{ message: 'This department only answers requests signed by the gateway.', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const read = req.method === 'POST' ? await readJsonBody(req, MAX_BODY_BYTES) : undefined;
    if (read && !read.ok) {
      return refuseBody(res, read.problem, { errors: [{ message: 'Malformed request.', extensions: { code: 'BAD_REQUEST' } }] });
    }
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

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url }, `${department.title} subgraph ready`);
  return {
    name: department.name,
    url,
    port,
    async stop() {
      await apollo.stop();
      await db.destroy();
    },
  };
}
