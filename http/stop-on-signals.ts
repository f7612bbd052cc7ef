/**
 * How a service's process stops. SIGTERM — what a deployment sends a replica it takes away — runs the
 * whole graceful stop: readiness 503, the delay, the drain, the stores. SIGINT (Ctrl-C at a terminal,
 * where no load balancer waits) skips the delay. The process exits 0 once its stores are closed, and 1
 * with a line on stderr naming the requests cut at the deadline, or why its stores did not close. A signal
 * while stopping changes nothing (Ctrl-C reaches a gateway's workers both from the terminal and from the
 * primary): SIGKILL ends a process that must go at once.
 *
 * The signals are taken over before the service starts: one that comes while it is starting (opening its
 * stores, seeding, composing) lets the start finish, then stops the service as above, delay included (a
 * seeding that holds the event loop runs the handler only after the start, so whether a balancer saw the
 * service ready is not known here). Ending it mid-start could leave a store half-written.
 */
import type { CutRequest, StopTiming } from './graceful-stop';

/** A started service's graceful stop: the requests it cut at the deadline. */
export type StopService = (timing: StopTiming) => Promise<CutRequest[]>;

export function describeCut(cut: readonly CutRequest[]): string {
  return cut.map((r) => `${r.method} ${r.path} (${r.requestId ? `request ${r.requestId}, ` : ''}running ${(r.runningMs / 1000).toFixed(1)} s)`).join('; ');
}

/**
 * `service` names the process in what it says ("The gateway", "civil-affairs"); `starting` resolves to its
 * stop once it has started. A start that fails is the caller's to report: nothing is said of it here.
 */
export function stopOnSignals(service: string, starting: Promise<StopService>, timing: StopTiming): void {
  // Handled here at once, so that a failed start is no unhandled rejection besides the caller's report.
  const started = starting.catch(() => undefined);
  let stopping = false;
  const exitAfter = async (signalTiming: StopTiming): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const stop = await started;
    if (stop === undefined) return;
    let cut: CutRequest[];
    try {
      cut = await stop(signalTiming);
    } catch (error) {
      console.error(`${service} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
    if (cut.length === 0) process.exit(0);
    console.error(
      `${service} stopped with ${cut.length} request${cut.length === 1 ? '' : 's'} cut, still running ${signalTiming.timeoutMs / 1000} s after it stopped accepting ` +
        `(SHUTDOWN_TIMEOUT_SECONDS): ${describeCut(cut)}`,
    );
    process.exit(1);
  };
  process.on('SIGTERM', () => void exitAfter(timing));
  process.on('SIGINT', () => void exitAfter({ ...timing, delayMs: 0 }));
}
