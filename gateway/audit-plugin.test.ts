/**
 * The audit plugin and the intent recorder over a real trail (a temporary SQLite audit database), run by a
 * real Apollo Server in-process: the gates' facts are what the guarded gateway would leave in the context.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer, HeaderMap, type GraphQLRequestContext, type GraphQLRequestContextWillSendResponse } from '@apollo/server';
import BetterSqlite3 from 'better-sqlite3';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import type { AuditRecord } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { readChainKey } from '../audit/chain-keys';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { createSubjectHasher, readHmacKey, type SubjectHasher } from '../audit/subject-hasher';
import type { Caller } from '../contracts/caller';
import { auditPlugin, intentRecorder, type AuditFacts, type AuditedContext } from './audit-plugin';
import { openAuditTrail, type AuditTrail } from './audit-trail';
import type { GatewayConfig } from './config';
import { DEFAULT_LIMITS, operationLimits } from './limits';
import { createErrorMasker } from './mask-error';
import { childRecord, openRequestRecord, type RequestRecord } from './request-record';

const OPERATOR = '110101199003070011';
const ENTERPRISES = ['91350100M000100Y43', '91310115MA1K4LXX6P', '91440106MA5D0P2RXK'];

const typeDefs = `#graphql
  type Query { enterprise(creditCode: ID!): Enterprise  requestId: String! }
  type Enterprise { creditCode: ID! name: String! legalRepresentative: String! registeredCapital: Float }
  type Mutation { advanceApplication(id: ID!): String }
`;

let dir: string;
let config: GatewayConfig['audit'];
let trail: AuditTrail;
let hmac: SubjectHasher;
let logged: Array<Record<string, unknown>>;
/** A logger whose error lines land in `logged`. */
const capturingLogger = () => pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
let server: ApolloServer<AuditedContext>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-plugin-'));
  config = {
    location: { kind: 'sqlite', file: join(dir, 'audit.sqlite'), busyTimeoutMs: 100 },
    hmacKeyFile: join(dir, 'hmac.key'),
    chainKeyFile: join(dir, 'chain.key'),
    checkpointKeyFile: join(dir, 'checkpoint.pem'),
    checkpointEvery: 50,
    headFile: join(dir, 'audit-head.json'),
  };
  // An HMAC of our own, from the key file, to check the trail's subjects and operators against.
  hmac = createSubjectHasher(readHmacKey(config.hmacKeyFile, true), 0);
  readChainKey(config.chainKeyFile, true);
  readCheckpointKeys(config.checkpointKeyFile, true);
  trail = await openAuditTrail(
    config,
    (error) => {
      throw error;
    },
    (problem) => {
      throw new Error(problem);
    },
  );
  logged = [];
  const logger = capturingLogger();
  server = new ApolloServer<AuditedContext>({
    typeDefs,
    resolvers: {
      Query: {
        enterprise: (_: unknown, { creditCode }: { creditCode: string }) => ({ creditCode, name: '福州闽江贸易有限公司', legalRepresentative: '林建华', registeredCapital: 500 }),
        requestId: (_: unknown, _args: unknown, context: AuditedContext) => context.caller.requestId,
      },
      Enterprise: {
        // The department refuses the field, or fails, as the test's enterprise says.
        legalRepresentative: ({ creditCode }: { creditCode: string }) => {
          if (creditCode === ENTERPRISES[1]) throw new GraphQLError('Forbidden: Enterprise.legalRepresentative is not granted for MARKET_INSPECTION.', { extensions: { code: 'FORBIDDEN' } });
          return '林建华';
        },
        registeredCapital: ({ creditCode }: { creditCode: string }) => {
          if (creditCode === ENTERPRISES[2]) throw new Error('department connection reset');
          return 500;
        },
      },
      Mutation: {
        // As the guarded gateway does: the mutation runs only once its intent is on the record. (The guard
        // passes Apollo Server's queryHash; a value of our own shows the intent records what it is given.)
        advanceApplication: async (_: unknown, { id }: { id: string }, context: AuditedContext) => {
          const recorded = await intentRecorder(trail, logger)(context, { operationName: 'Advance', operationHash: 'intent-hash' });
          if (!recorded) throw new GraphQLError('The audit trail cannot be written, so the mutation was not carried out.', { extensions: { code: 'AUDIT_UNAVAILABLE' } });
          return id;
        },
      },
    },
    validationRules: operationLimits(DEFAULT_LIMITS).validationRules,
    formatError: createErrorMasker(pino({ level: 'silent' })),
    allowBatchedHttpRequests: true,
    stopOnTerminationSignals: false,
    plugins: [auditPlugin(trail, logger)],
  });
  await server.start();
});

