/**
 * Issue 23 in a real browser (Debian's chromium, playwright-core) over the real graph: each page read under
 * the purpose that serves it and offered only to apps that have one (item 2); the token's countdown and the
 * pages going stale at expiry (item 3); the access matrix as an app × field grid with search, validity states
 * and mask-defeating grants (item 4); contract history with approvers and validity (item 6); labels for
 * the graph's codes in both languages (item 8); a sign-in at a real OIDC provider renewed without the user.
 * axe-core checks each page; no CSP violation is allowed.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AuditStore } from '../audit/audit-store';
import { loadGatewayConfig } from '../gateway/config';
import { mintAppToken } from '../scripts/mint-app-token';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { axeViolations, signInToConsole, type ConsoleSignIn } from './support/console-browser';
import { consoleGateway } from './support/console-fixtures';
import { consoleSuite } from './support/console-suite';
import { TEST_WORLD, reservePort } from './support/graph';
import { startOidcProvider } from './support/oidc-provider';
import { waitUntil } from './support/wait-until';

/** Playwright's waits; the machine running the suite may be busy. */
const STEP_TIMEOUT_MS = 30_000;

// An app with grants in every state of validity, and a renewal of the city centre's contract (revision 2).
const suite = consoleSuite(consoleGateway);

async function signIn(app: string, options: Partial<ConsoleSignIn> = {}): Promise<Page> {
  const page = await signInToConsole(suite.browser, { consoleUrl: suite.consoleUrl, token: await mintAppToken(suite.graph.keys.appIssuerPrivate, { app }), cspViolations: suite.cspViolations, ...options });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  return page;
}

const navigation = (page: Page) => page.getByRole('navigation').getByRole('link').allTextContents();

/** The console gateway's trail, as the app's records of reads of a field. */
async function readsOf(app: string, coordinate: string) {
  const trail = await AuditStore.open({ kind: 'sqlite', file: join(suite.graph.dataDir, 'db', 'audit-1.sqlite') });
  try {
    return (await trail.recordsAfter(0, 100_000)).filter((r) => r.app === app && r.fields.includes(coordinate));
  } finally {
    await trail.close();
  }
}

test('each page is read under the purpose that serves it, and the navigation offers only pages the contract serves', async () => {
  // The auditor's contract lists GOVERNANCE_STATISTICS first; the trail needs AUDIT_REVIEW, and gets it.
  const auditor = await signIn('auditor', { page: 'trail' });
  const purpose = auditor.locator('select[name="purpose"]');
  // The page chooses its purpose once it has read the contract: under load, after it first shows.
  await waitUntil('the trail page chose its purpose', async () => (await purpose.inputValue()) !== '', 20_000);
  await expect(purpose.inputValue()).resolves.toBe('AUDIT_REVIEW');
  await waitUntil('the trail read under AUDIT_REVIEW', async () => (await readsOf('auditor', 'Query.auditRecords')).some((r) => r.purpose === 'AUDIT_REVIEW' && r.decision === 'PERMIT'), 20_000);
  expect((await readsOf('auditor', 'Query.auditRecords')).filter((r) => r.decision !== 'PERMIT')).toEqual([]);
  expect(await navigation(auditor)).toEqual(['首页', '访问矩阵', '合同历史', '审计记录', '统计图表', '查询浏览器']);
  await auditor.getByRole('link', { name: '首页' }).click();
  await expect(auditor.getByTestId('pages-served').textContent()).resolves.toContain('审计记录 — 本页用途: AUDIT_REVIEW');
  await expect(auditor.getByTestId('pages-not-served').textContent()).resolves.toBe('一屏 城市运行');
  expect(await axeViolations(auditor)).toEqual([]);
  await auditor.context().close();

  // The city centre is offered its one screen, not the audit pages; asked for one by its address, it is told, and nothing is read.
  const centre = await signIn('city-ops-center', { page: 'trail' });
  await expect(centre.getByTestId('no-purpose').textContent()).resolves.toContain('没有可用于本页的用途');
  expect(await navigation(centre)).toEqual(['首页', '一屏 城市运行', '查询浏览器']);
  expect(await axeViolations(centre)).toEqual([]);
  await centre.getByRole('link', { name: '一屏 城市运行' }).click();
  await centre.getByTestId('city-figures').waitFor();
  await expect(centre.locator('select[name="purpose"]').inputValue()).resolves.toBe('CITY_OPERATIONS');
  expect(await readsOf('city-ops-center', 'Query.auditRecords')).toEqual([]);
  await centre.context().close();
});

