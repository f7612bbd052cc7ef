/**
 * Appends to and reads from the hash-chained audit trail. Appends are serialised — in-process by kysely's
 * single SQLite connection, across gateway replicas by a PostgreSQL advisory lock held for the transaction
 * — so concurrent writers still make one verifiable chain.
 *
 * A record carries its subjects (HMACs) itself; the index from subject to records is built behind the
 * appends, in batches (`indexSubjects`), as runs: one row per subject and stretch of records in which it
 * keeps occurring (at most RUN_GAP records apart). A subject read by request after request — a page of
 * the same 100 enterprises — costs one row per batch instead of one per record, which made indexing
 * cost more than the request itself. A search takes the records within the subject's runs and keeps those
 * whose subject list holds it, and scans the few records not yet indexed.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { GENESIS_HASH, recordHash, type AuditDecision, type AuditEntry, type AuditRecord, type MaskedField, type FieldRefusal } from './audit-record';
import { AUDIT_LOCK, PRUNE_FUNCTION, openAuditDatabase, prepareAuditDatabase, type AuditDatabase, type AuditLocation, type AuditRecordRow } from './audit-database';
import type { ChainKeys } from './chain-keys';
import { signCheckpoint, type Checkpoint, type CheckpointKeys } from './checkpoint-signer';
import { LOCK_SLICE_MS, whileBusy } from './sqlite-busy';

export interface AuditFilter {
  app?: string;
  purpose?: string;
  subject?: string;
  from?: string;
  to?: string;
  decision?: AuditDecision;
  errorCode?: string;
  /** Leaves out one app's requests sent with one client (e.g. the console's own reads, for the app reading the trail). */
  hideClientOf?: { app: string; client: string };
}

/** A record as stored (for the store's own writes, and tests that forge one). */
export function toRow(record: AuditRecord): AuditRecordRow {
  return {
    ...record,
    parentRequestId: record.parentRequestId ?? null,
    fields: JSON.stringify(record.fields),
    subjects: JSON.stringify(record.subjects),
    errorCodes: JSON.stringify(record.errorCodes),
    masked: record.masked === undefined ? null : JSON.stringify(record.masked),
    refused: record.refused === undefined ? null : JSON.stringify(record.refused),
    client: record.client ?? null,
  };
}

export function fromRow(row: AuditRecordRow): AuditRecord {
  return {
    seq: Number(row.seq),
    time: row.time,
    requestId: row.requestId,
    ...(row.parentRequestId != null && { parentRequestId: row.parentRequestId }),
    app: row.app,
    operator: row.operator,
    region: row.region,
    purpose: row.purpose,
    caseId: row.caseId,
    operationName: row.operationName,
    operationHash: row.operationHash,
    fields: JSON.parse(row.fields) as string[],
    subjects: JSON.parse(row.subjects) as string[],
    decision: row.decision as AuditDecision,
    rule: row.rule,
    outcome: row.outcome as AuditRecord['outcome'],
    errorCodes: JSON.parse(row.errorCodes) as string[],
    latencyMs: Number(row.latencyMs),
    ...(row.masked != null && { masked: JSON.parse(row.masked) as MaskedField[] }),
    ...(row.refused != null && { refused: JSON.parse(row.refused) as FieldRefusal[] }),
    ...(row.client != null && { client: row.client }),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** What the write probe inserts and takes back: never committed. */
const PROBE_ENTRY: Omit<AuditEntry, 'time'> = {
  requestId: 'readiness-probe',
  app: null,
  operator: null,
  region: null,
  purpose: null,
  caseId: null,
  operationName: null,
  operationHash: null,
  fields: [],
  subjects: [],
  decision: 'INVALID',
  rule: 'readiness probe',
  outcome: 'ok',
  errorCodes: [],
  latencyMs: 0,
};

/** Rows per INSERT statement when indexing subjects (PostgreSQL allows 65,535 parameters per statement). */
const INSERT_CHUNK = 5000;
/** Request ids per lookup statement (each is bound twice). */
const LOOKUP_CHUNK = 1000;

/**
 * How far apart two records about a subject may be and still share a run: a search reads at most this
 * many records about other subjects per record it finds.
 */
const RUN_GAP = 64;

export interface SubjectRun {
  subject: string;
  fromSeq: number;
  toSeq: number;
}

/** A batch's runs (records in seq order), sorted by subject so that each index page is written once. */
function subjectRuns(records: ReadonlyArray<{ seq: number | bigint; subjects: string }>): SubjectRun[] {
  const open = new Map<string, SubjectRun>();
  const runs: SubjectRun[] = [];
  for (const record of records) {
    const seq = Number(record.seq);
    for (const subject of JSON.parse(record.subjects) as string[]) {
      const run = open.get(subject);
      if (run && seq - run.toSeq <= RUN_GAP) {
        run.toSeq = seq;
        continue;
      }
      const started = { subject, fromSeq: seq, toSeq: seq };
      open.set(subject, started);
      runs.push(started);
    }
  }
  return runs.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.fromSeq - b.fromSeq));
}