afterEach(async () => {
  await server.stop();
  await trail.close();
  rmSync(dir, { recursive: true, force: true });
});

async function records(): Promise<AuditRecord[]> {
  const store = await AuditStore.open(config.location);
  try {
    return await store.recordsAfter(0, 1000);
  } finally {
    await store.close();
  }
}

const caller = (record: RequestRecord, more: Partial<Caller> = {}): Caller => ({
  app: 'market-supervision',
  purpose: 'MARKET_INSPECTION',
  requestId: record.requestId,
  ...more,
});

/** What the gates would leave: fields and subjects in the order they met them (the record sorts them). */
const permitted = (fields: string[], subjects: string[]): AuditFacts => ({
  fields: new Set(fields),
  subjects: new Set(subjects),
  decision: 'PERMIT',
  rule: 'market-supervision/MARKET_INSPECTION',
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function run(query: string, context: AuditedContext, operationName?: string) {
  const response = await server.executeOperation({ query, ...(operationName !== undefined && { operationName }) }, { contextValue: context });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, result: response.body.singleResult };
}

/** Subjects in descending order of their HMACs, so an unsorted record would show it. */
const againstHashOrder = (subjects: string[]) => [...subjects].sort((a, b) => hmac(b).localeCompare(hmac(a)));

describe('the record of each request', () => {
  test('a permitted request: every column, with fields sorted and subjects as sorted HMACs', async () => {
    const before = Date.now();
    const record = openRequestRecord(trail, 'req-permit');
    const subjects = againstHashOrder([ENTERPRISES[0]!, OPERATOR]);
    const query = `query Lookup { enterprise(creditCode: "${ENTERPRISES[0]}") { name creditCode } }`;
    const { status, result } = await run(query, {
      caller: caller(record, { operator: OPERATOR, region: '350100', caseId: 'SC-2026-0042' }),
      record,
      audit: permitted(['Query.enterprise', 'Enterprise.name', 'Enterprise.creditCode'], subjects),
    });
    const after = Date.now();
    expect(status).toBeUndefined();
    expect(result).toEqual({ data: { enterprise: { name: '福州闽江贸易有限公司', creditCode: ENTERPRISES[0] } } });
    const [written, ...others] = await records();
    expect(others).toEqual([]);
    expect(written).toMatchObject({
      requestId: 'req-permit',
      app: 'market-supervision',
      operator: hmac(OPERATOR),
      region: '350100',
      purpose: 'MARKET_INSPECTION',
      caseId: 'SC-2026-0042',
      operationName: 'Lookup',
      operationHash: sha256(query),
      fields: ['Enterprise.creditCode', 'Enterprise.name', 'Query.enterprise'],
      subjects: [hmac(subjects[1]!), hmac(subjects[0]!)],
      decision: 'PERMIT',
      rule: 'market-supervision/MARKET_INSPECTION',
      outcome: 'ok',
      errorCodes: [],
    });
    expect(written!.parentRequestId).toBeUndefined();
    expect(Date.parse(written!.time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(written!.time)).toBeLessThanOrEqual(after);
    expect(written!.latencyMs).toBeGreaterThan(0);
    expect(written!.latencyMs).toBeLessThan(after - before + 2);
    // A request that is not part of a batch keeps its own record and request id.
    expect(record.recorded).toBe(true);
  });

  test('a refused request: the gate\'s decision and rule, each error code once, outcome error', async () => {
    const record = openRequestRecord(trail, 'req-deny');
    const audit: AuditFacts = { fields: new Set(['Query.enterprise', 'Enterprise.legalRepresentative']), subjects: new Set(), decision: 'DENY', rule: 'Forbidden: Enterprise.legalRepresentative' };
    const query = `{ a: enterprise(creditCode: "${ENTERPRISES[1]}") { legalRepresentative } b: enterprise(creditCode: "${ENTERPRISES[1]}") { legalRepresentative } }`;
    const { result } = await run(query, { caller: caller(record), record, audit });
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(await records()).toMatchObject([
      {
        requestId: 'req-deny',
        app: 'market-supervision',
        operator: null,
        region: null,
        caseId: null,
        operationName: null,
        operationHash: sha256(query),
        fields: ['Enterprise.legalRepresentative', 'Query.enterprise'],
        subjects: [],
        decision: 'DENY',
        rule: 'Forbidden: Enterprise.legalRepresentative',
        outcome: 'error',
        errorCodes: ['FORBIDDEN'],
      },
    ]);
  });

  test('a permitted request that failed in a department: PERMIT as decided, outcome error, the codes in the order they came', async () => {
    const record = openRequestRecord(trail, 'req-error');
    const query = `query Both { x: enterprise(creditCode: "${ENTERPRISES[1]}") { legalRepresentative } y: enterprise(creditCode: "${ENTERPRISES[2]}") { registeredCapital } }`;
    const { result } = await run(query, {
      caller: caller(record),
      record,
      audit: permitted(['Query.enterprise', 'Enterprise.registeredCapital', 'Enterprise.legalRepresentative'], [ENTERPRISES[2]!]),
    });
    expect(result.data).toEqual({ x: null, y: { registeredCapital: null } });
    expect(await records()).toMatchObject([
      {
        requestId: 'req-error',
        operationName: 'Both',
        fields: ['Enterprise.legalRepresentative', 'Enterprise.registeredCapital', 'Query.enterprise'],
        subjects: [hmac(ENTERPRISES[2]!)],
        decision: 'PERMIT',
        rule: 'market-supervision/MARKET_INSPECTION',
        outcome: 'error',
        errorCodes: ['FORBIDDEN', 'INTERNAL_SERVER_ERROR'],
      },
    ]);
  });

  test('a request refused before any gate decided, by a limit: DENY, nothing read', async () => {
    const record = openRequestRecord(trail, 'req-limit');
    const aliases = Array.from({ length: DEFAULT_LIMITS.maxAliases + 1 }, (_, i) => `n${i}: name`).join(' ');
    const query = `query Deep { enterprise(creditCode: "${ENTERPRISES[0]}") { ${aliases} } }`;
    const { status, result } = await run(query, { caller: caller(record), record });
    expect(status).toBe(400);
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['LIMIT_EXCEEDED']);
    expect(await records()).toMatchObject([
      {
        requestId: 'req-limit',
        // Apollo Server names the operation only once the document is valid; the client sent no name.
        operationName: null,
        operationHash: sha256(query),
        fields: [],
        subjects: [],
        decision: 'DENY',
        rule: 'refused before the gate decided',
        outcome: 'error',
        errorCodes: ['LIMIT_EXCEEDED'],
      },
    ]);
  });

  test('a document that does not parse: INVALID, under the operation name the client sent', async () => {
    const record = openRequestRecord(trail, 'req-parse');
    const query = 'query Lookup { enterprise(creditCode: "x") { name ';
    const { status } = await run(query, { caller: caller(record), record }, 'Lookup');
    expect(status).toBe(400);
    expect(await records()).toMatchObject([
      {
        requestId: 'req-parse',
        operationName: 'Lookup',
        operationHash: sha256(query),
        fields: [],
        subjects: [],
        decision: 'INVALID',
        rule: 'the operation is not valid',
        outcome: 'error',
        errorCodes: ['GRAPHQL_PARSE_FAILED'],
      },
    ]);
  });

  test('a request without any operation: no name, no hash', async () => {
    const record = openRequestRecord(trail, 'req-none');
    const response = await server.executeOperation({}, { contextValue: { caller: caller(record), record } });
    expect(response.http.status).toBe(400);
    expect(await records()).toMatchObject([
      { requestId: 'req-none', operationName: null, operationHash: null, fields: [], subjects: [], decision: 'INVALID', rule: 'the operation is not valid', outcome: 'error', errorCodes: ['BAD_REQUEST'] },
    ]);
  });

  test('an automatic persisted query whose hash is not held: PERSISTED_QUERY_NOT_FOUND (HTTP 200), one INVALID record saying so', async () => {
    const record = openRequestRecord(trail, 'req-apq');
    const hash = sha256(`{ enterprise(creditCode: "${ENTERPRISES[0]}") { name } }`);
    const response = await server.executeOperation({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, { contextValue: { caller: caller(record), record } });
    expect(response.http.status).toBe(200);
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.errors?.map((e) => e.extensions?.['code'])).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(await records()).toMatchObject([
      {
        requestId: 'req-apq',
        operationName: null,
        operationHash: null,
        fields: [],
        subjects: [],
        decision: 'INVALID',
        rule: 'automatic persisted query not held: the client is to send its text',
        outcome: 'error',
        errorCodes: ['PERSISTED_QUERY_NOT_FOUND'],
      },
    ]);
  });

  test('a read the platform makes because of another request names it as parent', async () => {
    const record = childRecord(trail, 'req-parent');
    await run(`{ enterprise(creditCode: "${ENTERPRISES[0]}") { name } }`, { caller: caller(record), record, audit: permitted(['Query.enterprise', 'Enterprise.name'], [ENTERPRISES[0]!]) });
    const [written] = await records();
    expect(written).toMatchObject({ requestId: record.requestId, parentRequestId: 'req-parent', decision: 'PERMIT', outcome: 'ok' });
    expect(written!.requestId).not.toBe('req-parent');
  });

  test('each operation of a batch is a request of its own, a child of the batch, under the request id its department calls carry', async () => {
    const batch = openRequestRecord(trail, 'req-batch');
    const context: AuditedContext = { caller: caller(batch), record: batch };
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers: new HeaderMap([['content-type', 'application/json']]),
        search: '',
        body: [{ query: 'query One { requestId }' }, { query: 'query Two { requestId }' }],
      },
      context: async () => context,
    });
    if (response.body.kind !== 'complete') throw new Error('expected a complete body');
    const answers = (JSON.parse(response.body.string) as Array<{ data: { requestId: string } }>).map((a) => a.data.requestId);
    const written = await records();
    expect(written.map((r) => [r.operationName, r.requestId, r.parentRequestId, r.app, r.outcome])).toEqual([
      ['One', answers[0], 'req-batch', 'market-supervision', 'ok'],
      ['Two', answers[1], 'req-batch', 'market-supervision', 'ok'],
    ]);
    expect(new Set([...answers, 'req-batch']).size).toBe(3);
    // The batch's own record is written by the server before its operations run, not by the plugin.
    expect(batch.recorded).toBe(false);
  });
});

