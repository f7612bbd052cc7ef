/**
 * What writes and checks the chain, none of it held by the database: the chain key (each record's hash is
 * an HMAC under it, so whoever holds only the database cannot rehash a chain they rewrote), the checkpoint
 * keys (Ed25519: the gateway signs with the private half, verifiers need only the public half), and the
 * interval at which a signed checkpoint must exist (so that removing one is seen).
 */
import type { CheckpointKeys } from './checkpoint-signer';
import { readHmacKey } from './subject-hasher';

export interface ChainKeys {
  chainKey: Buffer;
  checkpointKeys: CheckpointKeys;
  checkpointEvery: number;
}

/** Reads the chain key (hex, at least 32 bytes); in development creates it on first use. */
export function readChainKey(file: string, createIfMissing: boolean): Buffer {
  return readHmacKey(file, createIfMissing, 'AUDIT_CHAIN_KEY_FILE');
}
