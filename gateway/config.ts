/**
 * The gateway's configuration, read once from the environment, validated and frozen. Nothing else in the
 * gateway reads process.env. The supergraph, the key material and the subgraph addresses are all
 * configuration: the same gateway serves any deployment's departments.
 */
import { basename, extname, resolve } from 'node:path';
import { z } from 'zod';
import { originProblem } from '../contracts/web-origin';
import { tracingEnvironment, tracingSettingsOf, type TracingSettings } from '../http/tracing-settings';
import type { ConsoleSettings } from './console-routes';
import type { CorsSettings } from './cors';
import type { StopTiming } from '../http/graceful-stop';
import type { DepartmentCallLimits } from './department-fetcher';
import { DEFAULT_LIMITS, type OperationLimits } from './limits';

export interface GatewayConfig {
  host: string;
  port: number;
  supergraphFile: string;
  /** The data-sharing contracts (one YAML file per app) and the platform file beside them. */
  contractsDir: string;
  platformFile: string;
  /** reject: an operation with a denied field is refused whole; filter: denied fields are removed and reported. */
  accessMode: 'reject' | 'filter';
  /** Where app tokens' public keys come from: a JWKS file (development) or the identity provider's URL. */
  appKeys: { kind: 'file'; file: string } | { kind: 'url'; url: string };
  appTokenIssuer: string;
  appTokenAudience: string;
  appTokenLeewaySeconds: number;
  /**
   * The platform issuer: it signs the tokens of the platform's own apps (contracts marked `internal`), and
   * only theirs; the public identity provider's tokens for those apps are refused.
   */
  platformKeys: { kind: 'file'; file: string } | { kind: 'url'; url: string };
  platformTokenIssuer: string;
  /** The gateway's private key that signs its requests to the departments. */
  signingKeyFile: string;
  subgraphTokenTtlSeconds: number;
  /** Overrides of the subgraph URLs written in the supergraph, by subgraph name. */
  subgraphUrls: Readonly<Record<string, string>>;
  /**
   * Where /readyz reads a subgraph's readiness (a department's own /readyz), by subgraph name; a subgraph
   * without one is asked `{ __typename }` instead (gateway/readiness.ts).
   */
  subgraphHealthUrls: Readonly<Record<string, string>>;
  /** Where the audit trail is written: a SQLite file, or PostgreSQL shared by replicas. */
  audit: {
    location: { kind: 'sqlite'; file: string; busyTimeoutMs: number } | { kind: 'postgres'; url: string };
    hmacKeyFile: string;
    /** The key of the records' chained HMACs: kept outside the audit database. */
    chainKeyFile: string;
    checkpointKeyFile: string;
    /** A signed checkpoint every so many records; verification requires them at this interval. */
    checkpointEvery: number;
    /** Where this gateway keeps the last checkpoint it signed, outside the audit database (audit/head-file.ts). */
    headFile: string;
  };
  /** Operation limits enforced before any work. */
  limits: OperationLimits;
  /** Timeouts, response bound and circuit breaker of department calls. */
  departmentCalls: DepartmentCallLimits;
  /** No request is answered later than this. */
  requestTimeoutMs: number;
  /** Where rate-limit counters live: this process, or Redis shared by replicas. */
  rateLimitRedisUrl?: string;
  /** Processes serving the port (node:cluster); 1 runs the gateway in this process. */
  workers: number;
  /** Operations per HTTP request: 0 turns array batching off (the default); each is checked, counted and audited. */
  maxBatch: number;
  /** The largest request body accepted. */
  maxBodyBytes: number;
  /** How long /readyz waits for each department (its health URL, or its answer to `{ __typename }`). */
  readinessTimeoutMs: number;
  /** On SIGTERM: how long to serve on with /readyz at 503, then how long the requests in flight get (http/graceful-stop.ts). */
  shutdown: StopTiming;
  /** The web console at /console/ and its explorer. */
  console: ConsoleSettings;
  /** CORS on /graphql: origins every app may be called from besides its contract's, and the preflight's max age. */
  cors: CorsSettings;
  logLevel: string;
  /** Where the gateway's spans go (OTLP/HTTP); absent, it traces nothing. */
  tracing?: TracingSettings;
}

const subgraphUrlList = z
  .string()
  .transform((text, ctx) => {
    const urls: Record<string, string> = {};
    for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
      const match = /^([a-z][a-z0-9-]*)=(https?:\/\/\S+)$/.exec(entry);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not name=http(s)://url` });
        return z.NEVER;
      }
      urls[match[1]!] = match[2]!;
    }
    return urls;
  });

const originList = z.string().transform((text, ctx) => {
  const origins = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const origin of origins) {
    const problem = originProblem(origin);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `"${origin}" ${problem}` });
  }
  return origins;
});

