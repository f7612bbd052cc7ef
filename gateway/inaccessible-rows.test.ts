import { withoutInaccessibleRows } from './inaccessible-rows';

const KEPT_OUT = new Set(['Tender']);
const tender = () => ({ __typename: 'Tender', id: 'x1', name: '新能源公交车场采购' });

test('rows of a kept-out type leave lists, at any depth, and become null elsewhere; other rows stay as they were', () => {
  const data = {
    find: [{ __typename: 'Bus', id: 'v1' }, tender(), { __typename: 'Depot', id: 'd1', related: [tender(), { __typename: 'Tram', id: 't1' }], latest: tender() }],
    first: tender(),
    count: 3,
  };
  expect(withoutInaccessibleRows(data, KEPT_OUT)).toEqual({
    find: [{ __typename: 'Bus', id: 'v1' }, { __typename: 'Depot', id: 'd1', related: [{ __typename: 'Tram', id: 't1' }], latest: null }],
    first: null,
    count: 3,
  });
});

test('an entity answer keeps one entry per representation: a kept-out row there becomes null in its place', () => {
  const data = { _entities: [{ __typename: 'Bus', id: 'v1', found: [tender()] }, tender(), null] };
  expect(withoutInaccessibleRows(data, KEPT_OUT)).toEqual({ _entities: [{ __typename: 'Bus', id: 'v1', found: [] }, null, null] });
});

test('without kept-out types the answer is returned as it is', () => {
  const data = { find: [tender()] };
  expect(withoutInaccessibleRows(data, new Set())).toBe(data);
  expect(withoutInaccessibleRows(null, KEPT_OUT)).toBeNull();
});
