/**
 * What a schema change breaks for each app: the contract grants whose coordinate is gone, changed type or
 * stopped being shared; the app's own schema (what the gateway serves it, contracts/app-schema.ts) losing
 * types, fields or arguments; and the app's operations that validated against its schema before and do
 * not after. Only what the change breaks is listed: a grant or operation already broken is not its doing.
 */
import { validate, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { AccessPolicy } from '../contracts/access-policy';
import { appSchema } from '../contracts/app-schema';
import { grantCoordinate, type ContractDocument } from '../contracts/contract-schema';
import type { SubjectDeclarations } from '../contracts/subject-arguments';
import type { Catalog } from '../contracts/supergraph-catalog';
import type { OperationText } from './registered-operations';
import { inspectorChanges } from './schema-changes';

export interface BrokenGrant {
  purpose: string;
  coordinate: string;
  problem: string;
}

export interface AppSchemaLoss {
  coordinate: string;
  message: string;
}

export interface BrokenOperation {
  name: string;
  source: string;
  /** The contract's name for it, when the contract registers its text's SHA-256. */
  registeredAs?: string;
  errors: string[];
}

export interface AppBreakage {
  app: string;
  grants: BrokenGrant[];
  schema: AppSchemaLoss[];
  operations: BrokenOperation[];
}

export interface BreakageInput {
  before: Catalog;
  after: Catalog;
  contracts: readonly ContractDocument[];
  declarations: SubjectDeclarations;
  operations: readonly OperationText[];
  now: Date;
}

export interface BreakageReport {
  /** Apps with something broken, in contract order. */
  apps: AppBreakage[];
  /** What could not be checked, and why. */
  notChecked: string[];
}

/** The printed type at a field, argument (`Query.person(idNumber:)`) or input-field coordinate; undefined if absent. */
export function typeAt(schema: GraphQLSchema, coordinate: string): string | undefined {
  const [, typeName, fieldName, argumentName] = /^(\w+)\.(\w+)(?:\((\w+):\))?$/.exec(coordinate) ?? [];
  const type = typeName ? schema.getType(typeName) : undefined;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[fieldName!];
    return argumentName ? field?.args.find((a) => a.name === argumentName)?.type.toString() : field?.type.toString();
  }
  return isInputObjectType(type) && !argumentName ? type.getFields()[fieldName!]?.type.toString() : undefined;
}

function brokenGrants(contract: ContractDocument, before: AccessPolicy, after: AccessPolicy): BrokenGrant[] {
  const broken: BrokenGrant[] = [];
  for (const purpose of contract.purposes) {
    for (const coordinate of new Set(purpose.grants.map(grantCoordinate))) {
      const was = typeAt(before.catalog.apiSchema, coordinate);
      if (was === undefined) continue;
      const now = typeAt(after.catalog.apiSchema, coordinate);
      let problem: string | undefined;
      if (now === undefined) problem = 'no longer exists';
      else if (now !== was) problem = `changed type from ${was} to ${now}`;
      else if (after.sharingOf(coordinate)?.class === 'NONE' && before.sharingOf(coordinate)?.class !== 'NONE') problem = 'is no longer shared (NONE, 不予共享)';
      if (problem) broken.push({ purpose: purpose.code, coordinate, problem });
    }
  }
  return broken;
}

/** The app's schema today under a policy, as the gateway builds it (without the descriptions' notes). */
function schemaOf(policy: AccessPolicy, app: string, now: Date): GraphQLSchema | undefined {
  return appSchema(policy.catalog.apiSchema, policy.grantedCoordinates(app, now), policy.subjects);
}

async function schemaLosses(before: GraphQLSchema | undefined, after: GraphQLSchema | undefined): Promise<AppSchemaLoss[]> {
  if (!before) return [];
  if (!after) return [{ coordinate: 'Query', message: 'The app can read nothing any more: no field it is granted is left' }];
  return (await inspectorChanges(before, after)).filter((c) => c.level === 'breaking').map(({ coordinate, message }) => ({ coordinate, message }));
}

function brokenOperations(operations: readonly OperationText[], before: GraphQLSchema | undefined, after: GraphQLSchema | undefined, registered: ReadonlyMap<string, string>): BrokenOperation[] {
  if (!before) return [];
  return operations.flatMap((operation) => {
    if (validate(before, operation.document).length > 0) return [];
    const errors = after ? validate(after, operation.document).map((e) => e.message) : ['the app can read nothing any more'];
    if (errors.length === 0) return [];
    const registeredAs = registered.get(operation.sha256);
    return [{ name: operation.name, source: operation.source, ...(registeredAs !== undefined && { registeredAs }), errors }];
  });
}

export async function breakageByApp(input: BreakageInput): Promise<BreakageReport> {
  const before = new AccessPolicy(input.contracts, input.before, input.declarations);
  const after = new AccessPolicy(input.contracts, input.after, input.declarations);
  const apps: AppBreakage[] = [];
  const notChecked: string[] = [];
  for (const contract of input.contracts) {
    const operations = input.operations.filter((o) => o.app === contract.app);
    const registered = new Map(contract.operations.map((o) => [o.sha256, o.name]));
    for (const { name, sha256 } of contract.operations) {
      if (!operations.some((o) => o.sha256 === sha256)) notChecked.push(`${contract.app}: registered operation ${name} (SHA-256 ${sha256.slice(0, 12)}…) — its text was not given; pass it with --operations`);
    }
    const [schemaBefore, schemaAfter] = [schemaOf(before, contract.app, input.now), schemaOf(after, contract.app, input.now)];
    const breakage: AppBreakage = {
      app: contract.app,
      grants: brokenGrants(contract, before, after),
      schema: await schemaLosses(schemaBefore, schemaAfter),
      operations: brokenOperations(operations, schemaBefore, schemaAfter, registered),
    };
    if (breakage.grants.length + breakage.schema.length + breakage.operations.length > 0) apps.push(breakage);
  }
  const withContract = new Set(input.contracts.map((c) => c.app));
  for (const app of new Set(input.operations.map((o) => o.app))) {
    if (!withContract.has(app)) notChecked.push(`${app}: has operations but no contract, so no schema to check them against`);
  }
  return { apps, notChecked };
}
