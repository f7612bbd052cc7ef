/**
 * The benchmarks' child processes: started with their output in a log file, waited for, measured (peak
 * memory summed over every Node process of the tree, for gateways that fork workers) and stopped whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { builtFile } from '../scripts/program';

export const ROOT = join(__dirname, '..');

export interface Started {
  process: ChildProcess;
  log: string;
}

/**
 * The JavaScript a TypeScript program of this repository was built into, as `npm run bench` builds it:
 * the product by `npm run build:server` (dist/), bench's own programs by bench/tsconfig.build.json
 * (bench/dist/). Every contender runs compiled JavaScript, as it would be deployed; none pays for tsx's
 * compile-on-load hooks.
 */
export function builtProgram(source: string): string {
  if (!source.startsWith('bench/')) return builtFile(source);
  const file = join(ROOT, 'bench', 'dist', source.replace(/\.ts$/, '.js'));
  if (!existsSync(file)) throw new Error(`${file} is missing: npm run bench builds it (tsc -p bench/tsconfig.build.json)`);
  return file;
}

/**
 * Runs `node <program> ...args` from the repository root, its stdout and stderr into `log`, with
 * NODE_ENV=production as a deployment would set it (graphql-js, for one, skips its development checks).
 */
export function startNode(program: string, args: string[], env: Record<string, string>, log: string): Started {
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, [program, ...args], {
    cwd: ROOT,
    // No load balancer to wait for on SIGTERM (docs/operations.md, "Stopping a replica").
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', SHUTDOWN_DELAY_SECONDS: '0', ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  return { process: child, log };
}

/** Resolves when `url` answers below 500; rejects with the end of the log when it does not in time or the process exits. */
export async function waitFor(url: string, started: Started, ms = 180_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && started.process.exitCode === null) {
    if (await fetch(url).then((r) => r.status < 500, () => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  const tail = readFileSync(started.log, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`${url} did not come up (${started.process.exitCode === null ? 'timed out' : `exited with ${started.process.exitCode}`}):\n${tail}`);
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

const NODE = realpathSync(process.execPath);

/** The Node processes of a tree: the process and its descendants, leaving out helpers such as esbuild. */
export function nodeProcesses(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...children(tree[i]!));
  return tree.filter((p) => {
    try {
      return readlinkSync(`/proc/${p}/exe`) === NODE;
    } catch {
      return false;
    }
  });
}

/** CPU time (user + system) a tree's Node processes have used so far, in ms (Linux clock ticks are 10 ms). */
export function cpuMs(pid: number | undefined): number {
  let ticks = 0;
  for (const p of nodeProcesses(pid)) {
    try {
      // The fields after the command name, which may itself hold spaces: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks * 10;
}

/** Peak resident memory (VmHWM) of a process tree's Node processes, summed, in MB. */
export function peakMemoryMb(pid: number | undefined): number {
  let kb = 0;
  for (const p of nodeProcesses(pid)) {
    try {
      kb += Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return Math.round(kb / 102.4) / 10;
}

/** A process's start time since boot, which tells it from a later process that got the same id. */
function startTime(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
  } catch {
    return undefined;
  }
}

/** SIGTERM to the process and its Node descendants; SIGKILL to those of them still there after `graceMs`. */
export async function stopTree(child: ChildProcess, graceMs = 5000): Promise<void> {
  const tree = nodeProcesses(child.pid).map((pid) => ({ pid, started: startTime(pid) }));
  const signal = (name: NodeJS.Signals) => {
    for (const { pid, started } of tree) {
      if (started === undefined || startTime(pid) !== started) continue;
      try {
        process.kill(pid, name);
      } catch {
        // Already gone.
      }
    }
  };
  signal('SIGTERM');
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  await new Promise((r) => setTimeout(r, 200));
  signal('SIGKILL');
}