test('the token counts down; at expiry every page stops showing data as current and asks to sign in again', async () => {
  const page = await signIn('city-ops-center', { page: 'city', clock: true });
  const figures = page.getByTestId('city-figures');
  await figures.waitFor();
  const countdown = page.getByTestId('token-countdown');
  await expect(countdown.textContent()).resolves.toMatch(/^(1:00:00|59:\d\d)$/);

  await page.clock.fastForward('58:30');
  await page.locator('.countdown.warn').waitFor();
  await expect(countdown.textContent()).resolves.toMatch(/^0[01]:\d\d$/);
  await expect(page.locator('main').getAttribute('data-stale')).resolves.toBeNull();

  await page.clock.fastForward('02:00');
  const banner = page.getByTestId('stale-banner');
  await expect(banner.textContent()).resolves.toMatch(/数据已过期 · 停止更新于 .*令牌已到期/);
  await expect(countdown.textContent()).resolves.toBe('令牌已到期');
  await expect(page.locator('main').getAttribute('data-stale')).resolves.toBe('true');
  // The figures stay for reference, greyed out; the screen asks the graph no more (it polled every 5 s).
  await expect(figures.isVisible()).resolves.toBe(true);
  await expect(page.locator('.page.stale').evaluate((element) => getComputedStyle(element).filter)).resolves.toBe('grayscale(1)');
  const reads: string[] = [];
  page.on('request', (request) => void (request.url().endsWith('/graphql') && reads.push(request.url())));
  await page.waitForTimeout(7_000);
  expect(reads).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);

  // Every page: the home page says the same.
  await page.getByRole('link', { name: '首页' }).click();
  await banner.waitFor();

  // Signing in again brings the data back as current, on the page the user was on.
  await page.getByRole('navigation').getByRole('link', { name: '一屏 城市运行' }).click();
  await banner.getByRole('button', { name: '重新登录' }).click();
  // The console's clock is now past the first token's hour: the new one lasts longer.
  await page.getByLabel('应用令牌').fill(await mintAppToken(suite.graph.keys.appIssuerPrivate, { app: 'city-ops-center', ttl: '3h' }));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await figures.waitFor();
  await expect(banner.count()).resolves.toBe(0);
  await expect(page.locator('main').getAttribute('data-stale')).resolves.toBeNull();
  await page.context().close();
});

