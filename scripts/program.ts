/**
 * How the launcher starts this checkout's programs: as it runs itself. `npm start` runs the build
 * (`npm run build:server`, JavaScript under dist/), so no process pays for tsx's compile-on-load hooks
 * at run time (up to a tenth of the gateway's CPU per request, bench/results/changes.md); run from the
 * sources through tsx, the launcher starts the sources the same way.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const compiled = __filename.endsWith('.js');

/** The repository's root: the services' working directory, from which their configured paths resolve. */
export const PROJECT_ROOT = compiled ? join(__dirname, '..', '..') : join(__dirname, '..');

/** The JavaScript `npm run build:server` made of `source` (a path from the root, such as 'gateway/index.ts'). */
export function builtFile(source: string): string {
  const built = join(PROJECT_ROOT, 'dist', source.replace(/\.ts$/, '.js'));
  // tsc's incremental build does not notice an output deleted by hand: only a clean build brings it back.
  if (!existsSync(built)) throw new Error(`${built} is missing from the build: run rm -rf dist && npm run build:server`);
  return built;
}

/** node's arguments that run `source` as this process runs: its build, or the source through tsx. */
export function programArgs(source: string): string[] {
  return fileArgs(compiled ? builtFile(source) : join(PROJECT_ROOT, source));
}

/** node's arguments that run a file found beside this process's own code (the build's, or the sources'). */
export function fileArgs(file: string): string[] {
  return compiled ? [file] : ['--import', 'tsx', file];
}