describe('a mutation: its intent before it runs, its outcome as a child', () => {
  test('the intent is the request\'s own record (pending), the outcome a record of its own naming the request', async () => {
    const record = openRequestRecord(trail, 'req-mutation');
    const audit: AuditFacts = { fields: new Set(['Mutation.advanceApplication']), subjects: new Set(), decision: 'PERMIT', rule: 'crossprovince-desk/CASE_QUEUE' };
    const query = 'mutation Advance { advanceApplication(id: "SQ-2026-0001") }';
    const { result } = await run(query, { caller: caller(record, { app: 'crossprovince-desk', purpose: 'CASE_QUEUE', operator: OPERATOR }), record, audit });
    expect(result).toEqual({ data: { advanceApplication: 'SQ-2026-0001' } });
    expect(audit.intentRecorded).toBe(true);
    const [intent, outcome, ...others] = await records();
    expect(others).toEqual([]);
    expect(intent).toMatchObject({
      requestId: 'req-mutation',
      app: 'crossprovince-desk',
      operator: hmac(OPERATOR),
      purpose: 'CASE_QUEUE',
      operationName: 'Advance',
      operationHash: 'intent-hash',
      fields: ['Mutation.advanceApplication'],
      decision: 'PERMIT',
      rule: 'intent: crossprovince-desk/CASE_QUEUE',
      outcome: 'pending',
      errorCodes: [],
    });
    expect(intent!.parentRequestId).toBeUndefined();
    expect(intent!.latencyMs).toBeGreaterThan(0);
    expect(outcome).toMatchObject({
      parentRequestId: 'req-mutation',
      app: 'crossprovince-desk',
      operationName: 'Advance',
      operationHash: sha256(query),
      decision: 'PERMIT',
      rule: 'crossprovince-desk/CASE_QUEUE',
      outcome: 'ok',
    });
    expect(outcome!.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('an intent with no facts yet says so; a request that names a parent keeps it on its intent', async () => {
    const record = childRecord(trail, 'req-portal');
    const before = Date.now();
    expect(await intentRecorder(trail, pino({ level: 'silent' }))({ caller: caller(record), record }, { operationName: null, operationHash: null })).toBe(true);
    const [intent] = await records();
    expect(intent).toMatchObject({ requestId: record.requestId, parentRequestId: 'req-portal', fields: [], subjects: [], rule: 'intent: none', outcome: 'pending', operationName: null, operationHash: null });
    expect(Date.parse(intent!.time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(intent!.time)).toBeLessThanOrEqual(Date.now());
  });
});

describe('when the trail cannot be written', () => {
  /** Holds the audit database's write lock, as another writer would, while `during` runs. */
  async function whileLocked<T>(during: () => Promise<T>): Promise<T> {
    const blocker = new BetterSqlite3(join(dir, 'audit.sqlite'));
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      return await during();
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
  }

  test('the data is withheld: AUDIT_UNAVAILABLE with HTTP 503, the failure logged; service resumes once the store accepts records', async () => {
    const record = openRequestRecord(trail, 'req-locked');
    const query = `{ enterprise(creditCode: "${ENTERPRISES[0]}") { name legalRepresentative } }`;
    const answer = await whileLocked(() => run(query, { caller: caller(record), record, audit: permitted(['Query.enterprise'], [ENTERPRISES[0]!]) }));
    expect(answer).toEqual({
      status: 503,
      result: { errors: [{ message: 'The audit trail cannot be written, so no data is released. Try again shortly.', extensions: { code: 'AUDIT_UNAVAILABLE' } }] },
    });
    expect(logged).toMatchObject([{ level: 50, requestId: 'req-locked', msg: 'audit record not written: response withheld', err: { code: 'SQLITE_BUSY' } }]);

    const next = openRequestRecord(trail, 'req-after');
    expect(await run(query, { caller: caller(next), record: next, audit: permitted(['Query.enterprise'], [ENTERPRISES[0]!]) })).toEqual({
      status: undefined,
      result: { data: { enterprise: { name: '福州闽江贸易有限公司', legalRepresentative: '林建华' } } },
    });
    expect((await records()).map((r) => r.requestId)).toEqual(['req-after']);
  });

  test('a mutation whose intent cannot be written is refused and not marked as recorded; the failure is logged', async () => {
    const record = openRequestRecord(trail, 'req-intent');
    const audit: AuditFacts = { fields: new Set(['Mutation.advanceApplication']), subjects: new Set(), decision: 'PERMIT', rule: 'crossprovince-desk/CASE_QUEUE' };
    const recorded = await whileLocked(() => intentRecorder(trail, capturingLogger())({ caller: caller(record), record, audit }, { operationName: 'Advance', operationHash: 'h' }));
    expect(recorded).toBe(false);
    expect(audit.intentRecorded).toBeUndefined();
    expect(logged).toMatchObject([{ level: 50, requestId: 'req-intent', msg: 'intent of a mutation not recorded: mutation refused', err: { code: 'SQLITE_BUSY' } }]);
    expect(await records()).toEqual([]);
  });
});

describe('the hooks as Apollo Server calls them, for answers this schema cannot give', () => {
  test('an error that carries no code is recorded as INTERNAL_SERVER_ERROR', async () => {
    const record = openRequestRecord(trail, 'req-uncoded');
    const contextValue: AuditedContext = { caller: caller(record), record };
    const hooks = await auditPlugin(trail, pino({ level: 'silent' })).requestDidStart!({ requestIsBatched: false, contextValue } as unknown as GraphQLRequestContext<AuditedContext>);
    await hooks!.willSendResponse!({
      contextValue,
      request: { operationName: 'Lookup' },
      operationName: undefined,
      queryHash: undefined,
      response: { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { errors: [{ message: 'failed' }] } } },
    } as unknown as GraphQLRequestContextWillSendResponse<AuditedContext>);
    expect(await records()).toMatchObject([{ requestId: 'req-uncoded', operationName: 'Lookup', operationHash: null, decision: 'INVALID', outcome: 'error', errorCodes: ['INTERNAL_SERVER_ERROR'] }]);
  });
});
