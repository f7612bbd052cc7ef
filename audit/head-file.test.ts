import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpointKeys, signCheckpoint } from './checkpoint-signer';
import { openHeadKeeper, readHeadFile, writeHeadFile } from './head-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'head-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const keys = () => readCheckpointKeys(join(dir, 'checkpoint.pem'), true);
const head = (seq: number) => signCheckpoint(keys(), seq, 'a'.repeat(64), '2026-06-01T08:00:00.000Z');

test('a gateway started for the first time has no head: nothing to read', () => {
  expect(readHeadFile(join(dir, 'audit-head.json'))).toBeUndefined();
});

test('a head written, flushed or not, is read back as written, and replaces the one before without leaving a temporary file', async () => {
  const file = join(dir, 'keys', 'audit-head.json');
  await writeHeadFile(file, head(10));
  expect(readHeadFile(file)).toEqual(head(10));
  await writeHeadFile(file, head(13), { flush: false });
  expect(readHeadFile(file)).toEqual(head(13));
  expect(readdirSync(join(dir, 'keys'))).toEqual(['audit-head.json']);
});

test('a head as `audit head` prints it, or an older gateway kept (its last checkpoint), is read alike', () => {
  const file = join(dir, 'witness.json');
  writeFileSync(file, `${JSON.stringify(head(100), null, 2)}\n`);
  expect(readHeadFile(file)).toEqual(head(100));
});

test('a file that is not a signed head is refused with what to give instead', () => {
  const file = join(dir, 'audit-head.json');
  writeFileSync(file, 'seq=25');
  expect(() => readHeadFile(file)).toThrow(`${file} is not JSON: give a head as npm run audit -- head prints it.`);
  writeFileSync(file, JSON.stringify({ seq: 25, hash: 'a'.repeat(64) }));
  expect(() => readHeadFile(file)).toThrow(`${file} is not a signed head (seq, hash, time, signature) as npm run audit -- head prints it.`);
});

test('a head that cannot replace the file leaves it as it was, and no temporary file', async () => {
  const file = join(dir, 'audit-head.json');
  // A directory in the file's place: the rename fails.
  mkdirSync(join(file, 'inside'), { recursive: true });
  await expect(writeHeadFile(file, head(7), { flush: false })).rejects.toThrow();
  expect(readdirSync(dir).sort()).toEqual(['audit-head.json', 'checkpoint.pem']);
  expect(readdirSync(file)).toEqual(['inside']);
});

test('a keeper overwrites the head in place between flushes, each head covering the whole of the one before', async () => {
  const file = join(dir, 'keys', 'audit-head.json');
  const keeper = openHeadKeeper(file);
  await keeper.keep(head(1), { flush: false });
  expect(readHeadFile(file)).toEqual(head(1));
  const inode = statSync(file).ino;
  await keeper.keep(head(123456), { flush: false });
  await keeper.keep(head(9), { flush: false });
  expect(readHeadFile(file)).toEqual(head(9));
  expect(statSync(file)).toMatchObject({ ino: inode, size: 512 });
  // A flush replaces the file; later heads go into the new one.
  await keeper.keep(head(100), { flush: true });
  await keeper.keep(head(101), { flush: false });
  expect(readHeadFile(file)).toEqual(head(101));
  keeper.close();
  expect(readdirSync(join(dir, 'keys'))).toEqual(['audit-head.json']);
});
