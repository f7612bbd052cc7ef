/** The few settings the development scripts read, parsed once (same variable names as the services). */
import { z } from 'zod';

const environment = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  SUBGRAPH_BASE_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LOG_LEVEL: z.string().default('info'),
  CONTRACTS_DIR: z.string().min(1).default('contracts/apps'),
  PLATFORM_FILE: z.string().min(1).default('contracts/platform.yaml'),
  SUPERGRAPH_FILE: z.string().min(1).default('supergraph.graphql'),
});

export type ScriptEnvironment = Readonly<{
  dataDir: string;
  host: string;
  gatewayPort: number;
  /** Unset: each department on its own defaultPort; set, all of them shifted alike so the lowest is this one. */
  subgraphBasePort: number | undefined;
  logLevel: string;
  /** The contracts and the platform file, as the gateway reads them (CONTRACTS_DIR, PLATFORM_FILE). */
  contractsDir: string;
  platformFile: string;
  /** The composed supergraph, as the gateway reads it (SUPERGRAPH_FILE). */
  supergraphFile: string;
  /** PUBLIC_SECURITY_DATABASE_URL and the like: a department's PostgreSQL, when set. */
  databaseUrls: Readonly<Record<string, string>>;
}>;

export function scriptEnvironment(env: NodeJS.ProcessEnv = process.env): ScriptEnvironment {
  const parsed = environment.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const databaseUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^([A-Z_]+)_DATABASE_URL$/.exec(name);
    if (match && value) databaseUrls[match[1]!.toLowerCase().replaceAll('_', '-')] = value;
  }
  return Object.freeze({
    dataDir: parsed.data.DATA_DIR,
    host: parsed.data.HOST,
    gatewayPort: parsed.data.GATEWAY_PORT,
    subgraphBasePort: parsed.data.SUBGRAPH_BASE_PORT,
    logLevel: parsed.data.LOG_LEVEL,
    contractsDir: parsed.data.CONTRACTS_DIR,
    platformFile: parsed.data.PLATFORM_FILE,
    supergraphFile: parsed.data.SUPERGRAPH_FILE,
    databaseUrls: Object.freeze(databaseUrls),
  });
}
