/**
 * Issue 19's browser check, in Debian's chromium driven by playwright-core: a portal page served by this
 * test from an origin of its own (another loopback port) signs a citizen in through the real OIDC provider
 * (authorization code with PKCE, done by the page with WebCrypto; the page exchanges the code itself) and
 * reads her name through the real gateway with fetch. The portal's contract lists the page's origin, so
 * the browser lets the page read the answer. The same page served from a third origin, listed nowhere,
 * signs in just as well but is blocked by the browser at the gateway's refused preflight — which the audit
 * trail records, once, as DENY. The page is `support/sign-in-page/`; nothing is loaded from beyond 127.0.0.1.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import type { AuditRecord } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { loadGatewayConfig } from '../gateway/config';
import type { RunningGateway } from '../gateway/server';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, type TestGraph } from './support/graph';
import { startOidcProvider, type OidcCitizen, type RunningOidcProvider } from './support/oidc-provider';
import { waitUntil } from './support/wait-until';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PAGE_DIR = join(__dirname, 'support', 'sign-in-page');
const RESOURCE = 'https://govgraph.example.gov.cn/graphql';
const PORTAL = 'oneservice-portal';
/** Playwright's waits; the machine running the suite may be busy. */
const STEP_TIMEOUT_MS = 45_000;

const adult = buildWorld(TEST_WORLD).persons.find((p) => p.status === 'NORMAL' && p.birthDate < '2000-01-01')!;
const citizen: OidcCitizen & { name: string } = { accountId: 'account-browser', login: 'meilin', password: 'meilin-password', idNumber: adult.idNumber, idNumberVerified: true, name: adult.name };

interface PageServer {
  origin: string;
  /** The page's own URL: where it sends the citizen back to (a redirect URI at the provider). */
  url: string;
  server: Server;
}

let graph: TestGraph;
let provider: RunningOidcProvider;
let gateway: RunningGateway;
let browser: Browser;
let allowed: PageServer;
let elsewhere: PageServer;
/** Where the page finds the provider and the gateway: set once both run, read on every page load. */
let settings: { issuer: string; gateway: string; clientId: string; resource: string } | undefined;

/** The same page on a free loopback port: its HTML (with the settings) and its script, nothing else. */
async function servePage(): Promise<PageServer> {
  const html = readFileSync(join(PAGE_DIR, 'index.html'), 'utf8');
  const script = readFileSync(join(PAGE_DIR, 'app.js'), 'utf8');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname;
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (!settings || (path !== '/' && path !== '/app.js')) return void res.writeHead(404).end();
    // The page may load only its own script and talk only to the provider and the gateway.
    const csp = `default-src 'self'; connect-src ${new URL(settings.issuer).origin} ${new URL(settings.gateway).origin}`;
    const headers = { 'content-security-policy': csp, 'cache-control': 'no-store' };
    if (path === '/app.js') return void res.writeHead(200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    const body = html.replace('__SETTINGS__', JSON.stringify(settings).replace(/</g, '\\u003c'));
    res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, url: `${origin}/`, server };
}

/** The test graph's contracts, with the portal's `origins:` naming the allowed page's origin instead of Vite's. */
function contractsListing(origin: string): string {
  const dir = join(graph.dataDir, 'browser-contracts');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(graph.contractsDir)) {
    const contract = parse(readFileSync(join(graph.contractsDir, name), 'utf8')) as { app: string; origins?: string[] };
    if (contract.app === PORTAL) contract.origins = [origin];
    writeFileSync(join(dir, name), stringify(contract));
  }
  return dir;
}

