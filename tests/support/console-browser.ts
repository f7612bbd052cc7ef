/**
 * The web console in Debian's chromium (playwright-core): launching it, signing in with a pasted app token
 * as a user would, collecting Content-Security-Policy violations, running a query in the explorer, and
 * running axe-core's accessibility rules on a page. Used by the console's browser tests and by
 * `npm run console:screenshots`.
 */
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { mintAppToken } from '../../scripts/mint-app-token';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface ConsoleSignIn {
  consoleUrl: string;
  token: string;
  /** The page to land on after signing in, e.g. `trail` (the URL's hash). */
  page?: string;
  /** English instead of the default Chinese. */
  english?: boolean;
  context?: BrowserContextOptions;
  /** Install playwright's clock before the console loads, so a test can move the console's time. */
  clock?: boolean;
  /** Where the page's CSP violations are written. */
  cspViolations?: string[];
}

/** A fresh browser context, signed in to the console; it resolves once the header names the signed-in app. */
export async function signInToConsole(browser: Browser, options: ConsoleSignIn): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', ...options.context });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) options.cspViolations?.push(message.text());
  });
  if (options.clock) await page.clock.install();
  await page.goto(new URL(options.page ? `#/${options.page}` : '', options.consoleUrl).href);
  if (options.english) await page.getByRole('button', { name: 'English' }).click();
  await page.getByLabel(options.english ? 'App token' : '应用令牌').fill(options.token);
  await page.getByRole('button', { name: options.english ? 'Sign in' : '登录', exact: true }).click();
  await page.getByTestId('signed-in-app').waitFor();
  return page;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules over the page as it stands: one line per violation, empty when none. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern; the console's own CSP stays on.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
  });
  return violations;
}

export interface ConsoleUnderTest {
  browser: Browser;
  consoleUrl: string;
  /** The app-token issuer's private key file (graph.keys.appIssuerPrivate). */
  appIssuerPrivate: string;
  /** Where pages put the CSP violations they log. */
  cspViolations: string[];
}

/** A new browser context signed in as the app, with the purpose chosen once the app's contract has loaded. */
export async function signIn(target: ConsoleUnderTest, app: string, purpose?: string, options: BrowserContextOptions = {}): Promise<Page> {
  const token = await mintAppToken(target.appIssuerPrivate, { app });
  const page = await signInToConsole(target.browser, { consoleUrl: target.consoleUrl, token, context: { acceptDownloads: true, ...options }, cspViolations: target.cspViolations });
  await page.getByTestId('signed-in-app').filter({ hasText: app }).waitFor();
  if (purpose) {
    // The purpose is a free-text field until the app's own contract (and so its purposes) has loaded.
    await page.locator('select[name="purpose"]').waitFor();
    await page.getByLabel('用途 (X-Purpose)').selectOption(purpose);
  }
  return page;
}

/** Runs queries in the explorer open on the page: each replaces the editor's text and waits for an answer holding `expected`. */
export async function explorerRunner(page: Page): Promise<(query: string, expected: string) => Promise<string>> {
  const editor = page.locator('.graphiql-query-editor .CodeMirror');
  await editor.waitFor();
  return async (query, expected) => {
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(query);
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response').filter({ hasText: expected });
    await result.waitFor();
    return (await result.textContent()) ?? '';
  };
}
