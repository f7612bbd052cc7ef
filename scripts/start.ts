/**
 * `npm start` (compiled, from dist/) and `npm run dev` (the sources, through tsx): the whole reference
 * deployment on this machine — every department found under subgraphs/ (./departments.ts), each its own
 * process on its own port over its own seeded database, then the gateway in front of them. Ctrl-C stops
 * everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { departmentDatabase } from './department-database';
import { departmentPorts, departmentUrl, discoverDepartments } from './departments';
import { ensureDevKeys } from './dev-keys';
import { fileArgs, PROJECT_ROOT, programArgs } from './program';
import { scriptEnvironment } from './script-environment';

const children: ChildProcess[] = [];
let stopping = false;

function run(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // No load balancer sits in front of this deployment: on a signal its services stop without waiting for one.
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, SHUTDOWN_DELAY_SECONDS: '0', ...env }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`${name} stopped (${signal ?? `exit ${code}`}); stopping everything\n`);
    stopAll(1);
  });
  children.push(child);
  return child;
}

function stopAll(exitCode: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(exitCode), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined))).then(() => process.exit(exitCode));
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready in ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const env = scriptEnvironment();
  const found = discoverDepartments();
  const ports = departmentPorts(found.map((f) => f.department), env.subgraphBasePort);
  const onGatewayPort = [...ports].find(([, port]) => port === env.gatewayPort);
  if (onGatewayPort) throw new Error(`GATEWAY_PORT ${env.gatewayPort} is also ${onGatewayPort[0]}'s port: choose another, or move the departments with SUBGRAPH_BASE_PORT`);
  const keys = await ensureDevKeys(env.dataDir);
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));

  const subgraphUrls = found.map(({ department, entry }) => {
    const port = ports.get(department.name)!;
    const location = departmentDatabase(env, department.name);
    run(department.name, fileArgs(entry), {
      HOST: env.host,
      PORT: String(port),
      DATA_DIR: env.dataDir,
      GATEWAY_JWKS_FILE: keys.gatewayJwks,
      GATEWAY_URL: `http://${env.host}:${env.gatewayPort}/graphql`,
      ...(location.kind === 'postgres' && { DATABASE_URL: location.url }),
    });
    return { name: department.name, url: departmentUrl(department, env.host, port) };
  });
  await Promise.all(subgraphUrls.map(({ url }) => waitUntilReady(new URL('/readyz', url).href, 120_000)));

  run('gateway', programArgs('gateway/index.ts'), {
    HOST: env.host,
    PORT: String(env.gatewayPort),
    DATA_DIR: env.dataDir,
    SUBGRAPH_URLS: subgraphUrls.map(({ name, url }) => `${name}=${url}`).join(','),
    // A department's /readyz also checks its database: the gateway reads it rather than asking { __typename }.
    SUBGRAPH_HEALTH_URLS: subgraphUrls.map(({ name, url }) => `${name}=${new URL('/readyz', url).href}`).join(','),
  });
  const gatewayUrl = `http://${env.host}:${env.gatewayPort}`;
  await waitUntilReady(`${gatewayUrl}/healthz`, 60_000);
  process.stdout.write(
    `\nGovGraph is up: POST ${gatewayUrl}/graphql  (readiness: ${gatewayUrl}/readyz)\n` +
      `The console: ${gatewayUrl}/console/  (sign in with a token from: npm run -s token -- --app auditor)\n` +
      `Get a development token with: npm run -s token -- --app market-supervision\nCtrl-C stops everything.\n\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`GovGraph did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  stopAll(1);
});
