/**
 * What every browser test of the console starts from: the real graph, a gateway serving the console,
 * Debian's chromium, and no Content-Security-Policy violation allowed in any test. `consoleSuite` registers
 * the suite's hooks; its fields are set once `beforeAll` has run.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from './console-browser';
import { startGraph, type TestGraph } from './graph';

export interface ConsoleSuite {
  graph: TestGraph;
  browser: Browser;
  consoleUrl: string;
  /** Where the pages opened in the suite write their CSP violations; checked empty after each test. */
  cspViolations: string[];
}

/**
 * `serveConsole` starts the gateway the suite's console is served by and answers the console's URL;
 * `prepare` runs after it, before the browser starts (seeding a trail, say).
 */
export function consoleSuite(serveConsole: (graph: TestGraph) => Promise<string>, prepare?: (suite: ConsoleSuite) => Promise<void>): ConsoleSuite {
  const suite = { cspViolations: [] as string[] } as ConsoleSuite;
  beforeAll(async () => {
    suite.graph = await startGraph();
    suite.consoleUrl = await serveConsole(suite.graph);
    await prepare?.(suite);
    suite.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.graph?.stop();
  });
  afterEach(() => {
    expect(suite.cspViolations).toEqual([]);
  });
  return suite;
}
