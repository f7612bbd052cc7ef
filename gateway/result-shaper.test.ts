import { buildSchema, getOperationAST, parse } from 'graphql';
import { compileShaper } from './result-shaper';

const schema = buildSchema(`
  interface Subject { id: ID! }
  type Person implements Subject { id: ID! name: String! age: Int spouse: Person }
  type Enterprise implements Subject { id: ID! name: String status: Status! }
  enum Status { ACTIVE REVOKED }
  type Query { subjects: [Subject!]! person: Person first: Subject }
`);

function shape(query: string, input: Record<string, unknown>, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  return compileShaper(schema, document, getOperationAST(document)!)(input, variables);
}

test('only the fields asked for, under their response names, with __typename filled in', () => {
  const result = shape('{ who: person { __typename n: name spouse { name } } }', {
    who: { __typename: 'Person', n: '王芳', id: '1', __govgraph_key: '1', spouse: { name: '李强', id: '2' } },
  });
  expect(result).toEqual({ data: { who: { __typename: 'Person', n: '王芳', spouse: { name: '李强' } } }, errors: [] });
  expect(JSON.stringify(result.data)).toBe('{"who":{"__typename":"Person","n":"王芳","spouse":{"name":"李强"}}}');
});

test('fragments apply by each row’s own type, through spreads and inline fragments', () => {
  const query = `{ subjects { id ... on Person { name } ...E } } fragment E on Enterprise { status name }`;
  const result = shape(query, {
    subjects: [
      { __typename: 'Person', id: 'p', name: '王芳', status: 'ACTIVE' },
      { __typename: 'Enterprise', id: 'e', name: '广州云图科技有限公司', status: 'ACTIVE' },
    ],
  });
  expect(result.data).toEqual({ subjects: [{ id: 'p', name: '王芳' }, { id: 'e', status: 'ACTIVE', name: '广州云图科技有限公司' }] });
});

test('@skip and @include follow the variables and their defaults', () => {
  const query = 'query ($full: Boolean = false, $hide: Boolean!) { person { id name @include(if: $full) age @skip(if: $hide) } }';
  const input = { person: { id: '1', name: '王芳', age: 30 } };
  expect(shape(query, input, { hide: true }).data).toEqual({ person: { id: '1' } });
  expect(shape(query, input, { full: true, hide: false }).data).toEqual({ person: { id: '1', name: '王芳', age: 30 } });
});

test('a null in a non-null position nulls the nearest nullable parent, with one error at its path', () => {
  const result = shape('{ person { id name } subjects { id } }', { person: { id: '1', name: null }, subjects: [] });
  expect(result.data).toEqual({ person: null, subjects: [] });
  expect(result.errors.map((e) => [e.message, e.path])).toEqual([['Cannot return null for non-nullable field Person.name.', ['person', 'name']]]);

  const list = shape('{ subjects { id } }', { subjects: [{ id: 'a' }, null] });
  expect(list.data).toBeNull();
  expect(list.errors.map((e) => e.path)).toEqual([['subjects', 1]]);
});

test('a value outside its type is not passed on', () => {
  const result = shape('{ first { ... on Enterprise { status } } }', { first: { __typename: 'Enterprise', status: 'DISSOLVED' } });
  expect(result.data).toEqual({ first: null });
  expect(result.errors.map((e) => [e.message, e.path])).toEqual([['Invalid value found for field Enterprise.status.', ['first', 'status']]]);
  expect(shape('{ person { age } }', { person: { age: 'thirty' } }).data).toEqual({ person: { age: null } });
});

test('a row without the fields a department failed to send gets nulls, not holes', () => {
  expect(shape('{ person { age spouse { name } } }', { person: {} }).data).toEqual({ person: { age: null, spouse: null } });
});

test('a row gate masks values and withholds rows once, even when the list is selected twice', () => {
  const document = parse('{ subjects { id ... on Person { name } } ... on Query { subjects { __typename } } }');
  const shaper = compileShaper(schema, document, getOperationAST(document)!);
  const released: string[] = [];
  const result = shaper(
    { subjects: [{ __typename: 'Person', id: 'p1', name: '王芳' }, { __typename: 'Person', id: 'p2', name: '李强', hidden: true }, { __typename: 'Enterprise', id: 'e1' }] },
    {},
    {
      value: (coordinate, value) => (coordinate === 'Person.name' ? `${String(value).slice(0, 1)}*` : value),
      withhold: (row, type) => {
        if (row['hidden']) return `${type} withheld`;
        released.push(String(row['id']));
        return undefined;
      },
    },
  );
  expect(result.data).toEqual({ subjects: [{ id: 'p1', name: '王*', __typename: 'Person' }, { id: 'e1', __typename: 'Enterprise' }] });
  // Rows behind an interface are checked by their own type, once each; a withheld row is left out as if it were not there.
  expect(result.errors).toEqual([]);
  expect(released).toEqual(['p1', 'e1']);
});