const onOff = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((value) => value === 'on' || value === 'true' || value === '1');

const environment = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATA_DIR: z.string().min(1).default('data'),
  SUPERGRAPH_FILE: z.string().min(1).default('supergraph.graphql'),
  CONTRACTS_DIR: z.string().min(1).default('contracts/apps'),
  PLATFORM_FILE: z.string().min(1).default('contracts/platform.yaml'),
  ACCESS_MODE: z.enum(['reject', 'filter']).default('reject'),
  APP_JWKS_FILE: z.string().min(1).optional(),
  APP_JWKS_URL: z.string().url().optional(),
  APP_TOKEN_ISSUER: z.string().min(1).default('govgraph-dev-idp'),
  APP_TOKEN_AUDIENCE: z.string().min(1).default('govgraph'),
  PLATFORM_JWKS_FILE: z.string().min(1).optional(),
  PLATFORM_JWKS_URL: z.string().url().optional(),
  PLATFORM_TOKEN_ISSUER: z.string().min(1).default('govgraph-dev-platform'),
  APP_TOKEN_LEEWAY_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  GATEWAY_SIGNING_KEY_FILE: z.string().min(1).optional(),
  SUBGRAPH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(60).default(15),
  SUBGRAPH_URLS: subgraphUrlList.default({}),
  SUBGRAPH_HEALTH_URLS: subgraphUrlList.default({}),
  AUDIT_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  AUDIT_SQLITE_FILE: z.string().min(1).optional(),
  AUDIT_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60000).default(2000),
  AUDIT_HMAC_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHAIN_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(100000).default(100),
  AUDIT_HEAD_FILE: z.string().min(1).optional(),
  MAX_TOKENS: z.coerce.number().int().min(50).max(100000).default(DEFAULT_LIMITS.maxTokens),
  MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(DEFAULT_LIMITS.maxDepth),
  MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(DEFAULT_LIMITS.maxAliases),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(DEFAULT_LIMITS.maxDirectives),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(50).max(120000).default(5000),
  SUBGRAPH_MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).max(500_000_000).default(20_000_000),
  BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(600000).default(10000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300000).default(15000),
  RATE_LIMIT_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Set by the primary for each worker it forks (gateway/index.ts), not by an operator: which worker this is, from 1. */
  GATEWAY_WORKER_SLOT: z.coerce.number().int().min(1).max(64).optional(),
  MAX_BATCH: z.coerce.number().int().min(0).max(50).default(0),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_000_000),
  MAX_COST: z.coerce.number().int().min(10).max(10000000).default(DEFAULT_LIMITS.maxCost),
  READINESS_TIMEOUT_MS: z.coerce.number().int().min(50).max(30000).default(2000),
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(5),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(10),
  CONSOLE: onOff.default(true),
  CONSOLE_EXPLORER: onOff.optional(),
  CONSOLE_DIR: z.string().min(1).default('console/dist'),
  CONSOLE_OIDC_ISSUER: z.string().regex(/^https?:\/\/[^/]+/, 'must be the identity provider\'s issuer URL').optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CORS_ORIGINS: originList.default([]),
  CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86400).default(600),
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...tracingEnvironment,
});

/**
 * Each worker keeps a head file of its own (its last appended record): two processes rewriting one file
 * would leave the older head over the newer. The first keeps the file itself, so a gateway moved from one
 * process to several (or back) still checks the head it kept; worker N keeps `<name>.worker-N.json` beside it.
 */