/** Subjects are hex HMACs: anything else matches no record, and never reaches a LIKE pattern. */
const HMAC = /^[0-9a-f]+$/;

/**
 * Records about any of these subjects: within the subjects' runs, or among the records not yet indexed.
 * One `seq IN (… UNION ALL …)`, not two conditions joined by OR: with the OR, SQLite and PostgreSQL walk
 * the whole trail newest first testing each record (a second at a million records) instead of looking the
 * candidates up by seq.
 */
function aboutAny(subjects: readonly string[], kind: AuditLocation['kind']) {
  const hmacs = subjects.filter((s) => HMAC.test(s));
  return (eb: ExpressionBuilder<AuditDatabase, 'auditRecord'>) =>
    hmacs.length === 0
      ? eb.lit(false)
      : eb.and([
          eb(
            'auditRecord.seq',
            'in',
            recordsInRuns(eb, hmacs, kind).unionAll(
                eb
                  .selectFrom('auditRecord as unindexed')
                  .select('unindexed.seq')
                  .where('unindexed.seq', '>', eb.selectFrom('auditSubjectRunProgress').select('auditSubjectRunProgress.indexedTo').where('auditSubjectRunProgress.id', '=', 1)),
              ),
          ),
          eb.or(hmacs.map((hmac) => eb('auditRecord.subjects', 'like', `%"${hmac}"%`))),
        ]);
}

/**
 * The seqs within the subjects' runs. PostgreSQL estimates a join on a range (`seq BETWEEN fromSeq AND
 * toSeq`) as matching a third of the trail for every run, and at ten million records walks the whole trail
 * once against all the runs (30 s per search, bench/results/scale.md); a lateral subquery it cannot pull
 * up (`OFFSET 0`) makes it look each run's records up by seq. SQLite has no LATERAL, and its planner looks
 * them up by seq for the plain join (subject-search-plan.test.ts).
 */
function recordsInRuns(eb: ExpressionBuilder<AuditDatabase, 'auditRecord'>, hmacs: readonly string[], kind: AuditLocation['kind']) {
  const runs = eb.selectFrom('auditSubjectRun as run').where('run.subject', 'in', hmacs);
  if (kind === 'sqlite') return runs.innerJoin('auditRecord as candidate', (join) => join.onRef('candidate.seq', '>=', 'run.fromSeq').onRef('candidate.seq', '<=', 'run.toSeq')).select('candidate.seq');
  return runs
    .innerJoinLateral(
      (lateral) => lateral.selectFrom('auditRecord as inRun').select('inRun.seq').whereRef('inRun.seq', '>=', 'run.fromSeq').whereRef('inRun.seq', '<=', 'run.toSeq').offset(0).as('candidate'),
      (join) => join.onTrue(),
    )
    .select('candidate.seq');
}

