/**
 * The conventions of the project's own command lines (`npm run contracts`, `npm run token`): `--help` or
 * `-h` prints the usage on stdout (exit 0); a command line that is wrong — an unknown command or option, a
 * missing or unexpected argument — says what is wrong, then the usage, on stderr (exit 2); a failure while
 * running prints its message, never a stack trace (exit 1).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A wrong command line: its message is printed above the usage, and the exit code is 2. */
export class UsageError extends Error {}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Whether the arguments ask for help (before any `--`, after which everything is an argument). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** node:util's parseArgs, its errors (long, and suggesting `--` tricks) turned into short usage errors. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trim());
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trim());
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /'(-[^' ]*)/.exec(message)?.[1] ?? 'an option';
      throw new UsageError(/argument missing/.test(message) ? `${option} needs a value` : `${option} takes no value`);
    }
    throw error;
  }
}

/**
 * Runs a command line program: the usage on --help, else `main`, with its errors reported as above.
 * The exit code is set, not forced, so that what was written to stdout is written whole.
 */
export function runCommandLine(usage: string, main: (args: string[]) => void | Promise<void>, args: string[] = process.argv.slice(2)): void {
  if (wantsHelp(args)) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  Promise.resolve()
    .then(() => main(args))
    .catch((error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n\n${usage}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    });
}
