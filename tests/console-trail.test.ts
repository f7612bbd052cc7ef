/**
 * The console's audit trail in a real browser (Debian's chromium driven by playwright-core) over the real
 * graph, as an auditor uses it: a trail of more than 10,000 records paged through by cursor and exported
 * whole (CSV and JSON lines, read page by page through the graph, each page audited); filters chosen from
 * the contracts and the trail; the console's own reads hidden; a record's detail with what was released,
 * masked and refused, opening under its row; and Beijing days, whatever the browser's zone.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { mintAppToken } from '../scripts/mint-app-token';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { consoleSuite } from './support/console-suite';
import { TEST_WORLD, trailKeys } from './support/graph';

const SCREENSHOTS = resolve(__dirname, '..', 'test-artifacts', 'console');
const auditor = { app: 'auditor', purpose: 'AUDIT_REVIEW' };
/** The app whose trail is seeded in bulk, and the one with the two records either side of a Beijing midnight. */
const BULK_APP = 'oneservice-portal';
const BOUNDARY_APP = 'crossprovince-desk';
const BULK = 10_050;
/** A case number the token's request states (X-Case-Id); the purpose needs none, the record keeps it. */
const CASE_ID = '2026120551010400001';
/** Every tenth bulk record is a refusal. */
const BULK_REFUSED = BULK / 10;

function trailFile(): string {
  return join(suite.graph.dataDir, 'db', 'audit.sqlite');
}

/** Records written straight into the trail the gateway writes and the audit service reads, chained with its keys. */
async function seedTrail(purpose: string): Promise<void> {
  const bulk = Array.from({ length: BULK }, (_, i): AuditEntry => {
    const refused = i % 10 === 0;
    return {
      time: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      requestId: `seeded-${i}`,
      app: BULK_APP,
      operator: null,
      region: '440100',
      purpose,
      caseId: null,
      operationName: 'SeededRead',
      operationHash: null,
      fields: ['Query.serviceItems', 'ServiceItem.name'],
      subjects: [],
      decision: refused ? 'DENY' : 'PERMIT',
      rule: refused ? 'FORBIDDEN ServiceItem.name: seeded refusal' : `contract ${BULK_APP}, purpose ${purpose}`,
      outcome: refused ? 'error' : 'ok',
      errorCodes: refused ? ['FORBIDDEN'] : [],
      latencyMs: 3.5,
      masked: [],
      refused: refused ? [{ field: 'ServiceItem.name', code: 'FORBIDDEN', reason: 'seeded refusal' }] : [],
    };
  });
  const boundary = ['2026-12-05T15:59:59.999Z', '2026-12-05T16:00:00.000Z'].map((time, i): AuditEntry => ({ ...bulk[1]!, time, requestId: `boundary-${i}`, app: BOUNDARY_APP }));
  const store = await AuditStore.open({ kind: 'sqlite', file: trailFile(), busyTimeoutMs: 5000 });
  try {
    await store.appendAll([...bulk, ...boundary], trailKeys(suite.graph.keys));
  } finally {
    await store.close();
  }
}

const suite = consoleSuite(
  async (graph) => new URL('/console/', graph.gateway.url).href,
  async ({ graph }) => {
    const choices = await graph.queryAs(auditor, '{ auditTrailChoices { apps { app purposes } } }');
    const bulkPurposes = (choices.body.data.auditTrailChoices.apps as Array<{ app: string; purposes: string[] }>).find((a) => a.app === BULK_APP)!.purposes;
    await seedTrail(bulkPurposes[0]!);
  },
);

