/**
 * `npm run audit -- <command>` — the audit trail for auditors and operators:
 *   verify [--expect-head FILE …]     walk the chain and its signed checkpoints; exit 1 naming the first bad record,
 *                                     when the trail was pruned within the retention period, or when it no longer
 *                                     holds a head kept in a FILE (a witness's, or a gateway's AUDIT_HEAD_FILE)
 *   head                              sign the current head and print it (JSON), for a witness to keep elsewhere
 *   export [--from ISO] [--to ISO]    records as JSON lines, oldest first
 *   prune  [--before ISO]             delete records older than that, up to a checkpoint; refused within the
 *                                     retention period, AUDIT_RETENTION_DAYS (default 180), which is also the default;
 *                                     on PostgreSQL as the trail's owner, AUDIT_ADMIN_DATABASE_URL when it is set
 *   migrate                           create or upgrade the trail's schema; on PostgreSQL as its owner,
 *                                     AUDIT_ADMIN_DATABASE_URL, granting AUDIT_DATABASE_URL's role append and read only
 *   access-log <department> [--from ISO] [--to ISO] [--decision D] [--request-id ID] [--with-trail]
 *                                     the department's own access log, read-only from its database, as JSON lines
 *                                     oldest first; --with-trail adds whether the trail holds each line's request
 * The trail is the gateway's: AUDIT_DATABASE_URL, or AUDIT_SQLITE_FILE (default data/db/audit.sqlite);
 * its keys are AUDIT_CHAIN_KEY_FILE (default data/keys/audit-chain.key) and AUDIT_CHECKPOINT_KEY_FILE
 * (default data/keys/audit-checkpoint.pem), its checkpoint interval AUDIT_CHECKPOINT_EVERY (default 100),
 * its retention period AUDIT_RETENTION_DAYS.
 * A department's database is the launcher's: <DEPARTMENT>_DATABASE_URL, else DATA_DIR/db/<department>.sqlite.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AuditStore } from '../audit/audit-store';
import { readChainKey, type ChainKeys } from '../audit/chain-keys';
import { readCheckpointKeys, type Checkpoint } from '../audit/checkpoint-signer';
import { readHeadFile } from '../audit/head-file';
import { DEFAULT_RETENTION_DAYS, verifyChain, type VerifiedChain } from '../audit/verify-chain';
import { migratePostgresTrail } from './audit-migrate';
import { accessLogDecision, printAccessLog } from './department-access-log';
import { scriptEnvironment } from './script-environment';

const USAGE =
  'usage: npm run audit -- verify [--expect-head FILE …] | head | export [--from ISO] [--to ISO] | prune [--before ISO] | migrate\n' +
  '       | access-log <department> [--from ISO] [--to ISO] [--decision D] [--request-id ID] [--with-trail]';

const environment = z.object({
  AUDIT_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//).optional(),
  /** The trail's owner, for migrate and prune: the gateway's role (AUDIT_DATABASE_URL) may do neither. */
  AUDIT_ADMIN_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//).optional(),
  AUDIT_SQLITE_FILE: z.string().min(1).optional(),
  AUDIT_CHAIN_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(100000).default(100),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(DEFAULT_RETENTION_DAYS),
});

function readExpectedHead(file: string): Checkpoint {
  const head = readHeadFile(file);
  if (!head) throw new Error(`Cannot read the expected head at ${file}.`);
  return head;
}

function describeVerified(result: VerifiedChain): string {
  const head = result.lastCheckpoint ? `; signed head at record ${result.lastCheckpoint.seq} (${result.lastCheckpoint.time})` : '';
  return `audit trail verified: ${result.records} records, ${result.checkpoints} signed checkpoints${head}\n`;
}

const isoTime = (value: string | undefined, flag: string): string | undefined => {
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value))) throw new Error(`--${flag} must be an ISO date or time, e.g. 2026-05-01 or 2026-05-01T08:00:00Z`);
  return new Date(value).toISOString();
};

type Environment = z.infer<typeof environment>;

/**
 * The gateway's trail; `mustExist` for a reader that would otherwise judge against an empty, new trail;
 * `asOwner` for what only the trail's owner may do.
 */
function openTrail(env: Environment, dataDir: string, mustExist: boolean, asOwner = false): Promise<AuditStore> {
  const url = (asOwner && env.AUDIT_ADMIN_DATABASE_URL) || env.AUDIT_DATABASE_URL;
  if (url) return AuditStore.open({ kind: 'postgres', url });
  const file = resolve(env.AUDIT_SQLITE_FILE ?? resolve(dataDir, 'db', 'audit.sqlite'));
  if (mustExist && !existsSync(file)) throw new Error(`there is no audit trail at ${file}`);
  return AuditStore.open({ kind: 'sqlite', file });
}

interface AccessLogFlags {
  from?: string;
  to?: string;
  decision?: string;
  requestId?: string;
  withTrail: boolean;
}

