/**
 * `npm run console:screenshots`: starts the real graph (every department and a gateway, on free loopback
 * ports, over a fresh synthetic world) and the built console, has a few apps read and be refused so the
 * trail has something to show, then signs in as each page's app in Debian's chromium and saves each page
 * at 1440×900 and 390×844 under docs/console/ (the README links them). Not part of the build: it uses the
 * test suite's graph and fixtures.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { launchChromium, signInToConsole } from '../tests/support/console-browser';
import { consoleGateway } from '../tests/support/console-fixtures';
import { TEST_WORLD, startGraph, type TestGraph } from '../tests/support/graph';
import { mintAppToken } from './mint-app-token';

const OUT = resolve(__dirname, '..', 'docs', 'console');
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

interface Shot {
  name: string;
  /** The app signed in; none: the sign-in page itself. */
  app?: string;
  page?: string;
  /** Waits until the page shows what it is shot for, doing what a user would first. */
  ready(page: Page): Promise<unknown>;
  /** Installs playwright's clock (the stale screen moves time past the token's hour). */
  clock?: boolean;
}

const SHOTS: Shot[] = [
  { name: 'sign-in', ready: (page) => page.getByLabel('应用令牌').waitFor() },
  { name: 'home', app: 'auditor', ready: (page) => page.getByTestId('pages-served').waitFor() },
  { name: 'access-matrix', app: 'auditor', page: 'matrix', ready: (page) => page.locator('tr[data-field="Person.name"]').waitFor() },
  {
    name: 'access-matrix-search',
    app: 'auditor',
    page: 'matrix',
    async ready(page) {
      await page.getByLabel('字段坐标').fill('Person.idNumber');
      await page.locator('tr[data-field="Person.idNumber"] td.unmasks button').first().click();
      await page.getByTestId('grant-detail').waitFor();
    },
  },
  { name: 'contract-history', app: 'auditor', page: 'history', ready: (page) => page.locator('tr[data-revision="2"]').waitFor() },
  { name: 'audit-trail', app: 'auditor', page: 'trail', ready: (page) => page.getByRole('button', { name: /详情/ }).first().waitFor() },
  { name: 'charts', app: 'auditor', page: 'charts', ready: (page) => page.getByRole('img', { name: '最常用的用途' }).waitFor() },
  { name: 'city-screen', app: 'city-ops-center', page: 'city', ready: (page) => page.getByTestId('city-figures').waitFor() },
  {
    name: 'city-screen-stale',
    app: 'city-ops-center',
    page: 'city',
    clock: true,
    async ready(page) {
      await page.getByTestId('city-figures').waitFor();
      await page.clock.fastForward('01:00:30');
      await page.getByTestId('stale-banner').waitFor();
    },
  },
  { name: 'page-not-served', app: 'city-ops-center', page: 'trail', ready: (page) => page.getByTestId('no-purpose').waitFor() },
];

/** Reads, a refusal and a denial by several apps, as the trail and the charts would hold them on a working day. */
async function someActivity(graph: TestGraph): Promise<void> {
  const world = buildWorld(TEST_WORLD);
  const citizen = world.persons.find((p) => p.status === 'NORMAL')!;
  await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen.idNumber }, `{ person(idNumber: "${citizen.idNumber}") { name birthDate } }`);
  await graph.queryAs({ app: 'market-supervision', purpose: 'MARKET_INSPECTION' }, `{ enterprise(creditCode: "${world.enterprises[0]!.creditCode}") { name status } }`);
  await graph.queryAs({ app: 'market-supervision' }, '{ accessMatrix { app } }');
  await graph.queryAs({ app: 'city-ops-center' }, '{ operationsOverview(regionCode: "440100") { openEvents } }');
}

async function shoot(browser: Browser, graph: TestGraph, consoleUrl: string, shot: Shot, viewport: { width: number; height: number }): Promise<void> {
  // As the console's users see it: in Chinese, on a clock in China.
  const context = { viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
  const page = shot.app
    ? await signInToConsole(browser, { consoleUrl, token: await mintAppToken(graph.keys.appIssuerPrivate, { app: shot.app }), context, ...(shot.page && { page: shot.page }), ...(shot.clock && { clock: true }) })
    : await (await browser.newContext(context)).newPage();
  if (!shot.app) await page.goto(consoleUrl);
  page.setDefaultTimeout(30_000);
  await shot.ready(page);
  const file = join(OUT, `${shot.name}-${viewport.width}x${viewport.height}.png`);
  await page.screenshot({ path: file });
  process.stdout.write(`${file}\n`);
  await page.context().close();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const graph = await startGraph();
  let browser: Browser | undefined;
  try {
    const consoleUrl = await consoleGateway(graph);
    await someActivity(graph);
    browser = await launchChromium();
    for (const viewport of VIEWPORTS) for (const shot of SHOTS) await shoot(browser, graph, consoleUrl, shot, viewport);
  } finally {
    await browser?.close();
    await graph.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
