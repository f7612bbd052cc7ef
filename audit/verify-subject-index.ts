/**
 * The subject index is derived data outside the keyed chain: whoever holds the audit database could delete
 * a subject's runs (or move the progress mark past the head) and so hide records from that citizen's
 * "who read my data" view while every record still verifies. `audit verify` therefore follows the runs
 * beside the chain and requires each record the index claims to cover to be reachable, for each of its
 * subjects, through a run of that subject. Runs that lead to extra records are harmless: a search keeps
 * only the records that name the subject.
 */
import type { AuditRecord } from './audit-record';
import type { AuditStore } from './audit-store';

export interface IndexProblem {
  seq: number;
  problem: string;
}

export class SubjectIndexCheck {
  /** For each subject, the furthest record a run of it that has started reaches. */
  private readonly reach = new Map<string, number>();
  /** Runs starting at or before this record have been read (none yet: a prune may leave runs starting before the trail). */
  private readTo = Number.MIN_SAFE_INTEGER;

  private constructor(
    private readonly store: AuditStore,
    /** Read before the records, so every record up to here had its runs written when they are read. */
    readonly indexedTo: number,
  ) {}

  static async start(store: AuditStore): Promise<SubjectIndexCheck> {
    return new SubjectIndexCheck(store, await store.subjectIndexedTo());
  }

  /** Checks a page of records, in chain order, that follows the pages already checked. */
  async page(records: readonly AuditRecord[]): Promise<IndexProblem | undefined> {
    const covered = records.filter((record) => record.seq <= this.indexedTo);
    if (covered.length === 0) return undefined;
    const upTo = covered.at(-1)!.seq;
    const runs = await this.store.subjectRunsStarting(this.readTo, upTo);
    this.readTo = upTo;
    let started = 0;
    for (const record of covered) {
      // Only runs that have started by this record may lead to it.
      for (; started < runs.length && runs[started]!.fromSeq <= record.seq; started++) {
        const run = runs[started]!;
        this.reach.set(run.subject, Math.max(run.toSeq, this.reach.get(run.subject) ?? 0));
      }
      if (record.subjects.some((subject) => (this.reach.get(subject) ?? 0) < record.seq)) {
        return { seq: record.seq, problem: `record ${record.seq} is no longer found by the subject index (its runs were removed or changed): a data subject's access log would not show it` };
      }
    }
    // A run that ended by now leads to no later record: memory stays bounded by the runs still open.
    for (const [subject, to] of this.reach) if (to <= upTo) this.reach.delete(subject);
    return undefined;
  }

  /** After the last page: the index may not claim records beyond the trail's end (they would never be indexed). */
  end(lastSeq: number): IndexProblem | undefined {
    if (this.indexedTo <= lastSeq) return undefined;
    return { seq: lastSeq + 1, problem: `the subject index claims records up to ${this.indexedTo}, beyond the trail's last record ${lastSeq}: records written there would never be indexed` };
  }
}
