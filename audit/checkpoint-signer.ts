/**
 * Signed checkpoints (Ed25519): every so many records the chain's head is signed, so that rewriting the
 * chain from some record onwards — recomputing every later hash — still fails verification at the next
 * checkpoint, and a pruned trail stays verifiable from the checkpoint it starts at.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Checkpoint {
  seq: number;
  hash: string;
  time: string;
  signature: string;
}

export function checkpointMessage(seq: number, hash: string, time: string): Buffer {
  return Buffer.from(`govgraph-audit-checkpoint\n${seq}\n${hash}\n${time}`);
}

export interface CheckpointKeys {
  privateKey?: KeyObject;
  publicKey: KeyObject;
}

/** Reads the Ed25519 key (PEM, PKCS#8); in development creates it on first use. */
export function readCheckpointKeys(file: string, createIfMissing: boolean): CheckpointKeys {
  if (!existsSync(file)) {
    if (!createIfMissing) throw new Error(`Cannot read the audit checkpoint key at ${file}: start the gateway once, or set AUDIT_CHECKPOINT_KEY_FILE.`);
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(file));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export function signCheckpoint(keys: CheckpointKeys, seq: number, hash: string, time: string): Checkpoint {
  if (!keys.privateKey) throw new Error('no private key to sign audit checkpoints with');
  return { seq, hash, time, signature: sign(null, checkpointMessage(seq, hash, time), keys.privateKey).toString('base64') };
}

export function checkpointIsValid(keys: CheckpointKeys, checkpoint: Checkpoint): boolean {
  return verify(null, checkpointMessage(checkpoint.seq, checkpoint.hash, checkpoint.time), keys.publicKey, Buffer.from(checkpoint.signature, 'base64'));
}
