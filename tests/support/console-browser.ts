/**
 * Driving the web console in Debian's chromium (playwright-core): the browser, signing in with a token
 * minted by the graph's keys, and running a query in the explorer. Every page reports the Content Security
 * Policy violations it logs, so a test can require there were none.
 */
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { mintAppToken } from '../../scripts/mint-app-token';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
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
  const context = await target.browser.newContext({ acceptDownloads: true, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) target.cspViolations.push(message.text());
  });
  await page.goto(target.consoleUrl);
  await page.getByLabel('应用令牌').fill(await mintAppToken(target.appIssuerPrivate, { app }));
  await page.getByRole('button', { name: '登录' }).click();
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
