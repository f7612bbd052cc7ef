/**
 * `npm run token -- --app <appId> [--operator <id>] [--region <code>] [--ttl <duration>]`
 * Prints a development app token and nothing else, so `TOKEN=$(npm run -s token -- --app …)` works. Only for
 * an app the gateway would accept it for: one with a contract, not internal to the platform.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { operatorKeyCheck } from '../contracts/operator-key';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { parseCommandLine, runCommandLine, UsageError } from './command-line';
import { ensureDevKeys } from './dev-keys';
import { mintAppToken } from './mint-app-token';
import { scriptEnvironment } from './script-environment';

const USAGE = `usage: npm run -s token -- --app <appId> [--operator <id>] [--region <code>] [--ttl <duration>]

Prints a development app token, signed by the development identity provider (keys in $DATA_DIR/keys),
and nothing else: TOKEN=$(npm run -s token -- --app market-supervision)

  --app <appId>       the app: one with a contract in $CONTRACTS_DIR (contracts/apps)
  --operator <id>     whom the app acts for: a signed-in citizen's ID number (operator-bound purposes)
  --region <code>     keeps the app to rows of a division code or its prefix, e.g. 44 or 440106
  --ttl <duration>    how long the token lives: 15m, 1h, 7d… (default 1h)
  -h, --help          this text

Production tokens come from the identity provider (docs/operations.md, "Tokens in production").`;

/** Why no development token is signed for this app, or undefined when one is. */
function appProblem(app: string, contractsDir: string, platformFile: string): string | undefined {
  const { contracts, problems } = loadContracts(resolve(contractsDir));
  if (contracts.length === 0 && problems.length > 0) throw new Error(`Cannot read the contracts in ${contractsDir} (CONTRACTS_DIR): ${problems[0]!.message}.`);
  const casesApp = loadPlatform(resolve(platformFile)).platform?.cases?.app;
  const internal = new Set(contracts.filter((c) => c.contract.internal).map((c) => c.contract.app));
  const signable = contracts.map((c) => c.contract.app).filter((id) => !internal.has(id) && id !== casesApp).sort();
  if (app === casesApp) return `${app} is the gateway's own app: the gateway accepts no token for it.`;
  if (internal.has(app)) return `${app} is internal to the platform: the gateway accepts its tokens only from the platform issuer.`;
  if (!signable.includes(app)) return `${app} has no contract in ${contractsDir}, so the gateway would refuse everything it asks. Apps with a contract: ${signable.join(', ') || 'none'}.`;
  return undefined;
}

/** Why the gateway would refuse a token naming this operator (contracts/operator-key.ts), or undefined. */
function operatorProblem(operator: string, platformFile: string, supergraphFile: string): string | undefined {
  const { platform } = loadPlatform(resolve(platformFile));
  if (!platform) return undefined;
  let supergraph: string;
  try {
    supergraph = readFileSync(resolve(supergraphFile), 'utf8');
  } catch {
    throw new Error(`Cannot read the supergraph at ${supergraphFile} (SUPERGRAPH_FILE): run npm run compose.`);
  }
  const checked = operatorKeyCheck(platform, buildCatalog(supergraph, platform.undeclaredSharingClass).apiSchema)(operator);
  return checked.ok ? undefined : `--operator is refused by the gateway: ${checked.problem}`;
}

async function main(args: string[]): Promise<void> {
  const { values } = parseCommandLine({
    args,
    options: {
      app: { type: 'string' },
      operator: { type: 'string' },
      region: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
  });
  if (!values.app) throw new UsageError('--app is required');
  if (values.region !== undefined && !/^\d{2,6}$/.test(values.region)) throw new UsageError('--region must be a division code or its prefix, e.g. 44 or 440106');
  const env = scriptEnvironment();
  const problem = appProblem(values.app, env.contractsDir, env.platformFile);
  if (problem) throw new UsageError(problem);
  const notOperator = values.operator === undefined ? undefined : operatorProblem(values.operator, env.platformFile, env.supergraphFile);
  if (notOperator) throw new UsageError(notOperator);
  const keys = await ensureDevKeys(env.dataDir);
  let token: string;
  try {
    token = await mintAppToken(keys.appIssuerPrivate, {
      app: values.app,
      ttl: values.ttl,
      ...(values.operator !== undefined && { operator: values.operator }),
      ...(values.region !== undefined && { region: values.region }),
    });
  } catch (error) {
    // jose's word for a duration it cannot read.
    if (error instanceof TypeError && /time period/i.test(error.message)) throw new UsageError('--ttl takes a duration such as 15m, 1h or 7d');
    throw error;
  }
  process.stdout.write(`${token}\n`);
}

runCommandLine(USAGE, main);
