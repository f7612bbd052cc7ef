/**
 * Reads a folder of contracts (`<app>.yaml`) and the platform file, validating every file and
 * collecting every problem rather than stopping at the first.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { contractSchema, type ContractDocument } from './contract-schema';
import { platformSchema, type Platform } from './platform-schema';
import type { ContractProblem } from './problem';

export interface LoadedContract {
  file: string;
  contract: ContractDocument;
}

export interface LoadResult {
  contracts: LoadedContract[];
  problems: ContractProblem[];
}

function issuesToProblems(file: string, app: string | undefined, error: z.ZodError): ContractProblem[] {
  return error.issues.map((issue) => ({
    file,
    ...(app !== undefined && { app }),
    message: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
  }));
}

function readYaml(file: string, text?: string): { value?: unknown; problem?: ContractProblem } {
  try {
    return { value: parseYaml(text ?? readFileSync(file, 'utf8')) };
  } catch (error) {
    return { problem: { file, message: `not readable YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` } };
  }
}

export function loadContracts(dir: string): LoadResult {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    return { contracts: [], problems: [{ file: dir, message: 'the contracts folder cannot be read' }] };
  }
  return parseContracts(names.map((name) => ({ file: join(dir, name) })));
}

/** Contracts from files, or from texts given with their file names (e.g. read from a git revision). */
export function parseContracts(sources: ReadonlyArray<{ file: string; text?: string }>): LoadResult {
  const contracts: LoadedContract[] = [];
  const problems: ContractProblem[] = [];
  const owners = new Map<string, string>();
  for (const { file, text } of sources) {
    const name = basename(file);
    const { value, problem } = readYaml(file, text);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const app = typeof (value as { app?: unknown })?.app === 'string' ? (value as { app: string }).app : undefined;
    const parsed = contractSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(...issuesToProblems(file, app, parsed.error));
      continue;
    }
    const contract = parsed.data;
    if (basename(name).replace(/\.ya?ml$/, '') !== contract.app) {
      problems.push({ file, app: contract.app, message: `the file must be named ${contract.app}.yaml after its app` });
    }
    const other = owners.get(contract.app);
    if (other) problems.push({ file, app: contract.app, message: `the app already has a contract in ${other}` });
    owners.set(contract.app, file);
    contracts.push({ file, contract });
  }
  return { contracts, problems };
}

export function loadPlatform(file: string): { platform?: Platform; problems: ContractProblem[] } {
  const { value, problem } = readYaml(file);
  if (problem) return { problems: [problem] };
  const parsed = platformSchema.safeParse(value ?? {});
  return parsed.success ? { platform: parsed.data, problems: [] } : { problems: issuesToProblems(file, undefined, parsed.error) };
}
