/**
 * The one screen on a wall and the console's delivery, in Debian's chromium (playwright-core) over the real
 * graph: named tiles with a legend whose red outline means more overdue events than the threshold, the
 * 24-hour trend, alerts in words acknowledged through an audited mutation, the department ranking as the
 * graph computes it, kiosk mode; the static files compressed (Brotli, gzip) as the browser accepts and
 * cached by their hashed names, the pages never; the explorer sending its Headers pane and linking back.
 */
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { AuditStore } from '../audit/audit-store';
import { CONSOLE_CSP } from '../gateway/console-routes';
import { explorerRunner, signIn as signInto } from './support/console-browser';
import { consoleSuite } from './support/console-suite';
import { waitUntil } from './support/wait-until';

const SCREENSHOTS = resolve(__dirname, '..', 'test-artifacts', 'console');
const centre = { app: 'city-ops-center', purpose: 'CITY_OPERATIONS' };
const IMMUTABLE = 'public, max-age=31536000, immutable';

const suite = consoleSuite(async (graph) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const gateway = await graph.startGateway({ requestTimeoutMs: 15_000 });
  return new URL('/console/', gateway.url).href;
});

/** A GET with exactly these request headers, the body as sent (fetch would decompress it). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

function signIn(app: string, purpose: string): Promise<Page> {
  const target = { ...suite, appIssuerPrivate: suite.graph.keys.appIssuerPrivate };
  return signInto(target, app, purpose, { timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
}

async function auditRecords() {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(suite.graph.dataDir, 'db', 'audit-1.sqlite') });
  return store.recordsAfter(0, 1_000_000).finally(() => store.close());
}

test('static files come compressed as the suite.browser accepts, hashed names cached for a year, pages and settings never', async () => {
  const index = await rawGet(suite.consoleUrl, { 'accept-encoding': 'br, gzip' });
  expect(index.status).toBe(200);
  expect(index.headers['cache-control']).toBe('no-cache');
  expect(index.headers['content-security-policy']).toBe(CONSOLE_CSP);
  const script = /src="(\/console\/assets\/console-[\w-]+\.js)"/.exec(index.body.toString('utf8'))?.[1];
  expect(script).toBeDefined();

  // An unchanged page is answered 304 on revalidation: no-cache costs a round trip, not the page.
  const again = await rawGet(suite.consoleUrl, { 'if-none-match': String(index.headers['etag']) });
  expect(again.status).toBe(304);
  expect((await rawGet(new URL('explorer.html', suite.consoleUrl).href)).headers['cache-control']).toBe('no-cache');
  expect((await rawGet(new URL('settings.json', suite.consoleUrl).href)).headers['cache-control']).toBe('no-store');

  const asset = new URL(script!, suite.consoleUrl).href;
  const plain = await rawGet(asset, { 'accept-encoding': 'identity' });
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.headers['cache-control']).toBe(IMMUTABLE);
  expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
  expect(plain.body.toString('utf8')).toContain('operationsOverview');

  const brotli = await rawGet(asset, { 'accept-encoding': 'gzip, deflate, br' });
  expect(brotli.headers).toMatchObject({ 'content-encoding': 'br', 'cache-control': IMMUTABLE, 'content-security-policy': CONSOLE_CSP });
  expect(brotli.headers['vary']).toMatch(/accept-encoding/i);
  expect(brotli.headers['content-type']).toMatch(/^text\/javascript/);
  expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
  expect(brotli.body.length).toBeLessThan(plain.body.length / 2.5);

  const gzip = await rawGet(asset, { 'accept-encoding': 'br;q=0, gzip' });
  expect(gzip.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);

  // A file the build left uncompressed, and one that does not exist.
  const styles = /href="(\/console\/assets\/[\w-]+\.css)"/.exec(index.body.toString('utf8'))?.[1];
  expect((await rawGet(new URL(styles!, suite.consoleUrl).href, { 'accept-encoding': 'br' })).headers['content-encoding']).toBe('br');
  expect((await rawGet(new URL('assets/nothing-here.js', suite.consoleUrl).href, { 'accept-encoding': 'br' })).status).toBe(404);
});

test('the one screen on a wall: named tiles, a legend that means something, the trend, alerts in words, the ranking', async () => {
  const page = await signIn(centre.app, centre.purpose);
  await page.getByRole('link', { name: '一屏 城市运行' }).click();
  const map = page.getByTestId('grid-map');
  await map.waitFor();
  const screen = (await suite.graph.queryAs(centre, `{ operationsOverview(regionCode: "440100") {
    openEvents overdueEvents gridOverdueThreshold byGrid { grid { code name regionName } overdue alerting } alerts { id regionName indicator value }
  } }`)).body.data.operationsOverview;

  // Every tile shows its own name; the district heads its row.
  const tileText = await map.textContent();
  for (const { grid } of screen.byGrid) expect(tileText).toContain(grid.name.slice(grid.regionName.length).replace(/第\d+网格$/, ''));
  for (const district of ['荔湾区', '越秀区', '天河区']) expect(tileText).toContain(district);
  // Red only where overdue events exceed the threshold, and the legend says so.
  for (const g of screen.byGrid) {
    const stroke = await map.locator(`g[data-grid="${g.grid.code}"] rect`).getAttribute('stroke');
    expect({ grid: g.grid.code, red: stroke === '#b3261e' }).toEqual({ grid: g.grid.code, red: g.overdue > screen.gridOverdueThreshold });
  }
  await expect(page.getByTestId('grid-legend').textContent()).resolves.toContain(`红框：超期事件多于 ${screen.gridOverdueThreshold} 件`);

  // The trend: 24 hours, the last one now.
  await page.getByRole('img', { name: /每小时末的未办结与超期事件/ }).waitFor();
  const trendRows = page.locator('figure:has([data-testid="trend-chart"]) tbody tr');
  await expect(trendRows.count()).resolves.toBe(24);
  await expect(trendRows.last().locator('td').allTextContents()).resolves.toEqual([String(screen.openEvents), String(screen.overdueEvents)]);

  // Alerts name the district and give rates as percentages.
  const alerts = page.getByTestId('alerts');
  const overdueRate = screen.alerts.find((a: any) => a.indicator === 'OVERDUE_RATE');
  expect(overdueRate).toBeDefined();
  const alertItem = alerts.locator(`li[data-alert="${overdueRate.id}"]`);
  await expect(alertItem.textContent()).resolves.toMatch(new RegExp(`${overdueRate.regionName}：超期率 ${overdueRate.value}%，阈值 20%`));
  await expect(alerts.textContent()).resolves.not.toMatch(/区域 \d{6}/);

  // The department ranking is the graph's assessment for the year to today.
  const [from, to] = (await page.getByTestId('ranking-period').textContent())!.split(' – ');
  const assessment = (await suite.graph.queryAs(centre, `{ departmentAssessment(regionCode: "440100", from: "${from}", to: "${to}") { department received onTimeRate rank } }`)).body.data.departmentAssessment;
  expect(assessment.length).toBeGreaterThan(3);
  const ranking = page.getByTestId('department-ranking');
  const rows = await ranking.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent!.trim())));
  expect(rows.map((cells) => [cells[0], cells[1], cells[2], cells[5]])).toEqual(assessment.map((a: any) => [String(a.rank), a.department, String(a.received), `${a.onTimeRate}%`]));
  await page.screenshot({ path: join(SCREENSHOTS, 'city-wall.png'), fullPage: true });

  // Acknowledged with one click, through the graph, and audited.
  await alertItem.getByRole('button', { name: '确认' }).click();
  await alertItem.filter({ hasText: '已确认' }).waitFor();
  await expect(alertItem.textContent()).resolves.toContain(centre.app);
  const stored = (await suite.graph.queryAs(centre, '{ alerts(regionCode: "440100") { id acknowledgedAt acknowledgedBy } }')).body.data.alerts.find((a: any) => a.id === overdueRate.id);
  expect(stored).toMatchObject({ acknowledgedBy: centre.app, acknowledgedAt: expect.any(String) });
  expect(await auditRecords()).toContainEqual(expect.objectContaining({ app: centre.app, purpose: centre.purpose, decision: 'PERMIT', fields: expect.arrayContaining(['Mutation.acknowledgeAlert']) }));
  // After the next poll the acknowledgement comes from the graph, not from the click.
  await page.reload();
  await page.getByTestId('alerts').locator(`li[data-alert="${overdueRate.id}"]`).filter({ hasText: '已确认' }).waitFor();
  await page.context().close();
});

test('kiosk mode drops the header and grows the type; English words; it fits a phone too', async () => {
  const page = await signIn(centre.app, centre.purpose);
  await page.getByRole('link', { name: '一屏 城市运行' }).click();
  await page.getByTestId('city-figures').waitFor();
  const figureSize = () => page.locator('.figure-value').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  const normal = await figureSize();
  await page.getByRole('link', { name: '大屏模式' }).click();
  await page.waitForURL(/\?kiosk=1#\/city$/);
  await page.getByTestId('city-figures').waitFor();
  await expect(page.locator('header.top').isVisible()).resolves.toBe(false);
  expect(await figureSize()).toBeGreaterThan(normal * 1.3);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: join(SCREENSHOTS, 'city-kiosk.png') });
  await page.getByRole('link', { name: '退出大屏' }).click();
  await page.locator('header.top').waitFor();

  // In English the words around the figures change; the district keeps its name.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByTestId('grid-legend').filter({ hasText: 'red outline: more than 4 overdue events' }).waitFor();
  await expect(page.getByTestId('alerts').textContent()).resolves.toMatch(/天河区: Overdue rate 100%, threshold 20%/);
  await page.getByRole('button', { name: '中文' }).click();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('grid-map').waitFor();
  // The page itself does not scroll sideways; the grid map scrolls within its own box.
  await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).resolves.toBe(true);
  await page.screenshot({ path: join(SCREENSHOTS, 'city-phone.png'), fullPage: true });
  await page.context().close();
});

test('the explorer sends the purpose and case of its Headers pane and links back to the console', async () => {
  const page = await signIn(centre.app, centre.purpose);
  await page.getByRole('link', { name: '查询浏览器' }).click();
  const run = await explorerRunner(page);
  const headersPane = page.locator('.graphiql-editor-tool .CodeMirror').last();
  await expect(headersPane.textContent()).resolves.toContain('"X-Purpose": "CITY_OPERATIONS"');

  expect(await run('{ cityEvents(regionCode: "440100", first: 1) { totalCount } }', 'totalCount')).toMatch(/"totalCount": \d+/);

  // Another purpose and a case, typed into the pane, are what the gateway records.
  await headersPane.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('{ "X-Purpose": "EVENT_ENTERPRISE_CONTACT", "X-Case-Id": "WALL-TEST-CASE-1" }');
  await run('query FromThePane { cityEvents(regionCode: "440100", first: 1) { totalCount } }', 'totalCount');
  const fromThePane = async () => (await auditRecords()).find((r) => r.app === centre.app && r.operationName === 'FromThePane');
  await waitUntil('the gateway’s record of the query', async () => (await fromThePane()) !== undefined, 10_000);
  expect(await fromThePane()).toMatchObject({ purpose: 'EVENT_ENTERPRISE_CONTACT', caseId: 'WALL-TEST-CASE-1' });
  await page.screenshot({ path: join(SCREENSHOTS, 'explorer-headers.png') });

  await page.getByRole('link', { name: '← 控制台 Console' }).click();
  await page.waitForURL(/\/console\/$/);
  await expect(page.getByTestId('signed-in-app').textContent()).resolves.toBe(centre.app);
  await page.context().close();
});
