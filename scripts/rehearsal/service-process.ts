/**
 * One service of the production build (`dist/`) as a process of its own, started as a deployment starts
 * it, from the repository's root with its configuration in the environment. Its output is kept (the last
 * lines) to say why it failed.
 */
import { spawn } from 'node:child_process';
import { builtFile, PROJECT_ROOT } from '../program';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When it exited (Date.now()). */
  at: number;
}

export interface ServiceProcess {
  name: string;
  port: number;
  /** Resolves once GET `path` answers 200; rejects naming the service and its last output when it exits or takes longer. */
  answers(path: string, timeoutMs: number): Promise<void>;
  signal(signal: NodeJS.Signals): void;
  readonly exited: Promise<Exit>;
  /** Its last output, for an error message. */
  output(): string;
  /** SIGTERM, then its exit. */
  stop(): Promise<Exit>;
}

const KEPT_OUTPUT = 4000;

/** `source` is the program's path in the sources, e.g. 'gateway/index.ts': its build is run. */
export function startService(name: string, source: string, port: number, env: Readonly<Record<string, string>>): ServiceProcess {
  const child = spawn(process.execPath, [builtFile(source)], { cwd: PROJECT_ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-KEPT_OUTPUT));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const failure = (why: string) => new Error(`${name} ${why}; its last output:\n${output.trim() || '(none)'}`);
  return {
    name,
    port,
    async answers(path, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
        if (ok) return;
        if (gone()) throw failure(`exited while starting (${(await exited).signal ?? `exit ${(await exited).code}`})`);
        if (Date.now() > deadline) throw failure(`did not answer ${path} within ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    signal(signal) {
      if (!gone()) child.kill(signal);
    },
    exited,
    output: () => output,
    async stop() {
      if (!gone()) child.kill('SIGTERM');
      return exited;
    },
  };
}
