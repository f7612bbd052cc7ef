/**
 * A gateway's kept head (THREATS F10, TRUST "whoever holds the audit database"): the last record it
 * appended, signed with the checkpoint key, kept outside the audit database. At start the gateway appends
 * only if the trail still holds that record with that hash; `audit verify --expect-head <file>` takes it as
 * an expected head. Kept by a `HeadKeeper`: overwritten in place after every group of records the gateway
 * appends, replaced atomically and flushed to disk at each checkpoint and at its stop. A head file written
 * by an older gateway, which held the last checkpoint it signed, has the same form and is read alike.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
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
      await handle.writeFile(paddedHead(head));
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

/**
 * Every head is written as this many bytes (the JSON padded with spaces), so one in place always covers the
 * whole of the one before, in one write within one disk sector.
 */
const HEAD_BYTES = 512;

function paddedHead(head: Checkpoint): Buffer {
  const text = JSON.stringify({ seq: head.seq, hash: head.hash, time: head.time, signature: head.signature });
  if (text.length >= HEAD_BYTES) throw new Error(`an audit head takes more than ${HEAD_BYTES} bytes`);
  return Buffer.from(`${text.padEnd(HEAD_BYTES - 1)}\n`);
}

/** A gateway's head file, kept open between the heads it is given. */
export interface HeadKeeper {
  /**
   * Keeps `head`. Without `flush`, overwrites the file in place with one write (a few microseconds, on the
   * append's path): it outlasts the process — a crash, a SIGKILL — not the machine, as the SQLite trail's
   * own commits do (WAL, synchronous = NORMAL). With `flush`, replaces the file atomically and syncs it.
   */
  keep(head: Checkpoint, options: { flush: boolean }): Promise<void>;
  close(): void;
}

export function openHeadKeeper(file: string): HeadKeeper {
  let descriptor: number | undefined;
  const release = () => {
    if (descriptor !== undefined) closeSync(descriptor);
    descriptor = undefined;
  };
  return {
    async keep(head, { flush }) {
      if (flush || descriptor === undefined) {
        release();
        await writeHeadFile(file, head, { flush: true });
        // The rename put a new file in the old one's place: later heads go into it.
        descriptor = openSync(file, 'r+');
        return;
      }
      writeSync(descriptor, paddedHead(head), 0, HEAD_BYTES, 0);
    },
    close: release,
  };
}
