/**
 * Waiting for something a test cannot go on without (a process to serve, a call to arrive): it fails the
 * test with a message naming what never happened, instead of carrying on against a service that is not
 * there or hanging until jest's own timeout.
 */

/**
 * Polls `ready` until it holds. Throws when `deadlineMs` passes first, or at once when `gone` gives a
 * reason it never will (a process that exited).
 */
export async function waitUntil(what: string, ready: () => boolean | Promise<boolean>, deadlineMs: number, gone: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await ready()) return;
    const reason = gone();
    if (reason !== undefined) throw new Error(`Gave up waiting for ${what}: ${reason}.`);
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}: not within ${deadlineMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
