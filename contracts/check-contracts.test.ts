import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeFixture } from '../tests/support/foreign-graph';
import { TRANSIT, plannerGranting } from '../tests/support/transit';
import { checkContracts } from './check-contracts';
import { loadContracts, loadPlatform, parseContracts } from './load-contracts';
import { formatProblem } from './problem';
import { buildCatalog } from './supergraph-catalog';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const { platform } = loadPlatform(join(ROOT, 'contracts', 'platform.yaml'));

test('the shipped contracts have no problems', () => {
  const { contracts, problems } = loadContracts(join(ROOT, 'contracts', 'apps'));
  expect(problems).toEqual([]);
  expect(checkContracts(contracts, catalog, platform)).toEqual([]);
  expect(contracts.map((c) => c.contract.app).sort()).toEqual(
    ['auditor', 'city-ops-center', 'crossprovince-desk', 'govgraph-case-check', 'licence-library', 'market-supervision', 'oneservice-portal', 'service-hall'],
  );
});

describe('every kind of fault is reported at once, with file, app and coordinate', () => {
  const { contracts, problems: loadProblems } = loadContracts(join(ROOT, 'tests', 'fixtures', 'bad-contracts'));
  const problems = [...loadProblems, ...checkContracts(contracts, catalog, platform)].map(formatProblem);
  const expectProblem = (pattern: RegExp) => expect(problems.some((p) => pattern.test(p))).toBe(true);

  test.each([
    ['an unknown field', /faulty-grants\.yaml: faulty-grants: Person\.favouriteColour: is not a field of the supergraph/],
    ['a field its department does not share', /faulty-grants: Enterprise\.riskRating: its department marks it NONE/],
    ['a conditional field without legal basis', /faulty-grants: Person\.name: is CONDITIONAL: purpose NO_LEGAL_BASIS needs a legal basis/],
    ['a mask on a number', /faulty-grants: Enterprise\.registeredCapital: mask NAME applies only to text fields/],
    ['a purpose declared twice', /faulty-grants: purpose NO_LEGAL_BASIS is declared twice/],
    ['a purpose whose dates are reversed', /faulty-grants: purpose NO_LEGAL_BASIS: validFrom 2027-06-01 is after validUntil 2027-01-01/],
    ['a contract whose dates are reversed', /bad-dates: validFrom 2027-01-01 is after validUntil 2026-01-01/],
    ['an approval after the contract ends', /bad-dates: approvedOn 2028-02-01 is after the contract ends/],
    ['a file not named after its app', /misnamed\.yaml: not-the-file-name: the file must be named not-the-file-name\.yaml/],
    ['a missing owner', /incomplete\.yaml: incomplete: owner: /],
    ['an impossible date', /incomplete: validFrom: is not a calendar date/],
    ['an unknown mask profile', /incomplete: purposes\.0\.grants\.0/],
    ['YAML that does not parse', /broken\.yaml: not readable YAML/],
  ])('%s', (_name, pattern) => expectProblem(pattern));
});

describe("another deployment's supergraph: what it keeps out of the API (@inaccessible) is a problem to report, never a crash", () => {
  const transit = buildCatalog(composeFixture(TRANSIT, ['fleet', 'maintenance', 'costs']));
  const transitPlatform = loadPlatform(join(TRANSIT, 'platform.yaml')).platform;
  const check = (text: string) => {
    const { contracts, problems } = parseContracts([{ file: 'planner.yaml', text }]);
    expect(problems).toEqual([]);
    return checkContracts(contracts, transit, transitPlatform).map(formatProblem);
  };

  test('its contract passes as it is', () => {
    expect(check(plannerGranting())).toEqual([]);
  });

  test('a field, a field of a type, and an argument kept out are each named; an interface field is told where to grant it', () => {
    const kept = 'is not part of the API schema (the supergraph marks it or its type @inaccessible): no app can be granted it';
    expect(check(plannerGranting('Bus.fuelCard', 'Tram.workshopNotes', 'Tender.name', 'Query.vehicles(retired:)', 'Vehicle.name'))).toEqual([
      `planner.yaml: planner: Bus.fuelCard: ${kept}`,
      `planner.yaml: planner: Tram.workshopNotes: ${kept}`,
      `planner.yaml: planner: Tender.name: ${kept}`,
      `planner.yaml: planner: Query.vehicles(retired:): ${kept}`,
      'planner.yaml: planner: Vehicle.name: is a field of the interface Vehicle: grants name the fields of object types, so grant it on each type that implements it (Bus.name, Tram.name)',
    ]);
  });
});
