/**
 * What the error masker lets a client see of the errors Apollo Server and the guard produce, through a
 * real Apollo Server: the automatic-persisted-query answers a client acts on, the extensions of a grouped
 * PURPOSE_REQUIRED, and nothing of an error it does not know.
 */
import { createHash } from 'node:crypto';
import { ApolloServer, type GraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import { createErrorMasker } from './mask-error';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let server: ApolloServer;
let logged: Array<Record<string, unknown>>;

beforeAll(async () => {
  logged = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
  server = new ApolloServer({
    typeDefs: 'type Query { ok: String refused: String broken: String }',
    resolvers: {
      Query: {
        ok: () => 'yes',
        refused: () => {
          throw new GraphQLError('Not allowed: Person.name, Person.phone are shared conditionally.', {
            extensions: { code: 'PURPOSE_REQUIRED', purposes: ['SELF_SERVICE'], coordinates: ['Person.name', 'Person.phone'], paths: [['person', 'name'], ['person', 'phone']], sql: 'SELECT 1' },
          });
        },
        broken: () => {
          throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
        },
      },
    },
    formatError: createErrorMasker(logger),
    stopOnTerminationSignals: false,
  });
  await server.start();
});
afterAll(() => server.stop());

async function answer(request: GraphQLRequest) {
  const response = await server.executeOperation(request);
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, result: response.body.singleResult };
}

test('an unknown hash keeps PERSISTED_QUERY_NOT_FOUND, the code Apollo Client waits for to send the text', async () => {
  const { status, result } = await answer({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ ok }') } } });
  expect(status).toBe(200);
  expect(result.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
});

test.each([
  ['a hash that is not the text’s', { query: '{ ok }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ refused }') } } }, 'provided sha does not match query'],
  ['a protocol version Apollo Server does not know', { query: '{ ok }', extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ ok }') } } }, 'Unsupported persisted query version'],
])('%s is the client’s mistake: BAD_REQUEST (400), not an internal error', async (_name, request, message) => {
  const before = logged.length;
  const { status, result } = await answer(request);
  expect(status).toBe(400);
  expect(result.errors).toEqual([{ message, extensions: { code: 'BAD_REQUEST' } }]);
  expect(logged.length).toBe(before);
});

test('a grouped PURPOSE_REQUIRED keeps its purposes, coordinates and paths, and nothing else it carried', async () => {
  const { result } = await answer({ query: '{ refused }' });
  expect(result.errors).toEqual([
    {
      message: 'Not allowed: Person.name, Person.phone are shared conditionally.',
      locations: [{ line: 1, column: 3 }],
      path: ['refused'],
      extensions: { code: 'PURPOSE_REQUIRED', purposes: ['SELF_SERVICE'], coordinates: ['Person.name', 'Person.phone'], paths: [['person', 'name'], ['person', 'phone']] },
    },
  ]);
});

test('an error it does not know tells the client only an error id, and the log the rest', async () => {
  const { result } = await answer({ query: '{ broken }' });
  const [error] = result.errors!;
  expect(error).toEqual({ message: expect.stringMatching(/^Internal error \(error id [0-9a-f-]{36}\)\.$/), path: ['broken'], extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) } });
  expect(logged.at(-1)).toMatchObject({ errorId: error!.extensions!['errorId'], msg: 'unexpected error' });
});
