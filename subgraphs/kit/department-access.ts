/**
 * Defence in depth (ARCHITECTURE.md step b): each department applies the same contracts itself, to the
 * caller named in the gateway token — a graphql-shield rule tree over its own schema, default deny, with
 * the federation fields, entity keys and the platform's region paths allowed (the gateway needs them to
 * join and to check rows) — and masks the fields a grant masks, so the raw value never leaves it.
 */
import { GraphQLError, getNamedType, isObjectType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import { AccessPolicy } from '../../contracts/access-policy';
import { compileRuleTree, type RuleContext } from '../../contracts/compile-rule-tree';
import { grantCoordinate, grantMask } from '../../contracts/contract-schema';
import { loadContracts, loadPlatform } from '../../contracts/load-contracts';
import { maskField } from '../../contracts/masking';
import { formatProblem } from '../../contracts/problem';
import { catalogOf } from '../../contracts/supergraph-catalog';

const FEDERATION_FIELDS = new Set(['Query._service', 'Query._entities', '_Service.sdl']);

export interface DepartmentAccessOptions {
  contractsDir: string;
  platformFile: string;
}

export function protectSchema(schema: GraphQLSchema, typeDefs: DocumentNode, options: DepartmentAccessOptions): GraphQLSchema {
  const { platform, problems: platformProblems } = loadPlatform(options.platformFile);
  const { contracts, problems } = loadContracts(options.contractsDir);
  if (!platform || platformProblems.length + problems.length > 0) {
    const all = [...platformProblems, ...problems].map((p) => `  - ${formatProblem(p)}`).join('\n');
    throw new Error(`The data-sharing contracts cannot be loaded:\n${all}`);
  }
  const catalog = catalogOf(typeDefs, schema, platform.undeclaredSharingClass);
  const policy = new AccessPolicy(contracts.map((c) => c.contract), catalog);

  const regionPaths = new Set<string>();
  for (const [type, paths] of Object.entries(platform.regionOf)) {
    for (const path of paths) {
      let owner = type;
      for (const segment of path.split('.')) {
        regionPaths.add(`${owner}.${segment}`);
        const ownerType = catalog.apiSchema.getType(owner);
        const next = isObjectType(ownerType) ? ownerType.getFields()[segment] : undefined;
        owner = next ? getNamedType(next.type).name : '';
      }
    }
  }
  const isKey = (coordinate: string) => catalog.fields.get(coordinate)?.isKey === true;
  const tree = compileRuleTree(policy, schema, {
    alwaysAllow: (coordinate) => FEDERATION_FIELDS.has(coordinate) || isKey(coordinate) || regionPaths.has(coordinate),
  });

  // Keys are masked by the gateway after it has joined on them; every other masked field is masked here.
  const masked = new Set<string>();
  for (const { contract } of contracts) {
    for (const purpose of contract.purposes) {
      for (const grant of purpose.grants) if (grantMask(grant) && catalog.fields.has(grantCoordinate(grant)) && !isKey(grantCoordinate(grant))) masked.add(grantCoordinate(grant));
    }
  }
  const masking: Record<string, Record<string, unknown>> = {};
  for (const coordinate of masked) {
    const [type, field] = coordinate.split('.') as [string, string];
    masking[type] = {
      ...masking[type],
      [field]: async (resolve: (...a: unknown[]) => unknown, parent: unknown, args: unknown, ctx: RuleContext, info: unknown) => {
        const value = await resolve(parent, args, ctx, info);
        const decision = policy.decide(ctx.caller, coordinate, ctx.now ?? new Date());
        return decision.allowed && decision.mask ? maskField(decision.mask, value) : value;
      },
    };
  }

  const guard = shield(tree, {
    fallbackRule: deny,
    fallbackError: new GraphQLError('Forbidden: this field is not granted.', { extensions: { code: 'FORBIDDEN' } }),
    allowExternalErrors: true,
  });
  return applyMiddleware(schema, guard, masking as never);
}
