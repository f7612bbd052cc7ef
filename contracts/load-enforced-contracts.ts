/**
 * The contracts a department enforces: its extract (`contracts-extract.json`, made for it by
 * `npm run contracts -- extract`) when its CONTRACTS_DIR holds one, else the whole contracts folder (a
 * department the platform runs itself). An extract made for another department, or one beside contract
 * files, is refused: which of the two would be enforced must never be a guess.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { departmentExtractSchema, EXTRACT_FILE, type EnforcedContract } from './department-extract';
import { loadContracts } from './load-contracts';
import type { ContractProblem } from './problem';

export function loadEnforcedContracts(dir: string, department: string): { contracts: EnforcedContract[]; problems: ContractProblem[] } {
  const file = join(dir, EXTRACT_FILE);
  if (!existsSync(file)) {
    const { contracts, problems } = loadContracts(dir);
    return { contracts: contracts.map((c) => c.contract), problems };
  }
  if (readdirSync(dir).some((name) => /\.ya?ml$/.test(name))) return { contracts: [], problems: [{ file: dir, message: `holds both ${EXTRACT_FILE} and contract files: keep one` }] };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { contracts: [], problems: [{ file, message: 'not readable JSON' }] };
  }
  const parsed = departmentExtractSchema.safeParse(value);
  if (!parsed.success) return { contracts: [], problems: parsed.error.issues.map((i) => ({ file, message: `${i.path.join('.')}: ${i.message}` })) };
  if (parsed.data.department !== department) {
    return { contracts: [], problems: [{ file, message: `is the extract of ${parsed.data.department}, not of ${department}: npm run contracts -- extract --department ${department}` }] };
  }
  return { contracts: parsed.data.contracts, problems: [] };
}