/** The console signed in as the auditor, on the trail; the browser in another zone than Beijing. */
async function openTrail(options: { locale?: string; timezoneId?: string } = {}): Promise<Page> {
  const context = await suite.browser.newContext({ acceptDownloads: true, locale: options.locale ?? 'zh-CN', timezoneId: options.timezoneId ?? 'America/Los_Angeles', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) suite.cspViolations.push(message.text());
  });
  await page.goto(suite.consoleUrl);
  await page.getByLabel('应用令牌').fill(await mintAppToken(suite.graph.keys.appIssuerPrivate, { app: auditor.app }));
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('select[name="purpose"]').waitFor();
  await page.getByLabel('用途 (X-Purpose)').selectOption(auditor.purpose);
  await page.getByRole('link', { name: '审计记录' }).click();
  await page.getByTestId('trail-count').filter({ hasText: '条记录' }).waitFor();
  return page;
}

/** Chooses filters and searches; resolves with the count the page shows once the records have arrived. */
async function search(page: Page, choose: (page: Page) => Promise<unknown>, expected?: number): Promise<number> {
  await choose(page);
  const answered = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('query AuditRecords'));
  await page.getByRole('button', { name: '查询' }).click();
  await answered;
  const count = page.locator('[data-testid="trail-count"][aria-busy="false"]');
  if (expected !== undefined) await count.filter({ hasText: new RegExp(`^${expected} 条记录$`) }).waitFor();
  return Number(/^(\d+)/.exec((await count.textContent()) ?? '')?.[1]);
}

async function apiCount(variables: Record<string, unknown>): Promise<number> {
  const response = await suite.graph.queryAs(auditor, 'query($app: String, $errorCode: String, $hide: String) { auditRecords(app: $app, errorCode: $errorCode, hideOwnClient: $hide, first: 0) { totalCount } }', variables);
  expect(response.body.errors).toBeUndefined();
  return response.body.data.auditRecords.totalCount as number;
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: button, exact: true }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

test('a trail of more than 10,000 records is paged by cursor and exported whole, as CSV and JSON lines, each page read through the graph', async () => {
  const page = await openTrail();
  await search(page, (p) => p.locator('select[name="app"]').selectOption(BULK_APP), BULK);

  await expect(page.getByTestId('trail-range').textContent()).resolves.toBe(`1–50 / ${BULK}`);
  const seqs = async () => (await page.locator('table.data tbody th[scope=row]').allTextContents()).map(Number);
  const first = await seqs();
  expect(first).toHaveLength(50);
  await page.getByRole('button', { name: '下一页' }).click();
  await page.getByTestId('trail-range').filter({ hasText: `51–100 / ${BULK}` }).waitFor();
  const second = await seqs();
  expect(Math.max(...second)).toBeLessThan(Math.min(...first));
  await page.getByRole('button', { name: '上一页' }).click();
  await page.getByTestId('trail-range').filter({ hasText: `1–50 / ${BULK}` }).waitFor();
  expect(await seqs()).toEqual(first);

  const exportReadsBefore = await consoleTrailReads();
  const csv = await download(page, '导出 CSV');
  expect(csv.name).toBe('audit-records.csv');
  const csvLines = csv.text.split('\r\n').filter(Boolean);
  expect(csvLines[0]).toMatch(/^\uFEFFseq,time,requestId,app,operator,region,purpose,caseId,decision,/);
  expect(csvLines).toHaveLength(BULK + 1);
  await page.getByTestId('export-progress').filter({ hasText: `已导出 ${BULK} 条记录` }).waitFor();
  // Each page of the export was a request of its own, audited as the console's read.
  expect((await consoleTrailReads()) - exportReadsBefore).toBeGreaterThanOrEqual(Math.ceil(BULK / 100));

  const jsonl = await download(page, '导出 JSON Lines');
  expect(jsonl.name).toBe('audit-records.jsonl');
  const records = jsonl.text.trimEnd().split('\n').map((line) => JSON.parse(line) as { seq: number; app: string; time: string; decision: string; refused: string[] });
  expect(records).toHaveLength(BULK);
  expect(new Set(records.map((r) => r.seq)).size).toBe(BULK);
  expect(records.every((r) => r.app === BULK_APP)).toBe(true);
  expect(records[0]!.time).toMatch(/^2026-11-\d\dT\d\d:\d\d:00\.000\+08:00$/);
  expect(records.filter((r) => r.decision === 'DENY')).toHaveLength(BULK_REFUSED);
  expect(records.find((r) => r.decision === 'DENY')!.refused).toEqual(['ServiceItem.name:FORBIDDEN:seeded refusal']);
  await page.context().close();
}, 300_000);

