/**
 * Loads what the gates enforce: the contracts folder and the platform file, checked against the
 * supergraph. Any problem stops start-up with every problem listed (F6): the gateway never runs with a
 * half-loaded rule set.
 */
import { AccessPolicy } from '../contracts/access-policy';
import { caseOpenerProblems } from '../contracts/case-openers';
import { checkContracts } from '../contracts/check-contracts';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import type { Platform } from '../contracts/platform-schema';
import { operatorKeyCheck, type OperatorKeyCheck } from '../contracts/operator-key';
import { formatProblem } from '../contracts/problem';
import { buildCatalog } from '../contracts/supergraph-catalog';
import type { PlatformApps } from './authenticate-app';

export interface AccessControl {
  policy: AccessPolicy;
  platform: Platform;
  /** The platform's own apps, whose identities are usable only from inside. */
  platformApps: PlatformApps;
  /** The web origins each app's contract lists (gateway/cors.ts). */
  origins: ReadonlyMap<string, readonly string[]>;
  /** How a token's operator is checked: a key of the operator subject, as its scalar parses it. */
  operatorKey: OperatorKeyCheck;
}

export function loadAccessControl(options: { supergraphSdl: string; contractsDir: string; platformFile: string }): AccessControl {
  const { platform, problems: platformProblems } = loadPlatform(options.platformFile);
  const { contracts, problems } = loadContracts(options.contractsDir);
  const catalog = buildCatalog(options.supergraphSdl, platform?.undeclaredSharingClass ?? 'CONDITIONAL');
  const all = [...platformProblems, ...problems, ...checkContracts(contracts, catalog, platform), ...caseOpenerProblems(contracts, platform)];
  if (all.length > 0 || !platform) {
    throw new Error(`The data-sharing contracts have ${all.length} problem(s):\n${all.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
  const platformApps: PlatformApps = {
    internal: new Set(contracts.filter((c) => c.contract.internal).map((c) => c.contract.app)),
    inProcess: new Set(platform.cases ? [platform.cases.app] : []),
  };
  const origins = new Map(contracts.map((c) => [c.contract.app, c.contract.origins ?? []]));
  return {
    policy: new AccessPolicy(contracts.map((c) => c.contract), catalog, platform),
    platform,
    platformApps,
    origins,
    operatorKey: operatorKeyCheck(platform, catalog.apiSchema),
  };
}
