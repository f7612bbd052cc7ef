/**
 * `npm run -s sample -- --app <appId> [--ttl <duration>] [--persons N] [--enterprises N] [--applications N]`
 * Prints what a newcomer needs to ask the graph as one app: subjects of the seeded synthetic world it may
 * ask about (a citizen's ID number, an enterprise's credit code, an open case), its purposes, a
 * development token (acting for the citizen when the app reads only the operator's own data), and a curl
 * command that works as printed against `npm start`. Development keys only (data/keys, as `npm run token`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AccessPolicy } from '../contracts/access-policy';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { DISTRICTS } from '../subgraphs/kit/synthetic/regions';
import { buildWorld, DEFAULT_WORLD_SIZE, type WorldSize } from '../subgraphs/kit/synthetic/world';
import { SERVICE_ITEMS } from '../subgraphs/service-hall/catalogue';
import { buildApplications } from '../subgraphs/service-hall/seed';
import { ensureDevKeys } from './dev-keys';
import { mintAppToken } from './mint-app-token';
import { samplePlan, type SamplePlan } from './sample-plan';
import { scriptEnvironment } from './script-environment';

const USAGE = `usage: npm run -s sample -- --app <appId> [--ttl <duration>] [--persons N] [--enterprises N] [--applications N]

Prints, for one app: subjects of the synthetic world npm start seeds that the app may ask about (a citizen's
ID number, an enterprise's credit code, an open case), the purposes to send as X-Purpose, a development
token (signed with the keys in $DATA_DIR/keys, as npm run token signs them) and a curl command to try.

  --app <appId>        an app with a contract in contracts/apps (not one internal to the platform)
  --ttl <duration>     how long the token lives: 15m, 1h, 7d… (default 1h)
  --persons N …        the sizes given to npm run seed, if the databases were seeded with other sizes
  -h, --help           this text`;

class UsageError extends Error {}

function size(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50_000_000) throw new UsageError(`--${flag} must be a whole number up to 50,000,000`);
  return n;
}

/** A shell word in single quotes: prints any text so that sh reads it back unchanged. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function describe(plan: SamplePlan, world: WorldSize, token: string, url: string, ttl: string): string {
  const lines: string[] = [`${plan.app} — ${plan.name}`, ''];
  const sizes = `${world.persons.toLocaleString('en')} persons, ${world.enterprises.toLocaleString('en')} enterprises, ${world.applications.toLocaleString('en')} applications`;
  const seededByStart = world.persons === DEFAULT_WORLD_SIZE.persons && world.enterprises === DEFAULT_WORLD_SIZE.enterprises && world.applications === DEFAULT_WORLD_SIZE.applications;
  lines.push(`Subjects it may ask about, in the synthetic world of ${sizes}${seededByStart ? ' (as npm start seeds it)' : ''}:`);
  if (plan.citizen) {
    const c = plan.citizen;
    const role = plan.operator === c.idNumber ? 'the token acts for them (operator): the app sees their own data only' : 'a citizen';
    lines.push(`  citizen     ${c.idNumber}  ${c.name}, ${c.address} — ${role}`);
    if (c.enterprises.length > 0) lines.push(`              represents ${c.enterprises.join(', ')}`);
    if (c.applications.length > 0) lines.push(`              applied: ${c.applications.join(', ')}`);
  }
  if (plan.enterprise) lines.push(`  enterprise  ${plan.enterprise.creditCode}  ${plan.enterprise.name} (${plan.enterprise.status})`);
  if (plan.case) {
    const c = plan.case;
    const item = SERVICE_ITEMS.find((i) => i.code === c.itemCode)?.name ?? c.itemCode;
    lines.push(`  case        ${c.id}  ${item}, ${c.status}, ${c.mode}, accepted in ${c.acceptingRegion}, handled in ${c.handlingRegion} — send it as X-Case-Id`);
    lines.push(`              applicant ${c.applicant}${c.enterprise ? `, enterprise ${c.enterprise}` : ''}`);
  }
  if (plan.region) {
    const names = (plan.districts ?? []).map((code) => `${code} ${DISTRICTS.find((d) => d.code === code)?.name ?? ''}`.trim());
    lines.push(`  region      ${plan.region} (its contract's): every row it reads lies there; districts ${names.join(', ')}`);
  }
  if (!plan.citizen && !plan.enterprise && !plan.case && !plan.region) lines.push('  none that it may name');
  lines.push('', 'Purposes (send one as X-Purpose):');
  const width = Math.max(...plan.purposes.map((p) => p.code.length));
  for (const p of plan.purposes) {
    const notes = [p.caseRequired && 'needs X-Case-Id', p.subjectIsOperator && "the operator's own data only", !p.inForce && 'NOT IN FORCE today'].filter(Boolean);
    lines.push(`  ${p.code.padEnd(width)}  ${p.description}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
  }
  const claims = [`app ${plan.app}`, ...(plan.operator ? [`operator ${plan.operator}`] : []), `valid ${ttl}`];
  lines.push('', `Token (development keys; ${claims.join(', ')}), for the console's sign-in or your shell:`, `TOKEN=${token}`);
  if (plan.example) {
    const e = plan.example;
    lines.push('', 'Then try, with npm start running:');
    lines.push(`curl -s ${url} \\`);
    lines.push(`  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`);
    lines.push(`  -H 'x-purpose: ${e.purpose}' \\`);
    if (e.caseId) lines.push(`  -H 'x-case-id: ${e.caseId}' \\`);
    lines.push(`  -d ${shellQuote(JSON.stringify({ query: e.query }))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** node:util's parseArgs, its errors (long, and suggesting `--` tricks) cut to their first sentence. */