/** The console's reads of the trail, as the trail itself holds them. */
async function consoleTrailReads(): Promise<number> {
  const store = await AuditStore.open({ kind: 'sqlite', file: trailFile(), busyTimeoutMs: 5000 });
  try {
    return (await store.recordsAfter(0, 1_000_000)).filter((r) => r.app === auditor.app && r.client === 'govgraph-console' && r.operationName === 'AuditRecords').length;
  } finally {
    await store.close();
  }
}

test('filters offer the contracts’ apps and purposes, the decisions and the error codes the trail holds', async () => {
  const page = await openTrail();
  const options = async (name: string) => page.locator(`form.filters select[name="${name}"] option`).evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  await page.locator('select[name="app"] option[value="market-supervision"]').waitFor({ state: 'attached' });
  expect(await options('app')).toEqual(expect.arrayContaining(['auditor', 'city-ops-center', 'market-supervision', BULK_APP, BOUNDARY_APP]));
  expect(await options('decision')).toEqual(['PERMIT', 'PARTIAL', 'DENY', 'UNAUTHENTICATED', 'INVALID']);
  expect(await options('errorCode')).toContain('FORBIDDEN');
  await page.locator('select[name="app"]').selectOption('market-supervision');
  expect(await options('recordPurpose')).toEqual(['CERTIFICATE_CHECK', 'FOOD_SAFETY_CAMPAIGN_2025', 'LEGAL_REPRESENTATIVE_CHECK', 'LICENCE_ISSUING', 'MARKET_INSPECTION']);

  const refusals = await search(page, async (p) => {
    await p.locator('select[name="app"]').selectOption(BULK_APP);
    await p.locator('select[name="errorCode"]').selectOption('FORBIDDEN');
  }, BULK_REFUSED);
  expect(refusals).toBe(await apiCount({ app: BULK_APP, errorCode: 'FORBIDDEN' }));
  await search(page, (p) => p.locator('select[name="decision"]').selectOption('PERMIT'), 0);
  await page.context().close();
});

test('the console’s own reads can be hidden: the auditor’s other reads stay', async () => {
  for (let i = 0; i < 2; i += 1) expect((await suite.graph.queryAs(auditor, '{ auditChainStatus { verified } }')).body.errors).toBeUndefined();
  const page = await openTrail();
  const hidden = await search(page, (p) => p.locator('select[name="app"]').selectOption(auditor.app));
  await expect(page.getByLabel('隐藏本控制台自己的读取').isChecked()).resolves.toBe(true);
  expect(hidden).toBeGreaterThanOrEqual(2);
  // Nothing the console reads changes what is shown while its reads are hidden.
  expect(hidden).toBe(await apiCount({ app: auditor.app, hide: 'govgraph-console' }));
  const shown = await search(page, (p) => p.getByLabel('隐藏本控制台自己的读取').uncheck());
  expect(shown).toBeGreaterThan(hidden + 3);
  await page.context().close();
});

