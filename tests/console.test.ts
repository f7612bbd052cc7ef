/**
 * The web console in a real browser (Debian's chromium driven by playwright-core) over the real graph:
 * an auditor finds another app's read in the trail by the subject's ID number, sees the matrix and exports
 * it; the city screen shows the seeded counts and picks up a newly reported event without a reload; the
 * explorer runs a query as the signed-in app. Screenshots land in test-artifacts/console/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { AuditStore } from '../audit/audit-store';
import { CONSOLE_CSP } from '../gateway/console-routes';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { explorerRunner, signIn as signInto } from './support/console-browser';
import { consoleSuite } from './support/console-suite';
import { EVERYTHING_APP, TEST_WORLD } from './support/graph';

const SCREENSHOTS = resolve(__dirname, '..', 'test-artifacts', 'console');
const world = buildWorld(TEST_WORLD);
const centre = { app: 'city-ops-center', purpose: 'CITY_OPERATIONS' };

const suite = consoleSuite(async (graph) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The suite's own gateway gives departments 1 s (fault tests stay quick); the console reads the whole
  // access matrix (every grant of the test contracts), so it goes through a gateway with the default 5 s.
  const gateway = await graph.startGateway({ departmentCalls: { timeoutMs: 5000, maxResponseBytes: 20_000_000, breakerFailures: 5, breakerCooldownMs: 10_000 }, requestTimeoutMs: 15_000 });
  return new URL('/console/', gateway.url).href;
});

function signIn(app: string, purpose?: string): Promise<Page> {
  return signInto({ ...suite, appIssuerPrivate: suite.graph.keys.appIssuerPrivate }, app, purpose);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test('the console is served with a strict Content-Security-Policy and asks for a token before anything else', async () => {
  const response = await fetch(suite.consoleUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
  expect(CONSOLE_CSP).toContain("default-src 'self'");
  expect(CONSOLE_CSP).not.toMatch(/https?:/);
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  const html = await response.text();
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

  expect(await (await fetch(new URL('settings.json', suite.consoleUrl))).json()).toEqual({ explorer: true });
  const production = await suite.graph.startGateway({ console: { enabled: true, explorer: false, dir: resolve(__dirname, '..', 'console', 'dist') } });
  const productionConsole = new URL('/console/', production.url);
  expect(await (await fetch(new URL('settings.json', productionConsole))).json()).toEqual({ explorer: false });
  expect((await fetch(new URL('explorer.html', productionConsole))).status).toBe(404);

  const page = await (await suite.browser.newContext()).newPage();
  await page.goto(suite.consoleUrl);
  // React renders after the load event: wait for the page before the first key press.
  await page.getByLabel('应用令牌').waitFor();
  await page.keyboard.press('Tab');
  await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('跳到主要内容');
  await page.getByLabel('应用令牌').fill('not a token');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert').textContent()).resolves.toContain('不是有效的应用令牌');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
  await screenshot(page, 'sign-in');
  await page.context().close();
});

test('an auditor finds another app’s read by the subject’s ID number, with its fields, rule and the chain status, and exports it', async () => {
  const subject = world.persons[7]!;
  const read = await suite.graph.query(`{ person(idNumber: "${subject.idNumber}") { name gender } }`);
  expect(read.body.errors).toBeUndefined();

  const page = await signIn('auditor', 'AUDIT_REVIEW');
  await page.getByRole('link', { name: '审计记录' }).click();
  await page.getByLabel('当事人证件号').fill(subject.idNumber);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByTestId('trail-count').filter({ hasText: '1 条记录' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: EVERYTHING_APP });
  await row.getByRole('button', { name: /详情/ }).click();
  const detail = page.getByTestId('record-detail');
  await expect(detail.textContent()).resolves.toMatch(/Person\.name[\s\S]*Person\.gender|Person\.gender[\s\S]*Person\.name/);
  await expect(detail.textContent()).resolves.toContain('PERMIT');
  await page.getByTestId('chain-status').filter({ hasText: '✔ 校验通过' }).waitFor();
  await screenshot(page, 'audit-trail');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
  const csvText = readFileSync((await csv.path())!, 'utf8');
  expect(csv.suggestedFilename()).toBe('audit-records.csv');
  expect(csvText.split('\r\n')[0]).toMatch(/^\uFEFFseq,time,requestId,app,/);
  expect(csvText.split('\r\n').filter(Boolean)).toHaveLength(2);
  expect(csvText).toContain(EVERYTHING_APP);

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 JSON Lines' }).click()]);
  const records = readFileSync((await json.path())!, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { app: string; fields: string[] });
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ app: EVERYTHING_APP, fields: expect.arrayContaining(['Person.name', 'Person.gender']) });
  await page.context().close();

  // The console's own reads are audited like any reader's, by the gateway it read through.
  const consoleTrail = await AuditStore.open({ kind: 'sqlite', file: join(suite.graph.dataDir, 'db', 'audit-1.sqlite') });
  const consoleReads = (await consoleTrail.recordsAfter(0, 10_000)).filter((r) => r.app === 'auditor' && r.purpose === 'AUDIT_REVIEW');
  await consoleTrail.close();
  expect(consoleReads).toContainEqual(expect.objectContaining({ decision: 'PERMIT', fields: expect.arrayContaining(['Query.auditRecords', 'AuditRecord.fields']) }));
});

test('an auditor sees the access matrix, filters it, and finds the contract history and charts', async () => {
  const matrixOf = async (app?: string) => {
    const response = await suite.graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, 'query($app: String) { accessMatrix(app: $app) { app field } }', { app });
    return response.body.data.accessMatrix as Array<{ app: string; field: string }>;
  };
  const everything = (await matrixOf()).length;
  const expected = (await matrixOf('city-ops-center')).length;
  expect(expected).toBeGreaterThan(10);

  const page = await signIn('auditor', 'AUDIT_REVIEW');
  await page.getByRole('link', { name: '访问矩阵' }).click();
  await page.getByTestId('matrix-count').filter({ hasText: `${everything} 项授权` }).waitFor();
  await page.locator('tr[data-field="Person.name"]').first().waitFor();
  await page.locator('select[name="app"]').selectOption('city-ops-center');
  await page.getByTestId('matrix-count').filter({ hasText: `${expected} 项授权` }).waitFor();
  await expect(page.locator('table.grid thead th').allTextContents()).resolves.toEqual(['字段', 'city-ops-center']);
  await screenshot(page, 'access-matrix');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
  expect(readFileSync((await csv.path())!, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(expected + 1);

  // Filtered to a department that extends Person, the grants of Person.idNumber are not its: they are public security's.
  const civilAffairs = (await suite.graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, '{ accessMatrix(department: "civil-affairs") { field } }')).body.data.accessMatrix.length;
  expect(civilAffairs).toBeGreaterThan(0);
  await page.locator('select[name="app"]').selectOption('');
  await page.getByLabel('部门').selectOption('civil-affairs');
  await page.getByTestId('matrix-count').filter({ hasText: `${civilAffairs} 项授权` }).waitFor();
  expect(await page.locator('table.grid tbody code').allTextContents()).not.toContain('Person.idNumber');
  await page.getByLabel('部门').selectOption('public-security');
  await page.locator('tr[data-field="Person.idNumber"]').first().waitFor();

  await page.getByRole('link', { name: '合同历史' }).click();
  await page.getByText('两个修订之间没有授权变化。').waitFor();
  await screenshot(page, 'contract-history');

  await page.getByRole('link', { name: '统计图表' }).click();
  await page.getByRole('img', { name: '每个应用每天的访问量' }).waitFor();
  await page.getByRole('img', { name: '最常用的用途' }).waitFor();
  await screenshot(page, 'charts');
  await page.context().close();
});

test('the city screen shows the seeded counts and a newly reported event without reloading', async () => {
  const overview = async () => (await suite.graph.queryAs(centre, '{ operationsOverview(regionCode: "440100") { openEvents overdueEvents resolvedEvents } }')).body.data.operationsOverview;
  const before = await overview();

  const page = await signIn(centre.app);
  await page.getByRole('link', { name: '一屏 城市运行' }).click();
  const figures = page.getByTestId('city-figures');
  await figures.filter({ hasText: `${before.openEvents}未办结事件` }).waitFor();
  await expect(figures.textContent()).resolves.toBe(`${before.openEvents}未办结事件${before.overdueEvents}超期事件${before.resolvedEvents}已办结事件`);
  await page.getByRole('img', { name: /网格示意图/ }).waitFor();
  await screenshot(page, 'city-screen');

  await page.evaluate(() => Object.assign(window, { notReloaded: true }));
  const grid = (await suite.graph.queryAs(centre, '{ grids(regionCode: "440100") { code } }')).body.data.grids[0].code as string;
  const reported = await suite.graph.queryAs(centre, 'mutation($input: ReportEventInput!) { reportEvent(input: $input) { id } }', {
    input: { category: 'NOISE', source: 'CITIZEN', gridCode: grid, description: '控制台测试：夜间施工噪声' },
  });
  expect(reported.body.errors).toBeUndefined();
  await figures.filter({ hasText: `${before.openEvents + 1}未办结事件` }).waitFor({ timeout: 20_000 });
  await page.getByTestId('latest-events').getByText('控制台测试：夜间施工噪声').waitFor();
  await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
  await screenshot(page, 'city-screen-updated');
  await page.context().close();
});

test('the explorer runs a query as the signed-in app and sees only that app’s schema', async () => {
  const page = await signIn('auditor', 'AUDIT_REVIEW');
  await page.getByRole('link', { name: '查询浏览器' }).click();
  const run = await explorerRunner(page);
  expect(await run('{ auditRecords(first: 1) { totalCount } }', 'totalCount')).toMatch(/"totalCount": \d+/);
  await screenshot(page, 'explorer');
  const schema = await run('{ __schema { queryType { fields { name } } } }', '__schema');
  expect(schema).toContain('"auditRecords"');
  expect(schema).not.toContain('"person"');
  await page.context().close();
});