function sqliteSubjectIndexer(sqlite: BetterSqlite3.Database) {
  const progress = sqlite.prepare('SELECT "indexedTo" FROM "auditSubjectRunProgress" WHERE "id" = 1');
  const pending = sqlite.prepare('SELECT "seq", "subjects" FROM "auditRecord" WHERE "seq" > ? ORDER BY "seq" LIMIT ?');
  const insert = sqlite.prepare('INSERT INTO "auditSubjectRun" ("subject", "fromSeq", "toSeq") VALUES (?, ?, ?)');
  const advance = sqlite.prepare('UPDATE "auditSubjectRunProgress" SET "indexedTo" = ? WHERE "id" = 1');
  return sqlite.transaction((batch: number): number => {
    const { indexedTo } = progress.get() as { indexedTo: number | bigint };
    const records = pending.all(indexedTo, batch) as Array<{ seq: number | bigint; subjects: string }>;
    if (records.length === 0) return 0;
    for (const run of subjectRuns(records)) insert.run(run.subject, run.fromSeq, run.toSeq);
    advance.run(records.at(-1)!.seq);
    return records.length;
  });
}

/** How long a write waits for SQLite's lock unless the location says otherwise. */
const DEFAULT_LOCK_WAIT_MS = 2000;

/** The last record written, or the checkpoint a pruned trail starts from. */
type ChainHead = { seq: number | bigint | string; hash: string };
/** The last record one store appended. */
type AppendedHead = { seq: number; hash: string };

/** The entries as records chained in order after `head` (or from the genesis hash). */
function chained(entries: readonly AuditEntry[], head: ChainHead | undefined, chainKey: Buffer): AuditRecord[] {
  let seq = Number(head?.seq ?? 0);
  let prevHash = head?.hash ?? GENESIS_HASH;
  return entries.map((entry) => {
    seq += 1;
    const record: AuditRecord = { ...entry, seq, prevHash, hash: recordHash(chainKey, seq, prevHash, entry) };
    prevHash = record.hash;
    return record;
  });
}

const HEAD = 'SELECT "seq", "hash" FROM "auditRecord" ORDER BY "seq" DESC LIMIT 1';
/** Where a trail pruned to its newest checkpoint goes on from. */
const ANCHOR = 'SELECT "seq", "hash" FROM "auditCheckpoint" ORDER BY "seq" DESC LIMIT 1';
const HASH_AT = 'SELECT "hash" FROM "auditRecord" WHERE "seq" = ?';

/**
 * Thrown instead of appending to a trail that no longer holds what this store appended last: its newest
 * records were removed (the head is behind them) or rewritten (THREATS F10). Appending would chain new
 * records onto the cut, and the trail would then verify as if nothing had been lost.
 */
export class AuditTrailCut extends Error {}

/**
 * Why the trail, whose head is `base`, is not where this store's last append (`last`) left it, or undefined.
 * Other writers only move the head forward; a record pruned away (`hashAt` undefined) lies behind an anchor.
 */
function tailProblem(base: ChainHead | undefined, last: AppendedHead | undefined, hashAt: (seq: number) => string | undefined): string | undefined {
  if (!last) return undefined;
  const headSeq = Number(base?.seq ?? 0);
  if (headSeq < last.seq) return `the audit trail ends at record ${headSeq}, before record ${last.seq} this process appended: its newest records were removed`;
  const hash = hashAt(last.seq);
  if (hash !== undefined && hash !== last.hash) return `record ${last.seq}, which this process appended, was rewritten`;
  return undefined;
}

