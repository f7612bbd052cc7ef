/**
 * The web console in Debian's chromium (playwright-core): launching it, signing in with a pasted app token
 * as a user would, collecting Content-Security-Policy violations, and running axe-core's accessibility
 * rules on a page. Used by the console's browser tests and by `npm run console:screenshots`.
 */
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

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