function options(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        app: { type: 'string' },
        ttl: { type: 'string', default: '1h' },
        persons: { type: 'string' },
        enterprises: { type: 'string' },
        applications: { type: 'string' },
        'city-events': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('.')[0]! : String(error));
  }
}

async function main(args: string[]): Promise<void> {
  const values = options(args);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.app) throw new UsageError('--app is required');
  const contractsDir = resolve(process.env.CONTRACTS_DIR ?? 'contracts/apps');
  const { contracts } = loadContracts(contractsDir);
  const sampleable = contracts.filter((c) => !c.contract.internal).map((c) => c.contract.app).sort();
  const loaded = contracts.find((c) => c.contract.app === values.app);
  if (!loaded) throw new UsageError(`${values.app} has no contract in ${process.env.CONTRACTS_DIR ?? 'contracts/apps'}. Apps: ${sampleable.join(', ') || 'none'}.`);
  if (loaded.contract.internal) throw new UsageError(`${values.app} is internal to the platform: no development token is accepted for it. Apps: ${sampleable.join(', ')}.`);

  const worldSize: WorldSize = {
    persons: size(values.persons, DEFAULT_WORLD_SIZE.persons, 'persons'),
    enterprises: size(values.enterprises, DEFAULT_WORLD_SIZE.enterprises, 'enterprises'),
    applications: size(values.applications, DEFAULT_WORLD_SIZE.applications, 'applications'),
    cityEvents: size(values['city-events'], DEFAULT_WORLD_SIZE.cityEvents, 'city-events'),
  };
  const { platform, problems } = loadPlatform(resolve(process.env.PLATFORM_FILE ?? 'contracts/platform.yaml'));
  if (!platform) throw new Error(`the platform file cannot be read: ${problems[0]?.message ?? 'unknown problem'}`);
  const catalog = buildCatalog(readFileSync(resolve(process.env.SUPERGRAPH_FILE ?? 'supergraph.graphql'), 'utf8'), platform.undeclaredSharingClass);
  const policy = new AccessPolicy(contracts.map((c) => c.contract), catalog, platform);
  const world = buildWorld(worldSize);
  const plan = samplePlan({
    contract: loaded.contract,
    grants: policy.grantsInForce(loaded.contract.app, new Date()),
    subjects: policy.subjects,
    world,
    applications: buildApplications(world).rows,
    openStatuses: platform.cases?.openStatuses ?? [],
  });

  const env = scriptEnvironment();
  const keys = await ensureDevKeys(env.dataDir);
  let token: string;
  try {
    token = await mintAppToken(keys.appIssuerPrivate, { app: plan.app, ttl: values.ttl, ...(plan.operator !== undefined && { operator: plan.operator }) });
  } catch (error) {
    // jose's word for a duration it cannot read.
    if (error instanceof TypeError && /time period/i.test(error.message)) throw new UsageError('--ttl takes a duration such as 15m, 1h or 7d');
    throw error;
  }
  process.stdout.write(describe(plan, worldSize, token, `http://${env.host}:${env.gatewayPort}/graphql`, values.ttl));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
