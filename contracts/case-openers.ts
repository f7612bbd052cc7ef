/**
 * A case opens data to the apps with a case-bound purpose, so opening one must not be in their power
 * (TRUST.md: "an app that opens cases"). `platform.yaml` names the fields that open a case
 * (`cases.openedBy`); a contract that grants one of them and also holds a case-bound purpose could open a
 * case on anyone and then read them under it, and is refused.
 */
import { grantCoordinate } from './contract-schema';
import type { LoadedContract } from './load-contracts';
import type { Platform } from './platform-schema';
import type { ContractProblem } from './problem';

export function caseOpenerProblems(contracts: readonly LoadedContract[], platform: Platform | undefined): ContractProblem[] {
  const openers = new Set(platform?.cases?.openedBy ?? []);
  if (openers.size === 0) return [];
  const problems: ContractProblem[] = [];
  for (const { file, contract } of contracts) {
    const caseBound = contract.purposes.filter((p) => p.caseRequired).map((p) => p.code);
    if (caseBound.length === 0) continue;
    const opening = new Set(contract.purposes.flatMap((p) => p.grants.map(grantCoordinate)).filter((c) => openers.has(c)));
    for (const coordinate of opening) {
      problems.push({
        file,
        app: contract.app,
        coordinate,
        message: `opens cases, and purpose ${caseBound.join(', ')} reads within them: an app may not open the cases that unlock data to it`,
      });
    }
  }
  return problems;
}
