/**
 * The catalog over other deployments' supergraphs: what `@inaccessible` keeps out of the API is no field
 * of the catalog but is known as kept out, and a field an `@interfaceObject` adds to every implementation
 * is the department's that resolves it.
 */
import { join } from 'node:path';
import { composeFixture } from '../tests/support/foreign-graph';
import { buildCatalog } from './supergraph-catalog';

const FIXTURES = join(__dirname, '..', 'tests', 'fixtures');
const transit = buildCatalog(composeFixture(join(FIXTURES, 'transit'), ['fleet', 'maintenance', 'costs']));
const library = buildCatalog(composeFixture(join(FIXTURES, 'library'), ['catalog', 'people', 'reviews']));

test('fields, arguments and types kept out of the API schema are no field of the catalog, and are known as kept out', () => {
  expect([...transit.inaccessible].sort()).toEqual([
    'Bus.fuelCard',
    'Bus.workshopNotes',
    'Query.vehicles(retired:)',
    'Tender.id',
    'Tender.name',
    'Tram.workshopNotes',
    'Vehicle.workshopNotes',
  ]);
  expect([...transit.inaccessibleTypes]).toEqual(['Tender']);
  for (const coordinate of transit.inaccessible) expect(transit.fields.has(coordinate)).toBe(false);
  expect(transit.fields.has('Bus.monthlyFuel')).toBe(true);
  expect(transit.fields.has('Query.vehicles')).toBe(true);
});

test('a supergraph without @inaccessible keeps nothing out', () => {
  expect(library.inaccessible.size + library.inaccessibleTypes.size).toBe(0);
});

test.each([
  ['transit', 'Bus.lastInspection', ['maintenance']],
  ['transit', 'Tram.lastInspection', ['maintenance']],
  ['library', 'Book.rating', ['people']],
  ['library', 'Film.rating', ['people']],
  ['transit', 'Bus.monthlyFuel', ['costs']],
  ['transit', 'Tram.line', ['fleet']],
  // Marked @external by reviews to @require it: reviews only reads it. Catalog @provides Author.name on Book.author: it answers it there.
  ['library', 'Book.title', ['catalog']],
  ['library', 'Author.name', ['catalog', 'people']],
] as const)('%s: %s is resolved by %p', (deployment, coordinate, subgraphs) => {
  expect({ transit, library }[deployment].fields.get(coordinate)?.subgraphs).toEqual(subgraphs);
});
