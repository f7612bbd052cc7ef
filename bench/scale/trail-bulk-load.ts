/**
 * Fills an audit trail with millions of records faster than the gateway's append would: the same chained
 * hashes and signed checkpoints (so `audit verify` accepts the result), written in large transactions —
 * SQLite through one prepared statement with syncing off for the load, PostgreSQL through `unnest` of
 * column arrays, thousands of rows a statement. The subject index is then built by the store's own
 * `indexSubjects`. The gateway's append path is measured separately, on the filled trail.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { GENESIS_HASH, recordHash, type AuditEntry, type AuditRecord } from '../../audit/audit-record';
import type { AuditLocation } from '../../audit/audit-database';
import { toRow, type AuditStore } from '../../audit/audit-store';
import type { ChainKeys } from '../../audit/chain-keys';
import { signCheckpoint, type Checkpoint } from '../../audit/checkpoint-signer';

const COLUMNS = ['seq', 'time', 'requestId', 'parentRequestId', 'app', 'operator', 'region', 'purpose', 'caseId', 'operationName', 'operationHash', 'fields', 'subjects', 'decision', 'rule', 'outcome', 'errorCodes', 'latencyMs', 'prevHash', 'hash'] as const;
/** PostgreSQL's type of each column, for `unnest`. */
const PG_TYPES: Record<(typeof COLUMNS)[number], string> = {
  seq: 'bigint', time: 'varchar', requestId: 'varchar', parentRequestId: 'varchar', app: 'varchar', operator: 'varchar', region: 'varchar', purpose: 'varchar', caseId: 'varchar',
  operationName: 'varchar', operationHash: 'varchar', fields: 'text', subjects: 'text', decision: 'varchar', rule: 'text', outcome: 'varchar', errorCodes: 'text', latencyMs: 'float8', prevHash: 'varchar', hash: 'varchar',
};

/** Records and checkpoints of one batch, ready to write. */
export interface ChainBatch {
  records: AuditRecord[];
  checkpoints: Checkpoint[];
}

/** Chains entries after a head, as the store's append does, signing a checkpoint every `checkpointEvery` records. */
export class ChainBuilder {
  private seq = 0;
  private prevHash = GENESIS_HASH;

  constructor(private readonly chain: ChainKeys) {}

  next(entries: readonly AuditEntry[]): ChainBatch {
    const records: AuditRecord[] = [];
    const checkpoints: Checkpoint[] = [];
    for (const entry of entries) {
      this.seq += 1;
      const record: AuditRecord = { ...entry, seq: this.seq, prevHash: this.prevHash, hash: recordHash(this.chain.chainKey, this.seq, this.prevHash, entry) };
      this.prevHash = record.hash;
      records.push(record);
      if (record.seq % this.chain.checkpointEvery === 0) checkpoints.push(signCheckpoint(this.chain.checkpointKeys, record.seq, record.hash, record.time));
    }
    return { records, checkpoints };
  }
}

export interface BulkWriter {
  write(batch: ChainBatch): Promise<void>;
  close(): Promise<void>;
}

function sqliteWriter(file: string): BulkWriter {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // A load that fails is thrown away and made again: no need to sync each transaction.
  sqlite.pragma('synchronous = OFF');
  const insert = sqlite.prepare(`INSERT INTO "auditRecord" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
  const checkpoint = sqlite.prepare('INSERT INTO "auditCheckpoint" ("seq", "hash", "time", "signature") VALUES (@seq, @hash, @time, @signature)');
  const writeBatch = sqlite.transaction((batch: ChainBatch) => {
    for (const record of batch.records) insert.run(toRow(record));
    for (const c of batch.checkpoints) checkpoint.run(c);
  });
  return {
    write: async (batch) => writeBatch(batch),
    close: async () => {
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.close();
    },
  };
}

async function postgresWriter(url: string): Promise<BulkWriter> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const records = `INSERT INTO "auditRecord" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPES[c]}[]`).join(', ')})`;
  const checkpoints = 'INSERT INTO "auditCheckpoint" ("seq", "hash", "time", "signature") SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::varchar[], $4::text[])';
  return {
    write: async (batch) => {
      const rows = batch.records.map(toRow);
      await client.query('BEGIN');
      await client.query(records, COLUMNS.map((column) => rows.map((row) => row[column])));
      if (batch.checkpoints.length > 0) {
        await client.query(checkpoints, [batch.checkpoints.map((c) => c.seq), batch.checkpoints.map((c) => c.hash), batch.checkpoints.map((c) => c.time), batch.checkpoints.map((c) => c.signature)]);
      }
      await client.query('COMMIT');
    },
    close: () => client.end(),
  };
}

/** A bulk writer into a trail whose tables exist (the store has migrated it). */
export function bulkWriter(location: AuditLocation): Promise<BulkWriter> {
  return location.kind === 'sqlite' ? Promise.resolve(sqliteWriter(location.file)) : postgresWriter(location.url);
}

/** Builds the subject index of every record not yet indexed, through the store's own indexer. */
export async function indexAll(store: AuditStore, batch = 20_000): Promise<void> {
  while ((await store.indexSubjects(batch)) > 0);
}