async function accessLog(env: Environment, department: string | undefined, flags: AccessLogFlags): Promise<number> {
  if (department === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const filter = { from: isoTime(flags.from, 'from'), to: isoTime(flags.to, 'to'), decision: accessLogDecision(flags.decision), requestId: flags.requestId };
  const scripts = scriptEnvironment();
  const trail = flags.withTrail ? await openTrail(env, scripts.dataDir, true) : undefined;
  try {
    const { beforeTrail } = await printAccessLog(scripts, department, filter, trail, (text) => process.stdout.write(text));
    if (beforeTrail > 0) process.stderr.write(`warning: ${beforeTrail} lines are older than the oldest record the pruned trail keeps: their inTrail false proves nothing\n`);
    return 0;
  } finally {
    await trail?.close();
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      before: { type: 'string' },
      'expect-head': { type: 'string', multiple: true },
      decision: { type: 'string' },
      'request-id': { type: 'string' },
      'with-trail': { type: 'boolean' },
    },
  });
  const env = environment.parse(process.env);
  if (positionals[0] === 'access-log') {
    const { from, to, decision, 'request-id': requestId } = values;
    return accessLog(env, positionals[1], { from, to, decision, requestId, withTrail: values['with-trail'] === true });
  }
  const dataDir = scriptEnvironment().dataDir;
  if (positionals[0] === 'migrate') {
    const ownerUrl = env.AUDIT_ADMIN_DATABASE_URL ?? env.AUDIT_DATABASE_URL;
    // SQLite: opening the store migrates it.
    if (!ownerUrl) await (await openTrail(env, dataDir, false)).close();
    process.stdout.write(`${ownerUrl ? await migratePostgresTrail(ownerUrl, env.AUDIT_DATABASE_URL) : 'audit trail migrated'}\n`);
    return 0;
  }
  const store = await openTrail(env, dataDir, false, positionals[0] === 'prune');
  const keys: ChainKeys = {
    chainKey: readChainKey(resolve(env.AUDIT_CHAIN_KEY_FILE ?? resolve(dataDir, 'keys', 'audit-chain.key')), false),
    checkpointKeys: readCheckpointKeys(resolve(env.AUDIT_CHECKPOINT_KEY_FILE ?? resolve(dataDir, 'keys', 'audit-checkpoint.pem')), false),
    checkpointEvery: env.AUDIT_CHECKPOINT_EVERY,
  };
  try {
    switch (positionals[0]) {
      case 'verify': {
        const expected = (values['expect-head'] ?? []).map(readExpectedHead);
        const result = await verifyChain(store, keys, { expectHeads: expected, retentionDays: env.AUDIT_RETENTION_DAYS });
        if (!result.ok) {
          process.stderr.write(`audit trail NOT verified: ${result.problem}\n`);
          return 1;
        }
        process.stdout.write(describeVerified(result));
        for (const head of expected) process.stdout.write(`the expected head (record ${head.seq}) is in the trail: nothing up to it was removed or changed\n`);
        if (result.unsignedRecords > 0) {
          process.stderr.write(
            `warning: the last ${result.unsignedRecords} records (to record ${result.lastSeq}) come after the signed head: the gateway is running, ` +
              'or stopped without signing its head, or records were removed together with a newer head; compare with heads kept elsewhere (--expect-head)\n',
          );
        }
        return 0;
      }
      case 'head': {
        const head = await store.checkpointHead(keys.checkpointKeys);
        if (!head) {
          process.stderr.write('the audit trail is empty: there is no head to sign\n');
          return 1;
        }
        process.stdout.write(`${JSON.stringify({ seq: head.seq, hash: head.hash, time: head.time, signature: head.signature })}\n`);
        return 0;
      }
      case 'export': {
        const from = isoTime(values.from, 'from');
        const to = isoTime(values.to, 'to');
        let last = 0;
        for (let page = await store.recordsAfter(0, 1000); page.length > 0; page = await store.recordsAfter(last, 1000)) {
          const lines = page.filter((r) => (!from || r.time >= from) && (!to || r.time <= to)).map((r) => JSON.stringify(r));
          if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
          last = page[page.length - 1]!.seq;
        }
        return 0;
      }
      case 'prune': {
        const keptSince = new Date(Date.now() - env.AUDIT_RETENTION_DAYS * 86_400_000).toISOString();
        const before = isoTime(values.before, 'before') ?? keptSince;
        if (before > keptSince) {
          process.stderr.write(`nothing pruned: ${before} is within the retention period (AUDIT_RETENTION_DAYS=${env.AUDIT_RETENTION_DAYS}): records since ${keptSince} are kept\n`);
          return 1;
        }
        const { removed, anchor } = await store.prune(before);
        process.stdout.write(anchor ? `pruned ${removed} records older than ${before}; the trail now starts after the checkpoint at record ${anchor.seq}\n` : `nothing to prune: no signed checkpoint older than ${before}\n`);
        return 0;
      }
      default:
        process.stderr.write(`${USAGE}\n`);
        return 1;
    }
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
