import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ContractDocument } from '../../contracts/contract-schema';
import { diffContracts } from '../../contracts/diff-contracts';
import { contractsAtRevision, listContractRevisions, migrateContractRevisions, recordContractRevision } from './contract-revisions';
import type { AuditDepartmentDatabase } from './department-database';

const contract = (app: string, grants: ContractDocument['purposes'][number]['grants']): ContractDocument => ({
  app, name: app, owner: 'o', contact: { name: 'c' }, legalBasis: 'l',
  validFrom: '2026-01-01', validUntil: '2026-12-31', approvedBy: 'a', approvedOn: '2025-12-01', persistedOnly: false, operations: [],
  purposes: [{ code: 'P', description: 'd', caseRequired: false, subjectIsOperator: false, discloseToSubject: true, grants }],
});

let db: Kysely<AuditDepartmentDatabase>;
beforeEach(async () => {
  db = new Kysely<AuditDepartmentDatabase>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  await migrateContractRevisions(db);
});
afterEach(() => db.destroy());

test('the same set, in any order, is recorded once; a changed set becomes the next revision', async () => {
  const first = [contract('a', ['Person.name']), contract('b', [{ field: 'Person.phone', mask: 'PHONE' }])];
  expect(await recordContractRevision(db, first, '2026-11-01T00:00:00.000Z')).toBe(1);
  expect(await recordContractRevision(db, [...first].reverse(), '2026-11-02T00:00:00.000Z')).toBe(1);
  const second = [contract('a', ['Person.name', 'Person.gender']), contract('b', ['Person.phone'])];
  expect(await recordContractRevision(db, second, '2026-11-03T00:00:00.000Z')).toBe(2);

  const revisions = await listContractRevisions(db, 10);
  expect(revisions.map((r) => [r.id, r.recordedAt, r.apps])).toEqual([
    [2, '2026-11-03T00:00:00.000Z', ['a', 'b']],
    [1, '2026-11-01T00:00:00.000Z', ['a', 'b']],
  ]);
  const changes = diffContracts((await contractsAtRevision(db, 1))!, (await contractsAtRevision(db, 2))!);
  expect(changes.map((c) => `${c.kind} ${c.app} ${c.coordinate} ${c.detail}`)).toEqual(['added a Person.gender unmasked', 'widened b Person.phone mask PHONE removed']);
  expect(await contractsAtRevision(db, 3)).toBeUndefined();
});

test('each revision names the contracts it changed, their approver and day, and how their validity moved', async () => {
  const first = [contract('a', ['Person.name']), contract('b', ['Person.phone'])];
  await recordContractRevision(db, first, '2026-11-01T00:00:00.000Z');
  const renewed = { ...contract('a', ['Person.name']), validUntil: '2027-06-30', approvedBy: '协调小组', approvedOn: '2026-10-20' };
  await recordContractRevision(db, [renewed, contract('c', ['Person.gender'])], '2026-11-02T00:00:00.000Z');

  const [latest, oldest] = await listContractRevisions(db, 2);
  expect(latest!.contracts).toEqual([
    { app: 'a', change: 'CHANGED', approvedBy: '协调小组', approvedOn: '2026-10-20', validFrom: '2026-01-01', validUntil: '2027-06-30', previousValidFrom: '2026-01-01', previousValidUntil: '2026-12-31' },
    { app: 'b', change: 'REMOVED', approvedBy: null, approvedOn: null, validFrom: null, validUntil: null, previousValidFrom: '2026-01-01', previousValidUntil: '2026-12-31' },
    expect.objectContaining({ app: 'c', change: 'ADDED', approvedBy: 'a', approvedOn: '2025-12-01', previousValidUntil: null }),
  ]);
  expect(oldest!.contracts.map((c) => `${c.change} ${c.app}`)).toEqual(['ADDED a', 'ADDED b']);
  // Listing only the newest still compares it with the one before.
  expect((await listContractRevisions(db, 1))[0]!.contracts.map((c) => c.app)).toEqual(['a', 'b', 'c']);
});

test('going back to an earlier set is a new revision, not a rewrite of history', async () => {
  const one = [contract('a', ['Person.name'])];
  await recordContractRevision(db, one, '2026-11-01T00:00:00.000Z');
  await recordContractRevision(db, [contract('a', [])], '2026-11-02T00:00:00.000Z');
  expect(await recordContractRevision(db, one, '2026-11-03T00:00:00.000Z')).toBe(3);
  const [latest, , oldest] = await listContractRevisions(db, 10);
  expect(latest!.hash).toBe(oldest!.hash);
});