test('the access matrix is an app × field grid that answers who can read a field, with validity states and mask-defeating grants', async () => {
  const page = await signIn('auditor', { page: 'matrix' });
  const grid = page.getByTestId('matrix-grid');
  await grid.locator('tr[data-field="Person.name"]').waitFor();
  await expect(page.getByTestId('matrix-count').textContent()).resolves.toMatch(/^\d+ 项授权 · \d+ 个字段$/);
  expect(await axeViolations(page)).toEqual([]);

  // The headers stay in view while the grid scrolls both ways.
  const scroller = page.locator('.matrix-scroll');
  await scroller.evaluate((element) => element.scrollBy(600, 3000));
  const box = (await scroller.boundingBox())!;
  const appHead = (await grid.locator('thead th', { hasText: 'auditor' }).boundingBox())!;
  const fieldHead = (await grid.locator('tbody th[scope="row"]').nth(60).boundingBox())!;
  expect(Math.abs(appHead.y - box.y)).toBeLessThan(3);
  expect(Math.abs(fieldHead.x - box.x)).toBeLessThan(3);

  // Who can read Person.idNumber: one row, in public security's group, and the answer in words.
  await page.getByLabel('字段坐标').fill('Person.idNumber');
  await expect(grid.locator('tbody tr[data-field]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))).resolves.toEqual(['Person.idNumber']);
  await expect(grid.locator('tbody[data-department="public-security"] tr[data-field="Person.idNumber"]').count()).resolves.toBe(1);
  const answer = await page.getByTestId('matrix-answer').textContent();
  expect(answer).toContain('oneservice-portal (原文)');
  expect(answer).toContain('market-supervision (身份证号：显示前 6 位和后 4 位)');
  // The portal reads raw what market supervision reads masked: flagged, and explained in the detail.
  const portalColumn = (await grid.locator('thead th').allTextContents()).indexOf('oneservice-portal');
  const portalCell = grid.locator('tr[data-field="Person.idNumber"] > *').nth(portalColumn);
  await expect(portalCell.getAttribute('class')).resolves.toContain('unmasks');
  await portalCell.getByRole('button').click();
  const detail = page.getByTestId('grant-detail');
  await expect(detail.textContent()).resolves.toMatch(/仅限操作人本人的数据[\s\S]*原文⚑ 解除他人脱敏: 身份证号：显示前 6 位和后 4 位/);
  await page.getByRole('button', { name: '关闭' }).click();

  // An ended grant is expired, not "expires within 30 days"; the one ending in ten days is; the future one is not yet in force.
  await page.getByLabel('字段坐标').fill('');
  await page.locator('select[name="app"]').selectOption('archive-lookup');
  const stateOf = (field: string) => grid.locator(`tr[data-field="${field}"] td`).first();
  await expect(stateOf('Person.name').getAttribute('data-state')).resolves.toBe('expired');
  await expect(stateOf('Person.name').textContent()).resolves.toBe('archive-lookup · Person.name: ARCHIVE_LOOKUP已过期⚑ 解除他人脱敏');
  await expect(stateOf('Person.birthDate').textContent()).resolves.toContain('30 天内到期');
  await expect(stateOf('Person.gender').textContent()).resolves.toContain('尚未生效');
  await page.locator('select[name="app"]').selectOption('');
  await page.getByLabel('有效状态').selectOption('expired');
  await expect(grid.locator('td[data-state]').evaluateAll((cells) => [...new Set(cells.map((c) => c.getAttribute('data-state')))])).resolves.toEqual(['expired']);
  await expect(grid.locator('thead th').allTextContents()).resolves.toContain('archive-lookup');
  await page.getByLabel('有效状态').selectOption('');

  // By sensitivity and class; only the grants that defeat a mask.
  await page.getByLabel('敏感级别').selectOption('SENSITIVE');
  await page.getByLabel('共享类型').selectOption('CONDITIONAL');
  const sensitivities = await grid.locator('tbody th[scope="row"] .muted').allTextContents();
  expect(sensitivities.length).toBeGreaterThan(0);
  expect(new Set(sensitivities)).toEqual(new Set(['敏感个人信息']));
  await page.getByLabel('敏感级别').selectOption('');
  await page.getByLabel('共享类型').selectOption('');
  await page.getByLabel('仅显示解除他人脱敏的授权').check();
  const flagged = await grid.locator('tbody tr[data-field]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')));
  expect(flagged).toEqual(expect.arrayContaining(['Person.idNumber', 'Person.name', 'Person.phone']));
  expect(flagged).not.toContain('Person.birthDate');
  await page.context().close();
});

