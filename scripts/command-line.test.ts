import { parseCommandLine, UsageError, wantsHelp } from './command-line';

const options = { app: { type: 'string' }, verbose: { type: 'boolean' } } as const;
const parse = (args: string[], allowPositionals = false) => parseCommandLine({ args, options, allowPositionals });

test('help is asked for by --help or -h anywhere before --, and not after it', () => {
  expect(wantsHelp(['--help'])).toBe(true);
  expect(wantsHelp(['check', '--bogus', '-h'])).toBe(true);
  expect(wantsHelp(['diff', '--', '--help'])).toBe(false);
  expect(wantsHelp(['--helpful', 'help-me', '-hh'])).toBe(false);
});

test('a well-formed command line is parsed as node:util parses it', () => {
  expect(parse(['--app', 'auditor', '--verbose'])).toMatchObject({ values: { app: 'auditor', verbose: true }, positionals: [] });
  expect(parse(['check', '--app=x'], true)).toMatchObject({ values: { app: 'x' }, positionals: ['check'] });
});

test.each([
  ['an unknown option', ['--bogus'], 'unknown option --bogus'],
  ['an unknown short option', ['-z'], 'unknown option -z'],
  ['an option without its value', ['--app'], '--app needs a value'],
  ['a value given to a flag', ['--verbose=yes'], '--verbose takes no value'],
  ['an argument where none is taken', ['extra'], 'unexpected argument extra'],
])('%s is a usage error that says so in a line', (_name, args, message) => {
  let error: unknown;
  try {
    parse(args);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toBe(message);
});
