// Compaction: dropping history before a revision C while keeping the store as it was at C and every
// change after it. A row below C goes when it is a tombstone or when a later row at or below C
// supersedes it; the rest stays. The compacted revision is recorded first (in kite_meta, and in
// memory so reads below C are refused at once), then rows are deleted in revision chunks, one
// transaction each, yielding to the event loop between chunks so writes are not held up.
import type Database from 'better-sqlite3';
import type { Statements } from './statements.js';

/** Revisions covered by one delete transaction. */
const CHUNK = 10_000;

export interface CompactionTarget {
  db: Database.Database;
  stmts: Statements;
  /** Still open? Checked between chunks. */
  open(): boolean;
  setCompactRevision(revision: number): void;
}

/** Record `revision` as compacted and delete the rows it makes unreachable. Resolves with the
 *  number of rows deleted. The caller has checked compactRevision < revision <= current. */
export const compactTo = async (t: CompactionTarget, revision: number): Promise<number> => {
  t.db.transaction(() => t.stmts.setMeta.run({ key: 'compact_revision', value: revision }))();
  t.setCompactRevision(revision);
  let deleted = 0;
  let lo = t.stmts.minId.get()?.id ?? revision;
  while (lo < revision && t.open()) {
    const hi = Math.min(lo + CHUNK, revision);
    const bounds = { lo, hi, rev: revision };
    deleted += t.db.transaction(() => t.stmts.compactRange.run(bounds).changes)();
    lo = hi;
    if (lo < revision) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return deleted;
};
