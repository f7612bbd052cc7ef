/**
 * `npm run audit -- <command>` — the audit trail for auditors and operators:
 *   verify                            walk the chain and its signed checkpoints; exit 1 naming the first bad record
 *   export [--from ISO] [--to ISO]    records as JSON lines, oldest first
 *   prune  [--before ISO]             delete records older than that (default: keep 180 days), up to a checkpoint
 * The trail is the gateway's: AUDIT_DATABASE_URL, or AUDIT_SQLITE_FILE (default data/db/audit.sqlite);
 * the checkpoint key is AUDIT_CHECKPOINT_KEY_FILE (default data/keys/audit-checkpoint.pem).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AuditStore } from '../audit/audit-store';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { verifyChain } from '../audit/verify-chain';
import { scriptEnvironment } from './script-environment';

const USAGE = 'usage: npm run audit -- verify | export [--from ISO] [--to ISO] | prune [--before ISO]';
const RETENTION_DAYS = 180;

const environment = z.object({
  AUDIT_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//).optional(),
  AUDIT_SQLITE_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_KEY_FILE: z.string().min(1).optional(),
});

const isoTime = (value: string | undefined, flag: string): string | undefined => {
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value))) throw new Error(`--${flag} must be an ISO date or time, e.g. 2026-05-01 or 2026-05-01T08:00:00Z`);
  return new Date(value).toISOString();
};

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, before: { type: 'string' } },
  });
  const env = environment.parse(process.env);
  const dataDir = scriptEnvironment().dataDir;
  const store = await AuditStore.open(
    env.AUDIT_DATABASE_URL ? { kind: 'postgres', url: env.AUDIT_DATABASE_URL } : { kind: 'sqlite', file: resolve(env.AUDIT_SQLITE_FILE ?? resolve(dataDir, 'db', 'audit.sqlite')) },
  );
  const keys = readCheckpointKeys(resolve(env.AUDIT_CHECKPOINT_KEY_FILE ?? resolve(dataDir, 'keys', 'audit-checkpoint.pem')), false);
  try {
    switch (positionals[0]) {
      case 'verify': {
        const result = await verifyChain(store, keys);
        if (!result.ok) {
          process.stderr.write(`audit trail NOT verified: ${result.problem}\n`);
          return 1;
        }
        const last = result.lastCheckpoint ? `; last signed checkpoint at record ${result.lastCheckpoint.seq} (${result.lastCheckpoint.time})` : '';
        process.stdout.write(`audit trail verified: ${result.records} records, ${result.checkpoints} signed checkpoints${last}\n`);
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
        const before = isoTime(values.before, 'before') ?? new Date(Date.now() - RETENTION_DAYS * 86_400_000).toISOString();
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