export function workerHeadFile(file: string, slot: number | undefined): string {
  if (slot === undefined || slot === 1) return file;
  const extension = extname(file);
  return `${file.slice(0, file.length - extension.length)}.worker-${slot}${extension}`;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): Readonly<GatewayConfig> {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid gateway configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.APP_JWKS_FILE && e.APP_JWKS_URL) throw new Error('Invalid gateway configuration: set APP_JWKS_FILE or APP_JWKS_URL, not both');
  if (e.PLATFORM_JWKS_FILE && e.PLATFORM_JWKS_URL) throw new Error('Invalid gateway configuration: set PLATFORM_JWKS_FILE or PLATFORM_JWKS_URL, not both');
  // The issuer decides which keys verify a token, so the two must never be confused.
  if (!e.CONSOLE_OIDC_ISSUER !== !e.CONSOLE_OIDC_CLIENT_ID) throw new Error('Invalid gateway configuration: set CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID together');
  if (e.PLATFORM_TOKEN_ISSUER === e.APP_TOKEN_ISSUER) throw new Error('Invalid gateway configuration: PLATFORM_TOKEN_ISSUER must differ from APP_TOKEN_ISSUER');
  const keysDir = resolve(e.DATA_DIR, 'keys');
  const auditSqliteFile = resolve(e.AUDIT_SQLITE_FILE ?? resolve(e.DATA_DIR, 'db', 'audit.sqlite'));
  const tracing = tracingSettingsOf(e, 'gateway');
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    supergraphFile: resolve(e.SUPERGRAPH_FILE),
    contractsDir: resolve(e.CONTRACTS_DIR),
    platformFile: resolve(e.PLATFORM_FILE),
    accessMode: e.ACCESS_MODE,
    appKeys: e.APP_JWKS_URL ? { kind: 'url', url: e.APP_JWKS_URL } : { kind: 'file', file: resolve(e.APP_JWKS_FILE ?? resolve(keysDir, 'app-issuer.jwks.json')) },
    appTokenIssuer: e.APP_TOKEN_ISSUER,
    appTokenAudience: e.APP_TOKEN_AUDIENCE,
    appTokenLeewaySeconds: e.APP_TOKEN_LEEWAY_SECONDS,
    platformKeys: e.PLATFORM_JWKS_URL
      ? { kind: 'url', url: e.PLATFORM_JWKS_URL }
      : { kind: 'file', file: resolve(e.PLATFORM_JWKS_FILE ?? resolve(keysDir, 'platform-issuer.jwks.json')) },
    platformTokenIssuer: e.PLATFORM_TOKEN_ISSUER,
    signingKeyFile: resolve(e.GATEWAY_SIGNING_KEY_FILE ?? resolve(keysDir, 'gateway.private.jwk.json')),
    subgraphTokenTtlSeconds: e.SUBGRAPH_TOKEN_TTL_SECONDS,
    subgraphUrls: Object.freeze(e.SUBGRAPH_URLS),
    subgraphHealthUrls: Object.freeze(e.SUBGRAPH_HEALTH_URLS),
    audit: {
      location: e.AUDIT_DATABASE_URL ? { kind: 'postgres', url: e.AUDIT_DATABASE_URL } : { kind: 'sqlite', file: auditSqliteFile, busyTimeoutMs: e.AUDIT_BUSY_TIMEOUT_MS },
      hmacKeyFile: resolve(e.AUDIT_HMAC_KEY_FILE ?? resolve(keysDir, 'audit-hmac.key')),
      chainKeyFile: resolve(e.AUDIT_CHAIN_KEY_FILE ?? resolve(keysDir, 'audit-chain.key')),
      checkpointKeyFile: resolve(e.AUDIT_CHECKPOINT_KEY_FILE ?? resolve(keysDir, 'audit-checkpoint.pem')),
      checkpointEvery: e.AUDIT_CHECKPOINT_EVERY,
      // One kept head per trail: a SQLite trail's is named after its file (audit.sqlite → audit-head.json).
      headFile: workerHeadFile(resolve(e.AUDIT_HEAD_FILE ?? resolve(keysDir, e.AUDIT_DATABASE_URL ? 'audit-head.json' : `${basename(auditSqliteFile, '.sqlite')}-head.json`)), e.GATEWAY_WORKER_SLOT),
    },
    limits: { maxTokens: e.MAX_TOKENS, maxDepth: e.MAX_DEPTH, maxAliases: e.MAX_ALIASES, maxDirectives: e.MAX_DIRECTIVES, maxCost: e.MAX_COST },
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxBatch: e.MAX_BATCH,
    departmentCalls: {
      timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
      maxResponseBytes: e.SUBGRAPH_MAX_RESPONSE_BYTES,
      breakerFailures: e.BREAKER_FAILURES,
      breakerCooldownMs: e.BREAKER_COOLDOWN_MS,
    },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    ...(e.RATE_LIMIT_REDIS_URL !== undefined && { rateLimitRedisUrl: e.RATE_LIMIT_REDIS_URL }),
    workers: e.GATEWAY_WORKERS,
    readinessTimeoutMs: e.READINESS_TIMEOUT_MS,
    shutdown: { delayMs: e.SHUTDOWN_DELAY_SECONDS * 1000, timeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000 },
    // The explorer shows a schema and runs any operation: on in development, off in production unless asked for.
    console: {
      enabled: e.CONSOLE,
      explorer: e.CONSOLE_EXPLORER ?? e.NODE_ENV !== 'production',
      dir: resolve(e.CONSOLE_DIR),
      ...(e.CONSOLE_OIDC_ISSUER && e.CONSOLE_OIDC_CLIENT_ID && { signIn: { issuer: e.CONSOLE_OIDC_ISSUER, clientId: e.CONSOLE_OIDC_CLIENT_ID, resource: e.APP_TOKEN_AUDIENCE } }),
    },
    cors: { origins: Object.freeze(e.CORS_ORIGINS), maxAgeSeconds: e.CORS_MAX_AGE_SECONDS },
    logLevel: e.LOG_LEVEL,
    ...(tracing && { tracing }),
  } satisfies GatewayConfig);
}