test('a record’s detail shows operator, region, case, latency, the fields released, masked and refused, and opens under its row', async () => {
  const world = buildWorld(TEST_WORLD);
  const enterprise = world.enterprises[3]!;
  const masked = await suite.graph.queryAs(
    { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', operator: world.persons[2]!.idNumber, region: enterprise.regionCode, caseId: CASE_ID },
    `{ enterprise(creditCode: "${enterprise.creditCode}") { name legalRepresentative { name idNumber } } }`,
  );
  expect(masked.body.errors).toBeUndefined();
  const refused = await suite.graph.queryAs({ app: 'market-supervision', purpose: 'MARKET_INSPECTION' }, `{ enterprise(creditCode: "${enterprise.creditCode}") { name legalRepresentative { name } } }`);
  expect(refused.body.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');

  const page = await openTrail();
  await search(page, (p) => p.locator('select[name="app"]').selectOption('market-supervision'), 2);
  const rows = page.locator('table.data tbody tr[data-seq]');
  const [refusedRow, maskedRow] = [rows.nth(0), rows.nth(1)];

  const before = (await maskedRow.boundingBox())!;
  await maskedRow.getByRole('button', { name: /详情/ }).click();
  const detail = page.getByTestId('record-detail');
  await detail.waitFor();
  expect((await maskedRow.boundingBox())!.y).toBeCloseTo(before.y, 0);
  expect((await detail.boundingBox())!.y).toBeGreaterThan(before.y);
  await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H2');
  await expect(detail.getByTestId('detail-operator').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
  await expect(detail.getByTestId('detail-region').textContent()).resolves.toBe(enterprise.regionCode);
  await expect(detail.getByTestId('detail-case').textContent()).resolves.toBe(CASE_ID);
  await expect(detail.getByTestId('detail-latency').textContent()).resolves.toMatch(/^\d+\.\d ms$/);
  await expect(detail.getByTestId('detail-released').textContent()).resolves.toMatch(/Person\.idNumber\s*脱敏： ID_NUMBER/);
  await expect(detail.getByTestId('detail-masked').textContent()).resolves.toMatch(/Person\.idNumber · ID_NUMBER[\s\S]*Person\.name · NAME/);
  await page.getByRole('button', { name: '关闭' }).click();

  await refusedRow.getByRole('button', { name: /详情/ }).click();
  await expect(detail.getByTestId('detail-released').textContent()).resolves.toBe('无');
  await expect(detail.getByTestId('detail-refused').textContent()).resolves.toMatch(/整个请求被拒绝[\s\S]*Enterprise\.legalRepresentative PURPOSE_REQUIRED: \S[\s\S]*Person\.name PURPOSE_REQUIRED: \S/);
  await expect(detail.getByTestId('detail-asked').textContent()).resolves.toContain('Enterprise.name');

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'audit-trail-detail-1440.png') });
  await page.getByRole('button', { name: 'English' }).click();
  await detail.getByText('Fields refused, and why').waitFor();
  await detail.getByText('Fields asked for (none released)').waitFor();
  await page.setViewportSize({ width: 390, height: 844 });
  await detail.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'audit-trail-detail-390.png') });
  await page.context().close();
});

test('days and times are Beijing’s whatever the browser’s zone: a record a millisecond before midnight falls on the day before', async () => {
  const page = await openTrail({ timezoneId: 'Europe/London' });
  const times = () => page.locator('table.data tbody tr[data-seq] time').allTextContents();
  await search(page, async (p) => {
    await p.locator('select[name="app"]').selectOption(BOUNDARY_APP);
    await p.getByLabel('日期（北京时间）').fill('2026-12-06');
  }, 1);
  expect(await times()).toEqual(['2026/12/06 00:00:00']);
  await search(page, (p) => p.getByLabel('日期（北京时间）').fill('2026-12-05'), 1);
  expect(await times()).toEqual(['2026/12/05 23:59:59']);
  await search(page, async (p) => {
    await p.getByLabel('日期（北京时间）').fill('');
    await p.getByLabel('开始时间').fill('2026-12-05T23:59');
    await p.getByLabel('结束时间').fill('2026-12-06T00:00');
  }, 2);
  await page.context().close();

  // The charts count by the same Beijing days.
  const statistics = await suite.graph.queryAs(auditor, `{ auditStatistics(app: "${BOUNDARY_APP}", from: "2026-12-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { accessesPerAppDay { day count } } }`);
  expect(statistics.body.data.auditStatistics.accessesPerAppDay).toEqual([
    { day: '2026-12-05', count: 1 },
    { day: '2026-12-06', count: 1 },
  ]);
});
