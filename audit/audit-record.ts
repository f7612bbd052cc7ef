/**
 * One audit record per request (MLPS 2.0 level 3 §8.1.4.3 security audit; PIPL art. 6): who asked, for
 * which purpose and case, what the operation read, whose data it touched (as keyed HMACs, never raw),
 * what was decided by which rule, and how it ended. Each record carries the previous record's hash.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export const AUDIT_DECISIONS = ['PERMIT', 'PARTIAL', 'DENY', 'UNAUTHENTICATED', 'INVALID'] as const;
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/** A field released masked, and the mask its grant applies. */
export interface MaskedField {
  field: string;
  mask: string;
}

/** A field (or argument) the gate refused, with the error code the app got and the gate's reason. */
export interface FieldRefusal {
  field: string;
  code: string;
  reason: string;
}

/** What the gateway knows of a request when it is about to answer. */
export interface AuditEntry {
  time: string;
  requestId: string;
  /**
   * The request that caused this one, for the platform's own reads (a case lookup, a department's prefill)
   * and a mutation's outcome; absent on a request's own record. Absent rather than null, so records
   * written before the field existed hash as they did.
   */
  parentRequestId?: string;
  app: string | null;
  /** HMAC of the operator (an operator may be a citizen's ID number). */
  operator: string | null;
  region: string | null;
  purpose: string | null;
  caseId: string | null;
  operationName: string | null;
  operationHash: string | null;
  /** Field coordinates the operation read (or asked for, when denied). */
  fields: string[];
  /** HMACs of the data subjects (ID numbers, credit codes) whose data was released. */
  subjects: string[];
  decision: AuditDecision;
  /** The rule that decided: the contract and purpose that permitted, or the first denial. */
  rule: string;
  /** `pending`: a mutation's intent, written before any department is called; its outcome follows as a child. */
  outcome: 'ok' | 'error' | 'pending';
  errorCodes: string[];
  latencyMs: number;
  /**
   * The fields released masked, and the fields refused with why. Absent (not empty) on records written
   * before the gateway recorded them, so those hash as they did and read as "not recorded".
   */
  masked?: MaskedField[];
  refused?: FieldRefusal[];
  /** The software the app sent the request with, as it named itself (apollographql-client-name); absent when unnamed. */
  client?: string;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of a record: HMAC-SHA256 under the chain key over the previous hash and the canonical JSON of
 * the entry and its place. The key is kept outside the database, so whoever holds only the database
 * cannot rehash a chain they rewrote.
 */
export function recordHash(chainKey: Buffer, seq: number, prevHash: string, entry: AuditEntry): string {
  return createHmac('sha256', chainKey).update(`${prevHash}\n${seq}\n${canonicalJson(entry)}`).digest('hex');
}

export function entryOf(record: AuditRecord): AuditEntry {
  const { seq: _seq, prevHash: _prev, hash: _hash, ...entry } = record;
  return entry;
}