beforeAll(async () => {
  // No skipping: a missing browser fails the test with what to do (.ci/run installs it).
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH.`);
  [allowed, elsewhere] = await Promise.all([servePage(), servePage()]);
  graph = await startGraph();
  provider = await startOidcProvider({
    resource: RESOURCE,
    // Both pages may sign in: only the gateway tells the origins apart.
    browserClients: [{ clientId: PORTAL, redirectUris: [allowed.url, elsewhere.url] }],
    citizens: [citizen],
  });
  const trusted = loadGatewayConfig(provider.gatewayEnvironment);
  gateway = await graph.startGateway({
    appKeys: trusted.appKeys,
    appTokenIssuer: trusted.appTokenIssuer,
    appTokenAudience: trusted.appTokenAudience,
    contractsDir: contractsListing(allowed.origin),
    departmentCalls: { timeoutMs: 5000, maxResponseBytes: 5_000_000, breakerFailures: 5, breakerCooldownMs: 10_000 },
    requestTimeoutMs: 15_000,
  });
  settings = { issuer: provider.issuer, gateway: gateway.url, clientId: PORTAL, resource: RESOURCE };
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  for (const page of [allowed, elsewhere]) await new Promise((resolve) => (page ? page.server.close(resolve) : resolve(undefined)));
  await provider?.stop();
  await graph?.stop();
});

/** The records the pages' gateway wrote after `seq` (the graph's first extra gateway writes its own trail). */
async function recordsAfter(seq: number): Promise<AuditRecord[]> {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit-1.sqlite') });
  try {
    return await store.recordsAfter(seq, 1000);
  } finally {
    await store.close();
  }
}
const lastSeq = async () => (await recordsAfter(0)).at(-1)?.seq ?? 0;

interface Visit {
  page: Page;
  /** What chromium said on the console while the page was on its own origin (its CORS verdicts among them). */
  console: string[];
  /** Requests to anywhere but the loopback services. */
  outside: string[];
}

/**
 * Opens the page in a fresh context (no provider session, no cached preflight) and signs the citizen in:
 * the page sends her to the provider's login form, which sends her back with a code the page exchanges.
 * No request interception: Playwright would answer intercepted CORS preflights itself.
 */
async function signIn(at: PageServer): Promise<Visit> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const visit: Visit = { page, console: [], outside: [] };
  page.on('console', (message) => {
    // The provider's pages are not the test's (its login page has no favicon: a 404 on the console).
    if (new URL(page.url()).origin === at.origin) visit.console.push(message.text());
  });
  page.on('request', (request) => {
    if (new URL(request.url()).hostname !== '127.0.0.1') visit.outside.push(request.url());
  });
  await page.goto(at.url);
  await page.getByRole('button', { name: '使用统一身份认证登录' }).click();
  await page.waitForURL((url) => url.origin === provider.issuer && url.pathname.startsWith('/interaction/'));
  await page.getByLabel('账号').fill(citizen.login);
  await page.getByLabel('密码').fill(citizen.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => url.origin === at.origin);
  await page.getByRole('status').filter({ hasText: /^已登录$/ }).waitFor();
  // The page has taken the code out of its address.
  expect(page.url()).toBe(at.url);
  return visit;
}

/** Asks for the citizen's own profile and waits until the page shows her name or why not. */
async function readOwnProfile(page: Page): Promise<{ name: string; problem: string }> {
  await page.getByLabel('本人身份证号').fill(citizen.idNumber);
  await page.getByRole('button', { name: '查看本人信息' }).click();
  await page.waitForFunction(() => Boolean(document.getElementById('citizen-name')!.textContent || document.getElementById('problem')!.textContent), undefined, { timeout: STEP_TIMEOUT_MS });
  const text = (id: string) => page.locator(`#${id}`).textContent().then((t) => t ?? '');
  return { name: await text('citizen-name'), problem: await text('problem') };
}

test(
  'a page on an origin its contract lists signs the citizen in at the provider and shows her name read through the gateway',
  async () => {
    const visit = await signIn(allowed);
    const before = await lastSeq();
    expect(await readOwnProfile(visit.page)).toEqual({ name: citizen.name, problem: '' });
    expect(visit.outside).toEqual([]);
    expect(visit.console.filter((line) => /CORS|Content Security Policy|Failed to load/i.test(line))).toEqual([]);

    // The preflight (answered before authentication) and the read, one record each.
    const records = await recordsAfter(before);
    expect(records).toEqual([
      expect.objectContaining({ decision: 'PERMIT', app: null, fields: [], rule: expect.stringMatching(/^CORS preflight from a listed origin/) }),
      expect.objectContaining({ decision: 'PERMIT', app: PORTAL, purpose: 'SELF_SERVICE', operator: expect.any(String), fields: expect.arrayContaining(['Person.name']), outcome: 'ok' }),
    ]);
    await visit.page.context().close();
  },
  180_000,
);

test(
  'the same page on an origin listed nowhere signs in too, but the browser blocks its read at the refused preflight, recorded once as DENY',
  async () => {
    const visit = await signIn(elsewhere);
    const before = await lastSeq();
    const shown = await readOwnProfile(visit.page);
    // All a page learns of a blocked request: fetch rejected with a TypeError.
    expect(shown).toEqual({ name: '', problem: expect.stringMatching(/^网关请求被浏览器拦截（跨域）: TypeError: /) });
    // Chromium says why on the console: the preflight's answer names no origin.
    expect(visit.console).toContainEqual(expect.stringContaining(`from origin '${elsewhere.origin}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check`));
    expect(visit.outside).toEqual([]);
    expect(visit.console.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);

    // The preflight was refused and recorded; the read itself was never sent.
    await waitUntil('the refused preflight in the audit trail', async () => (await recordsAfter(before)).length > 0, 10_000);
    expect(await recordsAfter(before)).toEqual([
      expect.objectContaining({ decision: 'DENY', app: null, operator: null, fields: [], errorCodes: ['FORBIDDEN'], outcome: 'error', rule: expect.stringMatching(/^CORS preflight from an origin no contract/) }),
    ]);
    await visit.page.context().close();
  },
  180_000,
);
