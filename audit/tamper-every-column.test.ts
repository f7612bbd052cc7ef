/**
 * Whoever holds the audit database may change any column of any row (TRUST.md): every column of a record
 * and of a checkpoint is changed in turn, in the middle of a chain written through the store, and
 * verification must name that very record or checkpoint. The columns are read from the tables themselves
 * (PRAGMA table_info), so a column added later is tried without this file changing. SQLite's hidden rowid
 * is not a column there and is outside the chain on purpose: every read orders and joins by `seq`.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { AUDIT_DECISIONS, type AuditEntry } from './audit-record';
import { AuditStore } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { readCheckpointKeys } from './checkpoint-signer';
import { verifyChain, type Verification } from './verify-chain';

const RECORDS = 25;
const CHECKPOINT_EVERY = 10;
/** The record changed: in the middle of the chain, neither at nor next to a checkpoint. */
const TARGET = 13;
/** The record whose values the changed one takes: real values of the same columns, so they look valid. */
const DONOR = 17;
/** The checkpoint changed, and the one whose values it takes. */
const TARGET_CHECKPOINT = 10;
const DONOR_CHECKPOINT = 20;

const hmac = (value: string) => createHmac('sha256', 'synthetic').update(value).digest('hex');
const OUTCOMES = ['ok', 'error', 'pending'] as const;
const APPS = ['market-supervision', 'city-ops-center', 'oneservice-portal'];

/** Records that differ from one another in every column, and have none empty. */
const entry = (i: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 5, 1, 8, 0, i)).toISOString(),
  requestId: `request-${i}`,
  parentRequestId: `parent-${i}`,
  app: APPS[i % APPS.length]!,
  operator: hmac(`operator-${i}`),
  region: `4401${String(i).padStart(2, '0')}`,
  purpose: `PURPOSE_${i}`,
  caseId: `2026060144010600${String(i).padStart(4, '0')}`,
  operationName: `Operation${i}`,
  operationHash: hmac(`operation-${i}`),
  fields: ['Query.enterprise', `Enterprise.field${i}`],
  subjects: [hmac(`subject-${i}`)],
  decision: AUDIT_DECISIONS[i % AUDIT_DECISIONS.length]!,
  rule: `contract rule ${i}`,
  outcome: OUTCOMES[i % OUTCOMES.length]!,
  errorCodes: [`CODE_${i}`],
  latencyMs: i + 0.25,
  masked: [{ field: `Enterprise.field${i}`, mask: 'NAME' }],
  refused: [{ field: `Enterprise.secret${i}`, code: 'FORBIDDEN', reason: `refused by rule ${i}` }],
  client: `client-${i}`,
});

let dir: string;
let keys: ChainKeys;
let opened: AuditStore[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-columns-'));
  keys = { chainKey: Buffer.alloc(32, 7), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: CHECKPOINT_EVERY };
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let trails = 0;
/** A fresh chain of RECORDS records, written through the store (one append, then a group), its triggers dropped as an attacker would. */
async function freshTrail(): Promise<AuditStore> {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(dir, `audit-${++trails}.sqlite`) });
  opened.push(store);
  await store.append(entry(1), keys);
  await store.appendAll(Array.from({ length: RECORDS - 1 }, (_, i) => entry(i + 2)), keys);
  expect(await verifyChain(store, keys)).toMatchObject({ ok: true, records: RECORDS, checkpoints: 2 });
  for (const table of ['auditRecord', 'auditCheckpoint']) {
    await sql.raw(`DROP TRIGGER "${table}_no_update"`).execute(store.db);
    await sql.raw(`DROP TRIGGER "${table}_no_delete"`).execute(store.db);
  }
  return store;
}

interface Column {
  name: string;
  notnull: number;
  pk: number;
}

async function columnsOf(store: AuditStore, table: string): Promise<Column[]> {
  return (await sql<Column>`SELECT "name", "notnull", "pk" FROM pragma_table_info(${table})`.execute(store.db)).rows;
}

async function rowOf(store: AuditStore, table: string, seq: number): Promise<Record<string, unknown>> {
  return (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} WHERE "seq" = ${seq}`.execute(store.db)).rows[0]!;
}

async function setColumn(store: AuditStore, table: string, seq: number, column: string, value: unknown): Promise<void> {
  const { numAffectedRows } = await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${value} WHERE "seq" = ${seq}`.execute(store.db);
  expect(numAffectedRows).toBe(1n);
}

/**
 * For each column of the table: a fresh chain, that column of the target row changed, and the verification.
 * The key column moves the row to the next free seq (the donor's would collide); every other column takes
 * the donor row's value, which the chain's rows are built to differ in.
 */
async function changeEachColumn(table: string, target: number, donor: number): Promise<Record<string, Verification>> {
  const results: Record<string, Verification> = {};
  const columns = await columnsOf(await freshTrail(), table);
  for (const column of columns) {
    const store = await freshTrail();
    const original = (await rowOf(store, table, target))[column.name];
    const value = column.pk ? RECORDS + 1 : (await rowOf(store, table, donor))[column.name];
    expect({ column: column.name, value }).not.toEqual({ column: column.name, value: original });
    await setColumn(store, table, target, column.name, value);
    results[column.name] = await verifyChain(store, keys);
  }
  return results;
}