/** The trail's head (or, pruned to it, its anchor), and why it is not where `last` left it, read through kysely. */
async function tailIn(db: Kysely<AuditDatabase>, last: AppendedHead | undefined): Promise<{ base: ChainHead | undefined; problem: string | undefined }> {
  const head = await db.selectFrom('auditRecord').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const base = head ?? (await db.selectFrom('auditCheckpoint').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst());
  const at = last && (await db.selectFrom('auditRecord').select('hash').where('seq', '=', last.seq).executeTakeFirst());
  return { base, problem: tailProblem(base, last, () => at?.hash) };
}

function recordInsert(sqlite: BetterSqlite3.Database): BetterSqlite3.Statement {
  const columns = ['seq', 'time', 'requestId', 'parentRequestId', 'app', 'operator', 'region', 'purpose', 'caseId', 'operationName', 'operationHash', 'fields', 'subjects', 'decision', 'rule', 'outcome', 'errorCodes', 'latencyMs', 'masked', 'refused', 'client', 'prevHash', 'hash'] as const;
  return sqlite.prepare(`INSERT INTO "auditRecord" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
}

/** The record the write probe inserts after the head and takes back. */
function probeRecord(head: ChainHead | undefined): AuditRecord {
  return { ...PROBE_ENTRY, time: new Date().toISOString(), seq: Number(head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH, hash: GENESIS_HASH };
}

/** Thrown inside a nested transaction to roll the probe's record back to its savepoint. */
const TAKEN_BACK = new Error('the write probe takes its record back');

/**
 * The SQLite write probe, synchronous like the append: were it an asynchronous (kysely) transaction on the
 * same connection, an append made while it was open would run inside it, and go with the probe's record.
 */
function sqliteWriteProbe(sqlite: BetterSqlite3.Database) {
  const head = sqlite.prepare(HEAD);
  const anchor = sqlite.prepare(ANCHOR);
  const hashAt = sqlite.prepare(HASH_AT).pluck();
  const insert = recordInsert(sqlite);
  const touch = sqlite.prepare('UPDATE "auditSubjectRunProgress" SET "indexedTo" = "indexedTo" WHERE "id" = 1');
  const insertTakenBack = sqlite.transaction((record: AuditRecord) => {
    insert.run(toRow(record));
    throw TAKEN_BACK;
  });
  return sqlite.transaction((last: AppendedHead | undefined) => {
    const base = (head.get() ?? anchor.get()) as ChainHead | undefined;
    const problem = tailProblem(base, last, (seq) => hashAt.get(seq) as string | undefined);
    if (problem) throw new AuditTrailCut(problem);
    try {
      insertTakenBack(probeRecord(base));
    } catch (error) {
      if (error !== TAKEN_BACK) throw error;
    }
    touch.run();
  });
}

/**
 * The SQLite append as one synchronous transaction over statements prepared once: the append is on every
 * request's path, and kysely would prepare each statement again on every call.
 */
function sqliteAppender(sqlite: BetterSqlite3.Database) {
  const head = sqlite.prepare(HEAD);
  const anchor = sqlite.prepare(ANCHOR);
  const hashAt = sqlite.prepare(HASH_AT).pluck();
  const insert = recordInsert(sqlite);
  const checkpoint = sqlite.prepare('INSERT INTO "auditCheckpoint" ("seq", "hash", "time", "signature") VALUES (@seq, @hash, @time, @signature)');
  return sqlite.transaction((entries: readonly AuditEntry[], chain: ChainKeys, last: AppendedHead | undefined): AuditRecord[] => {
    const base = (head.get() ?? anchor.get()) as ChainHead | undefined;
    const problem = tailProblem(base, last, (seq) => hashAt.get(seq) as string | undefined);
    if (problem) throw new AuditTrailCut(problem);
    const records = chained(entries, base, chain.chainKey);
    for (const record of records) {
      insert.run(toRow(record));
      if (record.seq % chain.checkpointEvery === 0) checkpoint.run(signCheckpoint(chain.checkpointKeys, record.seq, record.hash, record.time));
    }
    return records;
  });
}

export class AuditStore {
  private readonly appendSqlite: ReturnType<typeof sqliteAppender> | undefined;
  private readonly probeSqlite: ReturnType<typeof sqliteWriteProbe> | undefined;
  private readonly indexSqlite: ReturnType<typeof sqliteSubjectIndexer> | undefined;
  /** The last record this store appended: the trail's head may move past it, never back (AuditTrailCut). */
  private lastAppended: AppendedHead | undefined;
  /** The cut this store has seen: from then on it appends, probes and signs nothing, whatever the trail holds later. */
  private cut: AuditTrailCut | undefined;

  private constructor(
    readonly db: Kysely<AuditDatabase>,
    readonly kind: AuditLocation['kind'],
    sqlite?: BetterSqlite3.Database,
    /** How long a write waits for SQLite's lock, retrying from a timer (sqlite-busy.ts). */
    private readonly lockWaitMs = DEFAULT_LOCK_WAIT_MS,
  ) {
    this.appendSqlite = sqlite ? sqliteAppender(sqlite) : undefined;
    this.probeSqlite = sqlite ? sqliteWriteProbe(sqlite) : undefined;
    this.indexSqlite = sqlite ? sqliteSubjectIndexer(sqlite) : undefined;
  }

  /** Over a database someone else opened (the audit department's). */
  static over(db: Kysely<AuditDatabase>, kind: AuditLocation['kind']): AuditStore {
    return new AuditStore(db, kind);
  }

  /** Records that released data about these subjects (HMACs), newest first, with the subject each concerns. */
  async recordsAbout(subjects: readonly string[], perSubject: number): Promise<Array<AuditRecord & { subject: string }>> {
    const rows = await this.db.selectFrom('auditRecord').selectAll().where(aboutAny(subjects, this.kind)).orderBy('seq', 'desc').limit(perSubject * subjects.length).execute();
    const wanted = new Set(subjects);
    return rows.flatMap((row) => {
      const record = fromRow(row);
      return record.subjects.filter((subject) => wanted.has(subject)).map((subject) => ({ ...record, subject }));
    });
  }

  /**
   * Adds the subjects of up to `batch` records not yet indexed to the subject index, in subject order, and
   * moves the progress mark past them. Safe to run from several processes at once. Returns how many
   * records it indexed.
   */
  async indexSubjects(batch = 2000): Promise<number> {
    const indexSqlite = this.indexSqlite;
    if (indexSqlite) return this.write(() => indexSqlite.immediate(batch));
    return this.db.transaction().execute(async (trx) => {
      if (this.kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
      const { indexedTo } = await trx.selectFrom('auditSubjectRunProgress').select('indexedTo').where('id', '=', 1).executeTakeFirstOrThrow();
      const records = await trx.selectFrom('auditRecord').select(['seq', 'subjects']).where('seq', '>', indexedTo).orderBy('seq').limit(batch).execute();
      if (records.length === 0) return 0;
      const runs = subjectRuns(records);
      for (let i = 0; i < runs.length; i += INSERT_CHUNK) await trx.insertInto('auditSubjectRun').values(runs.slice(i, i + INSERT_CHUNK)).execute();
      await trx.updateTable('auditSubjectRunProgress').set({ indexedTo: Number(records.at(-1)!.seq) }).where('id', '=', 1).execute();
      return records.length;
    });
  }

  static async open(location: AuditLocation): Promise<AuditStore> {
    const { db, sqlite } = openAuditDatabase(location);
    try {
      await prepareAuditDatabase(db, location.kind);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    // From here on a statement blocks the event loop at most a moment for the lock; writes retry from a timer.
    sqlite?.pragma(`busy_timeout = ${LOCK_SLICE_MS}`);
    return new AuditStore(db, location.kind, sqlite, location.kind === 'sqlite' ? location.busyTimeoutMs : undefined);
  }

  /** A write, retried while SQLite's lock is held elsewhere (PostgreSQL waits without blocking anyway). */
  private write<T>(attempt: () => T | Promise<T>, waitMs = this.lockWaitMs): Promise<T> {
    return this.kind === 'sqlite' ? whileBusy(attempt, waitMs) : Promise.resolve(attempt());
  }

  /** Appends one record after the current head; signs a checkpoint every `checkpointEvery` records. */
  async append(entry: AuditEntry, chain: ChainKeys): Promise<AuditRecord> {
    return (await this.appendAll([entry], chain))[0]!;
  }

  /**
   * Appends records in order after the current head, in one transaction (a group commit: the pages a
   * record touches are written once for the group). All are written, or none.
   */
  async appendAll(entries: readonly AuditEntry[], chain: ChainKeys): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    const appendSqlite = this.appendSqlite;
    const last = this.lastAppended;
    this.refuseAfterCut();
    const records = appendSqlite
      ? await this.write(() => appendSqlite.immediate(entries, chain, last)).catch(this.rememberCut)
      : await this.db.transaction().execute(async (trx) => {
          if (this.kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
          const { base, problem } = await tailIn(trx, last);
          if (problem) throw new AuditTrailCut(problem);
          const chainedRecords = chained(entries, base, chain.chainKey);
          await trx.insertInto('auditRecord').values(chainedRecords.map(toRow)).execute();
          const checkpoints = chainedRecords.filter((r) => r.seq % chain.checkpointEvery === 0).map((r) => signCheckpoint(chain.checkpointKeys, r.seq, r.hash, r.time));
          if (checkpoints.length > 0) await trx.insertInto('auditCheckpoint').values(checkpoints).execute();
          return chainedRecords;
        }).catch(this.rememberCut);
    const newest = records.at(-1)!;
    // Appends of one store may commit out of order; the check keeps the newest it knows.
    if (!this.lastAppended || newest.seq > this.lastAppended.seq) this.lastAppended = { seq: newest.seq, hash: newest.hash };
    return records;
  }

  /**
   * Takes a head kept outside the database (a gateway's head file, from before it restarted) as a record
   * this store appended: from here on it appends and signs only while the trail still holds that record
   * with that hash, or has pruned it (AuditTrailCut). Returns why the trail no longer does, or undefined.
   */
  async resumeAfter(kept: { seq: number; hash: string }): Promise<string | undefined> {
    if (!this.lastAppended || kept.seq > this.lastAppended.seq) this.lastAppended = { seq: kept.seq, hash: kept.hash };
    const { problem } = await tailIn(this.db, this.lastAppended);
    if (problem) this.cut ??= new AuditTrailCut(problem);
    return problem;
  }

  /** Refuses a write once this store has seen a cut (see `cut`). */
  private refuseAfterCut(): void {
    if (this.cut) throw this.cut;
  }

  /** Rethrows a write's error; an AuditTrailCut is remembered, and thrown again by every later write (`refuseAfterCut`). */
  private readonly rememberCut = (error: unknown): never => {
    if (error instanceof AuditTrailCut) this.cut ??= error;
    throw error;
  };

  /** Signs a checkpoint at the current head (e.g. before a prune or at shutdown). */
  async checkpointHead(keys: CheckpointKeys): Promise<Checkpoint | undefined> {
    this.refuseAfterCut();
    return this.write(() => this.db.transaction().execute(async (trx) => {
      if (this.kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
      const head = await trx.selectFrom('auditRecord').select(['seq', 'hash', 'time']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      // A head signed over a cut trail would vouch for the cut.
      const last = this.lastAppended;
      const at = last && (await trx.selectFrom('auditRecord').select('hash').where('seq', '=', last.seq).executeTakeFirst());
      const problem = tailProblem(head, last, () => at?.hash);
      if (problem) throw new AuditTrailCut(problem);
      if (!head) return undefined;
      const exists = await trx.selectFrom('auditCheckpoint').select('seq').where('seq', '=', head.seq).executeTakeFirst();
      const checkpoint = signCheckpoint(keys, Number(head.seq), head.hash, head.time);
      if (!exists) await trx.insertInto('auditCheckpoint').values(checkpoint).execute();
      return checkpoint;
    })).catch(this.rememberCut);
  }

  /** Records in chain order, a page at a time (for verification and export). */
  async recordsAfter(seq: number, limit: number): Promise<AuditRecord[]> {
    const rows = await this.db.selectFrom('auditRecord').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
    return rows.map(fromRow);
  }

  /** How far the subject index reaches: a search finds the records up to here through their runs only. */
  async subjectIndexedTo(): Promise<number> {
    const row = await this.db.selectFrom('auditSubjectRunProgress').select('indexedTo').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.indexedTo);
  }

  /** The subject index's runs that start after record `after` and at or before record `upTo`, in the order they start. */
  async subjectRunsStarting(after: number, upTo: number): Promise<SubjectRun[]> {
    const rows = await this.db.selectFrom('auditSubjectRun').select(['subject', 'fromSeq', 'toSeq']).where('fromSeq', '>', after).where('fromSeq', '<=', upTo).orderBy('fromSeq').execute();
    return rows.map((row) => ({ subject: row.subject, fromSeq: Number(row.fromSeq), toSeq: Number(row.toSeq) }));
  }

  /**
   * Which of these request ids the trail holds, as a record's own or as the parent of one, among the
   * records written between `from` and `to` (the time index bounds the search).
   */
  async requestIdsIn(ids: readonly string[], from: string, to: string): Promise<Set<string>> {
    const wanted = new Set(ids);
    const found = new Set<string>();
    const unique = [...wanted];
    for (let start = 0; start < unique.length; start += LOOKUP_CHUNK) {
      const chunk = unique.slice(start, start + LOOKUP_CHUNK);
      const rows = await this.db
        .selectFrom('auditRecord')
        .select(['requestId', 'parentRequestId'])
        .where('time', '>=', from)
        .where('time', '<=', to)
        .where((eb) => eb.or([eb('requestId', 'in', chunk), eb('parentRequestId', 'in', chunk)]))
        .execute();
      for (const row of rows) for (const id of [row.requestId, row.parentRequestId]) if (id != null && wanted.has(id)) found.add(id);
    }
    return found;
  }

  async checkpoints(): Promise<Checkpoint[]> {
    const rows = await this.db.selectFrom('auditCheckpoint').selectAll().orderBy('seq').execute();
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }

  private filtered(filter: AuditFilter) {
    let query = this.db.selectFrom('auditRecord');
    if (filter.app) query = query.where('app', '=', filter.app);
    if (filter.purpose) query = query.where('purpose', '=', filter.purpose);
    if (filter.decision) query = query.where('decision', '=', filter.decision);
    if (filter.from) query = query.where('time', '>=', filter.from);
    if (filter.to) query = query.where('time', '<=', filter.to);
    if (filter.subject) query = query.where(aboutAny([filter.subject], this.kind));
    // Codes are upper-case words (checked by the caller), so they never reach a LIKE pattern as one.
    if (filter.errorCode && /^[A-Z_]+$/.test(filter.errorCode)) query = query.where('errorCodes', 'like', `%"${filter.errorCode}"%`);
    const hidden = filter.hideClientOf;
    if (hidden) query = query.where((eb) => eb.or([eb('app', 'is', null), eb('app', '!=', hidden.app), eb('client', 'is', null), eb('client', '!=', hidden.client)]));
    return query;
  }

  /** Newest first, filtered; `beforeSeq` continues a page. */
  async find(filter: AuditFilter, beforeSeq: number | undefined, limit: number): Promise<AuditRecord[]> {
    let query = this.filtered(filter).selectAll();
    if (beforeSeq !== undefined) query = query.where('seq', '<', beforeSeq);
    return (await query.orderBy('seq', 'desc').limit(limit).execute()).map(fromRow);
  }

  /** The error codes the trail holds, in order. */
  async errorCodesUsed(): Promise<string[]> {
    const rows = await this.db.selectFrom('auditRecord').select('errorCodes').distinct().where('errorCodes', '!=', '[]').execute();
    return [...new Set(rows.flatMap((row) => JSON.parse(row.errorCodes) as string[]))].sort();
  }

  async count(filter: AuditFilter): Promise<number> {
    const row = await this.filtered(filter).select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * Deletes the records up to the newest checkpoint older than `before`, keeping the chain verifiable
   * from that checkpoint. Returns how many records went.
   */
  async prune(before: string): Promise<{ removed: number; anchor?: Checkpoint }> {
    if (this.kind === 'postgres') {
      // The owner's function deletes; the triggers yield to nobody else (audit-database.ts).
      const { rows } = await sql<{ removed: string; anchor_seq: string | null; anchor_hash: string; anchor_time: string; anchor_signature: string }>`SELECT * FROM ${sql.raw(PRUNE_FUNCTION)}(${before})`.execute(this.db);
      const row = rows[0]!;
      const anchor = row.anchor_seq === null ? undefined : { seq: Number(row.anchor_seq), hash: row.anchor_hash, time: row.anchor_time, signature: row.anchor_signature };
      return { removed: Number(row.removed), ...(anchor && { anchor }) };
    }
    return this.write(() => this.db.transaction().execute(async (trx) => {
      await sql`UPDATE "auditMaintenance" SET "pruning" = 1 WHERE "id" = 1`.execute(trx);
      const anchorRow = await trx.selectFrom('auditCheckpoint').selectAll().where('time', '<', before).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      let removed = 0;
      if (anchorRow) {
        await trx.deleteFrom('auditSubjectRun').where('toSeq', '<=', anchorRow.seq).execute();
        const result = await trx.deleteFrom('auditRecord').where('seq', '<=', anchorRow.seq).executeTakeFirst();
        removed = Number(result.numDeletedRows);
        await trx.deleteFrom('auditCheckpoint').where('seq', '<', anchorRow.seq).execute();
      }
      await sql`UPDATE "auditMaintenance" SET "pruning" = 0 WHERE "id" = 1`.execute(trx);
      return { removed, ...(anchorRow && { anchor: { ...anchorRow, seq: Number(anchorRow.seq) } }) };
    }));
  }

  /** Whether the store answers (for a reader: the audit service). */
  async ping(): Promise<void> {
    await this.db.selectFrom('auditRecord').select('seq').limit(1).execute();
  }

  /**
   * Whether a record could be appended now, waiting at most `waitMs` for the lock: inserts a record after
   * the head and takes it back (the table's own triggers and constraints are tried), then commits a real
   * write of one row (a full disk or a read-only file fails here, which a read never would). A trail cut
   * behind what this store appended cannot be written to either (AuditTrailCut, as an append).
   */
  async probeWrite(waitMs: number): Promise<void> {
    const probeSqlite = this.probeSqlite;
    const last = this.lastAppended;
    this.refuseAfterCut();
    if (probeSqlite) return this.write(() => probeSqlite.immediate(last), waitMs).catch(this.rememberCut);
    await this.write(
      () =>
        this.db.transaction().execute(async (trx) => {
          if (this.kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
          const { base, problem } = await tailIn(trx, last);
          if (problem) throw new AuditTrailCut(problem);
          await sql`SAVEPOINT audit_probe`.execute(trx);
          await trx.insertInto('auditRecord').values(toRow(probeRecord(base))).execute();
          await sql`ROLLBACK TO SAVEPOINT audit_probe`.execute(trx);
          await trx.updateTable('auditSubjectRunProgress').set((eb) => ({ indexedTo: eb.ref('indexedTo') })).where('id', '=', 1).execute();
        }),
      waitMs,
    ).catch(this.rememberCut);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
