/**
 * The errors a client gets for refused fields, from what the real access gate decides over the composed
 * API schema and the shipped contracts: one error per FORBIDDEN or CASE_REQUIRED field; one
 * PURPOSE_REQUIRED error per set of purposes that would grant fields, naming the purposes, the fields and
 * their paths.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, getOperationAST, parse, type FragmentDefinitionNode } from 'graphql';
import { createAccessGate, type Denial } from '../contracts/access-gate';
import { AccessPolicy, type AccessCaller } from '../contracts/access-policy';
import { compileRuleTree } from '../contracts/compile-rule-tree';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { errorsOfDenials } from './denial-errors';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const platform = loadPlatform(join(ROOT, 'contracts', 'platform.yaml')).platform!;
const contracts = loadContracts(join(ROOT, 'contracts', 'apps')).contracts.map((c) => c.contract);
const policy = new AccessPolicy(contracts, catalog, platform);
const gate = createAccessGate(compileRuleTree(policy, catalog.apiSchema), catalog.apiSchema, policy.subjects);
const NOW = new Date('2026-06-01T12:00:00+08:00');
// A valid GB 32100 credit code, as used across the repository's tests.
const FIRM = '91350100M000100Y43';

/** The gate's denials for an operation, in a stable order (rules answer asynchronously), and the errors made of them. */
async function refused(text: string, caller: AccessCaller) {
  const document = parse(text);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const { denials } = await gate(getOperationAST(document)!, fragments, { caller, now: NOW });
  const sorted = [...denials].sort((a, b) => a.path.localeCompare(b.path));
  return errorsOfDenials(sorted).map((error) => error.toJSON());
}

test('fields one purpose would grant are one PURPOSE_REQUIRED error naming that purpose, every field and every path', async () => {
  const errors = await refused(`{ enterprise(creditCode: "${FIRM}") { name legalRepresentative { name phone } } }`, { app: 'market-supervision' });
  expect(errors).toStrictEqual([
    {
      message: 'Not allowed: Enterprise.legalRepresentative, Person.name, Person.phone are shared conditionally: state a purpose of the grant in X-Purpose (LEGAL_REPRESENTATIVE_CHECK).',
      extensions: {
        code: 'PURPOSE_REQUIRED',
        purposes: ['LEGAL_REPRESENTATIVE_CHECK'],
        coordinates: ['Enterprise.legalRepresentative', 'Person.name', 'Person.phone'],
        paths: [
          ['enterprise', 'legalRepresentative'],
          ['enterprise', 'legalRepresentative', 'name'],
          ['enterprise', 'legalRepresentative', 'phone'],
        ],
      },
    },
  ]);
});

test('fields different purposes would grant are one error per set of purposes, each with its own fields', async () => {
  // crossprovince-desk: the application and its applicant under CROSS_PROVINCE_CASE; its id and status under either purpose.
  const errors = await refused('{ application(id: "SQ-2026-0001") { id status applicant { name } } }', { app: 'crossprovince-desk' });
  expect(errors.map((e) => [e.extensions?.['purposes'], e.extensions?.['coordinates']])).toStrictEqual([
    [['CROSS_PROVINCE_CASE'], ['Query.application', 'Application.applicant', 'Person.name']],
    [['CASE_QUEUE', 'CROSS_PROVINCE_CASE'], ['Application.id', 'Application.status']],
  ]);
  expect(errors.every((e) => e.extensions?.['code'] === 'PURPOSE_REQUIRED')).toBe(true);
  expect(errors[1]!.message).toBe('Not allowed: Application.id, Application.status are shared conditionally: state a purpose of the grant in X-Purpose (CASE_QUEUE, CROSS_PROVINCE_CASE).');
});

test('a single field keeps its coordinate and path beside the lists, as a FORBIDDEN field has them', async () => {
  const errors = await refused('{ application(id: "SQ-2026-0001") { submittedAt } applications(first: 1) { totalCount } }', { app: 'crossprovince-desk', purpose: 'CASE_QUEUE' });
  expect(errors).toStrictEqual([
    {
      message: 'Not allowed: Query.application is shared conditionally: state a purpose of the grant in X-Purpose (CROSS_PROVINCE_CASE).',
      path: ['application'],
      extensions: { code: 'PURPOSE_REQUIRED', purposes: ['CROSS_PROVINCE_CASE'], coordinate: 'Query.application', coordinates: ['Query.application'], paths: [['application']] },
    },
  ]);
});

test('one field asked under two aliases: one coordinate, both paths, so no single path', async () => {
  const errors = await refused(`{ enterprise(creditCode: "${FIRM}") { a: legalRepresentative { __typename } b: legalRepresentative { __typename } } }`, { app: 'market-supervision', purpose: 'MARKET_INSPECTION' });
  expect(errors).toHaveLength(1);
  expect(errors[0]!.path).toBeUndefined();
  expect(errors[0]!.extensions).toStrictEqual({
    code: 'PURPOSE_REQUIRED',
    purposes: ['LEGAL_REPRESENTATIVE_CHECK'],
    coordinate: 'Enterprise.legalRepresentative',
    coordinates: ['Enterprise.legalRepresentative'],
    paths: [
      ['enterprise', 'a'],
      ['enterprise', 'b'],
    ],
  });
});

test('FORBIDDEN fields stay one error each, in the order of the denials, beside the grouped purpose error', async () => {
  const errors = await refused(`{ enterprise(creditCode: "${FIRM}") { riskRating legalRepresentative { name } } x: enterprise(creditCode: "${FIRM}") { riskRating } }`, { app: 'market-supervision' });
  expect(errors.map((e) => [e.extensions?.['code'], e.extensions?.['coordinate'], e.path])).toStrictEqual([
    ['PURPOSE_REQUIRED', undefined, undefined],
    ['FORBIDDEN', 'Enterprise.riskRating', ['enterprise', 'riskRating']],
    ['FORBIDDEN', 'Enterprise.riskRating', ['x', 'riskRating']],
  ]);
  expect(errors[1]!.message).toBe('Forbidden: Enterprise.riskRating is not shared by its department (不予共享).');
});

test('the same purposes listed in another order are the same set: one error', () => {
  const denial = (coordinate: string, path: string, purposes: string[]): Denial => ({ coordinate, path, code: 'PURPOSE_REQUIRED', reason: `${coordinate} needs a purpose`, purposes });
  const errors = errorsOfDenials([denial('Person.name', 'person.name', ['B', 'A']), denial('Person.phone', 'person.phone', ['A', 'B'])]);
  expect(errors).toHaveLength(1);
  expect(errors[0]!.extensions).toMatchObject({ purposes: ['A', 'B'], coordinates: ['Person.name', 'Person.phone'] });
});

test('a PURPOSE_REQUIRED denial that names no purposes is an error of its own, with its reason', () => {
  const bare: Denial = { coordinate: 'Person.name', path: 'person.name', code: 'PURPOSE_REQUIRED', reason: 'Person.name needs a purpose' };
  const errors = errorsOfDenials([bare, { ...bare, coordinate: 'Person.phone', path: 'person.phone', reason: 'Person.phone needs a purpose' }]);
  expect(errors.map((e) => e.toJSON())).toStrictEqual([
    { message: 'Not allowed: Person.name needs a purpose.', path: ['person', 'name'], extensions: { code: 'PURPOSE_REQUIRED', coordinate: 'Person.name' } },
    { message: 'Not allowed: Person.phone needs a purpose.', path: ['person', 'phone'], extensions: { code: 'PURPOSE_REQUIRED', coordinate: 'Person.phone' } },
  ]);
});
