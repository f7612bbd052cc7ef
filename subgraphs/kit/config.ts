/**
 * A department service's configuration, read once from the environment and frozen. A wrong value stops
 * start-up with a message that names the variable.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { tracingEnvironment, tracingSettingsOf, type TracingSettings } from '../../http/tracing-settings';
import type { StopTiming } from '../../http/graceful-stop';
import type { DatabaseLocation } from './database';
import type { GatewayClientConfig } from './gateway-client';
import { DEFAULT_RETENTION_DAYS } from '../../audit/verify-chain';

export interface SubgraphConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  database: DatabaseLocation;
  /** The gateway's public keys, which sign every request a department accepts. */
  gatewayJwksFile: string;
  tokenLeewaySeconds: number;
  /** The same contracts and platform file as the gateway: the department enforces them too. */
  contractsDir: string;
  platformFile: string;
  /** The audit trail's HMAC key: the audit department matches raw identifiers against the trail with it. */
  auditHmacKeyFile: string;
  /** The audit department verifies the trail's chained HMACs with this key. */
  auditChainKeyFile: string;
  /** The audit department verifies the trail's signed checkpoints with this key (only its public half is used). */
  auditCheckpointKeyFile: string;
  /** The interval at which the gateway signs checkpoints: the audit department requires one at each. */
  auditCheckpointEvery: number;
  /** Records younger than this many days may not have been pruned: the audit department's verification fails if they were. */
  auditRetentionDays: number;
  /** The composed supergraph: the audit department describes the contracts' grants against it. */
  supergraphFile: string;
  /** How this department reads other departments' data: through the gateway, as its own app. */
  gatewayClient: GatewayClientConfig;
  /** On SIGTERM: how long to serve on with /readyz at 503, then how long the requests in flight get (http/graceful-stop.ts). */
  shutdown: StopTiming;
  logLevel: string;
  /** Where the department's spans go (OTLP/HTTP); absent, it traces nothing. */
  tracing?: TracingSettings;
}

const environment = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  GATEWAY_JWKS_FILE: z.string().min(1).optional(),
  TOKEN_LEEWAY_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  CONTRACTS_DIR: z.string().min(1).default('contracts/apps'),
  PLATFORM_FILE: z.string().min(1).default('contracts/platform.yaml'),
  AUDIT_HMAC_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHAIN_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(100000).default(100),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(DEFAULT_RETENTION_DAYS),
  SUPERGRAPH_FILE: z.string().min(1).default('supergraph.graphql'),
  GATEWAY_URL: z.string().url().default('http://127.0.0.1:4000/graphql'),
  GATEWAY_CLIENT_APP: z.string().min(1).optional(),
  GATEWAY_CLIENT_KEY_FILE: z.string().min(1).optional(),
  GATEWAY_CLIENT_ISSUER: z.string().min(1).default('govgraph-dev-platform'),
  GATEWAY_CLIENT_AUDIENCE: z.string().min(1).default('govgraph'),
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(5),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...tracingEnvironment,
});

export function describeConfigError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`).join('; ');
}

/** The SQLite file of a department inside a data folder. */
export function sqliteFileFor(dataDir: string, department: string): string {
  return resolve(dataDir, 'db', `${department}.sqlite`);
}

export function loadSubgraphConfig(department: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env): Readonly<SubgraphConfig> {
  const parsed = environment.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid configuration for ${department}: ${describeConfigError(parsed.error)}`);
  const e = parsed.data;
  const database: DatabaseLocation = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'sqlite', file: sqliteFileFor(e.DATA_DIR, department) };
  const tracing = tracingSettingsOf(e, department);
  return Object.freeze({
    host: e.HOST,
    port: e.PORT ?? defaultPort,
    database,
    gatewayJwksFile: resolve(e.GATEWAY_JWKS_FILE ?? resolve(e.DATA_DIR, 'keys', 'gateway.jwks.json')),
    tokenLeewaySeconds: e.TOKEN_LEEWAY_SECONDS,
    contractsDir: resolve(e.CONTRACTS_DIR),
    platformFile: resolve(e.PLATFORM_FILE),
    auditHmacKeyFile: resolve(e.AUDIT_HMAC_KEY_FILE ?? resolve(e.DATA_DIR, 'keys', 'audit-hmac.key')),
    auditChainKeyFile: resolve(e.AUDIT_CHAIN_KEY_FILE ?? resolve(e.DATA_DIR, 'keys', 'audit-chain.key')),
    auditCheckpointKeyFile: resolve(e.AUDIT_CHECKPOINT_KEY_FILE ?? resolve(e.DATA_DIR, 'keys', 'audit-checkpoint.pem')),
    auditCheckpointEvery: e.AUDIT_CHECKPOINT_EVERY,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    supergraphFile: resolve(e.SUPERGRAPH_FILE),
    gatewayClient: {
      url: e.GATEWAY_URL,
      // A department reads as the app named after it, under its own contract.
      app: e.GATEWAY_CLIENT_APP ?? department,
      // That app's own key under the platform issuer: the gateway accepts an internal app's token signed by no other.
      keyFile: resolve(e.GATEWAY_CLIENT_KEY_FILE ?? resolve(e.DATA_DIR, 'keys', 'internal-apps', `${e.GATEWAY_CLIENT_APP ?? department}.private.jwk.json`)),
      issuer: e.GATEWAY_CLIENT_ISSUER,
      audience: e.GATEWAY_CLIENT_AUDIENCE,
    },
    shutdown: { delayMs: e.SHUTDOWN_DELAY_SECONDS * 1000, timeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000 },
    logLevel: e.LOG_LEVEL,
    ...(tracing && { tracing }),
  });
}
