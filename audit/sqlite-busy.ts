/**
 * better-sqlite3 waits for another connection's lock by blocking its thread (SQLite's busy timeout), and
 * with it the whole event loop: /healthz took seconds while another process held the audit file. The
 * audit store's connection waits only a moment inside SQLite, and retries from a timer until its wait is over.
 */

/** The longest one attempt blocks the event loop waiting for SQLite's lock. */
export const LOCK_SLICE_MS = 5;

/** The longest pause between two attempts. */
const MAX_PAUSE_MS = 25;

/**
 * By its code, not its class: better-sqlite3's native part keeps the error class of the first copy of the
 * module loaded in the process, which is not the one a later copy (a test file's own registry) compares with.
 */
function isBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Runs `attempt` until it does not fail for a lock held elsewhere, or `waitMs` have passed. */
export async function whileBusy<T>(attempt: () => T | Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() + pause > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