test('contract history names each revision’s contracts, approver, day of approval and validity changes', async () => {
  const page = await signIn('auditor', { page: 'history' });
  const latest = page.locator('[data-testid="revisions"] tr[data-revision="2"]');
  const renewed = await latest.locator('li[data-app="city-ops-center"]').textContent();
  expect(renewed).toBe('city-ops-center · 合同修改 · 批准单位: 广州市政务数据共享协调小组（续签） · 批准日期: 2026-11-20 · 有效期: 2026-01-01 – 2027-06-30 → 2026-01-01 – 2028-06-30有效期变更');
  await expect(latest.locator('li[data-app="archive-lookup"]').textContent()).resolves.toContain('新增合同');
  await expect(latest.locator('li').count()).resolves.toBe(2);
  const first = await page.locator('[data-testid="revisions"] tr[data-revision="1"] li[data-app="auditor"]').textContent();
  expect(first).toBe('auditor · 新增合同 · 批准单位: 广东省政务数据共享协调小组 · 批准日期: 2025-12-18 · 有效期: 2026-01-01 – 2027-12-31');
  // Between the two revisions, the grants the renewal widened.
  await page.getByRole('row', { name: 'city-ops-center CITY_OPERATIONS CityEvent.description 有效期延长: 2027-06-30 → 2028-06-30' }).waitFor();
  await page.getByRole('row', { name: 'archive-lookup ARCHIVE_LOOKUP Person.name 新增（原文）' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});

test('codes from the graph read as labels in both languages, errors, masks, sensitivities, indicators and units included', async () => {
  // market-supervision may not read its own contract: every page is offered, and the matrix is refused with a code.
  const refused = await signIn('market-supervision', { page: 'matrix' });
  const alert = refused.getByRole('alert');
  await expect(alert.textContent()).resolves.toMatch(/^出错 FORBIDDEN: 合同未授权服务器原文/);
  expect(await axeViolations(refused)).toEqual([]);
  await refused.getByRole('button', { name: 'English' }).click();
  await expect(alert.textContent()).resolves.toMatch(/^Error FORBIDDEN: not granted by the contractServer message/);
  await alert.getByText('Server message').click();
  await expect(alert.locator('span[lang="en"]').isVisible()).resolves.toBe(true);
  await refused.context().close();

  const centre = await signIn('city-ops-center', { page: 'city' });
  const overdueRate = centre.getByRole('row').filter({ hasText: '超期率' });
  await expect(overdueRate.textContent()).resolves.toMatch(/^超期率[\d.]+%[\d.]+%/);
  await expect(centre.getByRole('row').filter({ hasText: /^平均处置时长[\d.]/ }).textContent()).resolves.toContain('小时');
  await centre.getByRole('button', { name: 'English' }).click();
  await expect(centre.getByRole('row').filter({ hasText: 'Mean handling time' }).textContent()).resolves.toMatch(/hours/);
  await expect(centre.locator('.countdown').textContent()).resolves.toMatch(/^Token left \d/);
  await centre.context().close();

  const auditor = await signIn('auditor', { page: 'matrix', english: true });
  await auditor.getByLabel('Field coordinate').fill('Person.idNumber');
  await expect(auditor.getByTestId('matrix-answer').textContent()).resolves.toContain('market-supervision (ID number: first 6 and last 4 shown)');
  await expect(auditor.getByTestId('matrix-grid').locator('tbody th[scope="row"] .muted').textContent()).resolves.toBe('sensitive personal');
  // A refusal is a denial in the charts (which count the graph's own trail), named in this language.
  expect((await suite.graph.queryAs({ app: 'market-supervision' }, '{ accessMatrix { app } }')).body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  await auditor.getByRole('link', { name: 'Charts' }).click();
  await auditor.locator('svg text', { hasText: 'not granted by the contract' }).first().waitFor();
  await auditor.context().close();
});

test('signed in at the identity provider, the console renews its token before it expires, without the user', async () => {
  const staff = { accountId: 'account-zhengqing', login: 'zhengqing', password: 'zhengqing-password', idNumber: buildWorld(TEST_WORLD).persons[3]!.idNumber, idNumberVerified: true };
  // The provider must know the console's redirect URI before the gateway serving it starts: its port is chosen first.
  const reserved = await reservePort();
  const consoleOrigin = `http://127.0.0.1:${reserved.port}`;
  const provider = await startOidcProvider({
    resource: 'https://govgraph.example.gov.cn/graphql',
    browserClients: [{ clientId: 'auditor', redirectUris: [`${consoleOrigin}/console/`], renewable: true }],
    citizens: [staff],
    accessTokenTtlSeconds: 20,
  });
  try {
    await reserved.release();
    const config = loadGatewayConfig({ ...provider.gatewayEnvironment, CONSOLE_OIDC_ISSUER: provider.issuer, CONSOLE_OIDC_CLIENT_ID: 'auditor' });
    await suite.graph.startGateway({ port: reserved.port, appKeys: config.appKeys, appTokenIssuer: config.appTokenIssuer, appTokenAudience: config.appTokenAudience, console: config.console });
    const page = await (await suite.browser.newContext({ locale: 'zh-CN' })).newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on('console', (message) => void (message.text().includes('Content Security Policy') && suite.cspViolations.push(message.text())));
    await page.goto(`${consoleOrigin}/console/#/history`);
    await page.getByText('通过统一身份认证登录').waitFor();
    await page.getByRole('button', { name: '登录' }).click();
    // The provider's own login page, then back to the page the user started from.
    await page.getByLabel('账号').fill(staff.login);
    await page.getByLabel('密码').fill(staff.password);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByTestId('signed-in-app').textContent()).resolves.toBe('auditor');
    await page.locator('[data-testid="revisions"] tr[data-revision="2"]').waitFor();
    expect(page.url()).toBe(`${consoleOrigin}/console/#/history`);

    const token = () => page.evaluate(() => (JSON.parse(sessionStorage.getItem('govgraph.console.session')!) as { token: string }).token);
    const first = await token();
    // 20 s tokens, renewed a fifth of their life before the end: a new one within 20 s, and never stale.
    await waitUntil('the token renewed', async () => (await token()) !== first, 25_000);
    await expect(page.getByTestId('stale-banner').count()).resolves.toBe(0);
    await expect(page.getByTestId('token-countdown').textContent()).resolves.toMatch(/^00:(1\d|2[01])$/);
    // The renewed token reads: the matrix loads under it.
    await page.getByRole('navigation').getByRole('link', { name: '访问矩阵' }).click();
    await page.getByTestId('matrix-grid').locator('tr[data-field="Person.name"]').waitFor();
    await page.context().close();
  } finally {
    await provider.stop();
  }
}, 120_000);
