/**
 * How a service's process stops. SIGTERM — what a deployment sends a replica it takes away — runs the
 * whole graceful stop: readiness 503, the delay, the drain, the stores. SIGINT (Ctrl-C at a terminal,
 * where no load balancer waits) skips the delay. The process exits 0 once its stores are closed, and 1
 * with a line on stderr naming the requests cut at the deadline, or why its stores did not close. A signal
 * while stopping changes nothing (Ctrl-C reaches a gateway's workers both from the terminal and from the
 * primary): SIGKILL ends a process that must go at once.
 */
import type { CutRequest, StopTiming } from './graceful-stop';

export function describeCut(cut: readonly CutRequest[]): string {
  return cut.map((r) => `${r.method} ${r.path} (${r.requestId ? `request ${r.requestId}, ` : ''}running ${(r.runningMs / 1000).toFixed(1)} s)`).join('; ');
}

/** `service` names the process in what it says ("The gateway", "civil-affairs"). */
export function stopOnSignals(service: string, stop: (timing: StopTiming) => Promise<CutRequest[]>, timing: StopTiming): void {
  let stopping = false;
  const exitAfter = (signalTiming: StopTiming) => {
    if (stopping) return;
    stopping = true;
    stop(signalTiming).then(
      (cut) => {
        if (cut.length === 0) process.exit(0);
        console.error(
          `${service} stopped with ${cut.length} request${cut.length === 1 ? '' : 's'} cut, still running ${signalTiming.timeoutMs / 1000} s after it stopped accepting ` +
            `(SHUTDOWN_TIMEOUT_SECONDS): ${describeCut(cut)}`,
        );
        process.exit(1);
      },
      (error: unknown) => {
        console.error(`${service} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => exitAfter(timing));
  process.on('SIGINT', () => exitAfter({ ...timing, delayMs: 0 }));
}
