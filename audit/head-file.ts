/**
 * A gateway's kept head (THREATS F10, TRUST "whoever holds the audit database"): the last record it
 * appended, signed with the checkpoint key, kept outside the audit database. At start the gateway appends
 * only if the trail still holds that record with that hash; `audit verify --expect-head <file>` takes it as
 * an expected head. Written atomically (a temporary file renamed over it) after every group of records the
 * gateway appends, flushed to disk at each checkpoint and at its stop. A head file written by an older
 * gateway, which held the last checkpoint it signed, has the same form and is read alike.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Checkpoint } from './checkpoint-signer';

/** A head as `audit head` prints it and a head file holds it. */
export const signedHeadSchema = z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/), time: z.string().min(1), signature: z.string().min(1) }).strict();

/** The head kept in `file`, undefined when there is none yet (a gateway's first start); throws on an unreadable or malformed file. */
export function readHeadFile(file: string): Checkpoint | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read the kept audit head at ${file}.`);
  }
  let parsed: ReturnType<typeof signedHeadSchema.safeParse>;
  try {
    parsed = signedHeadSchema.safeParse(JSON.parse(text));
  } catch {
    throw new Error(`${file} is not JSON: give a head as npm run audit -- head prints it.`);
  }
  if (!parsed.success) throw new Error(`${file} is not a signed head (seq, hash, time, signature) as npm run audit -- head prints it.`);
  return parsed.data;
}

/**
 * Replaces the kept head: written to a temporary file beside it, then renamed over it. `flush` syncs the
 * file to disk before the rename; without it the head outlasts the process (a crash, a SIGKILL), not the
 * machine — as the SQLite trail's own commits do (WAL, synchronous = NORMAL).
 */
export async function writeHeadFile(file: string, head: Checkpoint, { flush }: { flush: boolean } = { flush: true }): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify({ seq: head.seq, hash: head.hash, time: head.time, signature: head.signature })}\n`);
      if (flush) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