/** What verification must say, by column name. */
const expectEvery = (columns: readonly Column[], expected: (column: Column) => Verification) => Object.fromEntries(columns.map((c) => [c.name, expected(c)]));

test('the record and checkpoint tables have the columns the chain is made of', async () => {
  const store = await freshTrail();
  const recordColumns = (await columnsOf(store, 'auditRecord')).map((c) => c.name);
  expect(recordColumns.length).toBeGreaterThanOrEqual(20);
  expect(recordColumns).toEqual(expect.arrayContaining(['seq', 'time', 'app', 'operator', 'purpose', 'fields', 'subjects', 'decision', 'prevHash', 'hash']));
  expect((await columnsOf(store, 'auditCheckpoint')).map((c) => c.name).sort()).toEqual(['hash', 'seq', 'signature', 'time']);
});

test('a record with any one column changed to another valid value is named as the record changed', async () => {
  const results = await changeEachColumn('auditRecord', TARGET, DONOR);
  const columns = await columnsOf(await freshTrail(), 'auditRecord');
  expect(results).toEqual(
    expectEvery(columns, (c) => ({
      ok: false,
      seq: TARGET,
      // A record moved to another seq leaves a gap where it was; any other change breaks its own hash or link.
      problem: c.pk ? `record ${TARGET} is missing (removed)` : expect.stringMatching(new RegExp(`^record ${TARGET} (was changed|does not follow record ${TARGET - 1}:)`)),
    })),
  );
});

test('a record with any one of its nullable columns emptied is named as the record changed', async () => {
  const nullable = (await columnsOf(await freshTrail(), 'auditRecord')).filter((c) => !c.notnull && !c.pk);
  expect(nullable.length).toBeGreaterThanOrEqual(7);
  const results: Record<string, Verification> = {};
  for (const column of nullable) {
    const store = await freshTrail();
    await setColumn(store, 'auditRecord', TARGET, column.name, null);
    results[column.name] = await verifyChain(store, keys);
  }
  expect(results).toEqual(expectEvery(nullable, () => ({ ok: false, seq: TARGET, problem: `record ${TARGET} was changed` })));
});

test('a checkpoint with any one column changed to another valid value is named by the seq it is found under', async () => {
  const results = await changeEachColumn('auditCheckpoint', TARGET_CHECKPOINT, DONOR_CHECKPOINT);
  const columns = await columnsOf(await freshTrail(), 'auditCheckpoint');
  expect(results).toEqual(
    expectEvery(columns, (c) => {
      const seq = c.pk ? RECORDS + 1 : TARGET_CHECKPOINT;
      return { ok: false, seq, problem: `the checkpoint at record ${seq} has an invalid signature` };
    }),
  );
});

describe('records removed or reordered are named where the chain breaks', () => {
  /** Exchanges the seq of two records, as a reordering by whoever holds the database would. */
  const swap = async (store: AuditStore, a: number, b: number) => {
    await setColumn(store, 'auditRecord', a, 'seq', -1);
    await setColumn(store, 'auditRecord', b, 'seq', a);
    await setColumn(store, 'auditRecord', -1, 'seq', b);
  };
  const remove = async (store: AuditStore, seq: number) => {
    await sql`DELETE FROM "auditRecord" WHERE "seq" = ${seq}`.execute(store.db);
  };

  test.each([
    ['a record in the middle removed', (s: AuditStore) => remove(s, TARGET), TARGET, `record ${TARGET} is missing (removed)`],
    ['the record a checkpoint signs removed', (s: AuditStore) => remove(s, TARGET_CHECKPOINT), TARGET_CHECKPOINT, `record ${TARGET_CHECKPOINT} is missing (removed)`],
    ['the first record removed', (s: AuditStore) => remove(s, 1), 1, 'records from 1 to 1 were removed: the trail starts at record 2 without a checkpoint before it'],
    ['two neighbours swapped', (s: AuditStore) => swap(s, TARGET, TARGET + 1), TARGET, `record ${TARGET} does not follow record ${TARGET - 1}: a record was inserted, removed or moved here`],
    ['two records apart swapped', (s: AuditStore) => swap(s, TARGET, DONOR), TARGET, `record ${TARGET} does not follow record ${TARGET - 1}: a record was inserted, removed or moved here`],
    ['records swapped across a checkpoint', (s: AuditStore) => swap(s, TARGET_CHECKPOINT, TARGET_CHECKPOINT + 1), TARGET_CHECKPOINT, `record ${TARGET_CHECKPOINT} does not follow record ${TARGET_CHECKPOINT - 1}: a record was inserted, removed or moved here`],
  ])('%s', async (_name, tamper, seq, problem) => {
    const store = await freshTrail();
    await tamper(store);
    expect(await verifyChain(store, keys)).toEqual({ ok: false, seq, problem });
  });

  test('records removed from the start, after a checkpoint that stayed, are named from the checkpoint on', async () => {
    const store = await freshTrail();
    await sql`DELETE FROM "auditRecord" WHERE "seq" <= ${TARGET}`.execute(store.db);
    expect(await verifyChain(store, keys)).toEqual({
      ok: false,
      seq: TARGET_CHECKPOINT + 1,
      problem: `records from ${TARGET_CHECKPOINT + 1} to ${TARGET} were removed: the trail starts at record ${TARGET + 1} without a checkpoint before it`,
    });
  });
});
