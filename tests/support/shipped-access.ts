/**
 * The shipped contracts and platform over the composed supergraph, loaded as the gateway loads them, and
 * the access gate the gateway builds on them: for unit tests of the decisions made on the real contracts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccessGate, type AccessGate } from '../../contracts/access-gate';
import { compileRuleTree, ruleContextKey } from '../../contracts/compile-rule-tree';
import { loadAccessControl } from '../../gateway/access-control';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

export function loadShippedAccess(): ReturnType<typeof loadAccessControl> {
  return loadAccessControl({
    supergraphSdl: readFileSync(join(REPOSITORY_ROOT, 'supergraph.graphql'), 'utf8'),
    contractsDir: join(REPOSITORY_ROOT, 'contracts', 'apps'),
    platformFile: join(REPOSITORY_ROOT, 'contracts', 'platform.yaml'),
  });
}

/** The access gate as the gateway builds it: per-operation limits and remembered outcomes per rule context. */
export function gatewayAccessGate({ policy, platform }: ReturnType<typeof loadAccessControl>): AccessGate {
  const schema = policy.catalog.apiSchema;
  return createAccessGate(compileRuleTree(policy, schema), schema, policy.subjects, platform.perOperation, ruleContextKey(policy));
}
