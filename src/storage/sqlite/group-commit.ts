// Group commit: writes queued during one event-loop turn are applied in one SQLite transaction,
// flushed from setImmediate, so one durable commit (one WAL fsync) carries every write of the
// batch. Each op is checked in queue order inside the transaction; every op's promise settles only
// after the transaction committed (or failed: then every op of the batch rejects, none is visible).
import type { BackendEvent, WriteResult } from '../backend.js';
import type { AppliedWrite, WriteOp } from './write-ops.js';

interface Pending {
  op: WriteOp;
  resolve: (result: WriteResult) => void;
  reject: (err: Error) => void;
}

export interface GroupCommitStats {
  /** Transactions committed or attempted with at least one op. */
  transactions: number;
  /** Ops that went through a transaction (successful or failed CAS alike). */
  ops: number;
  /** The largest number of ops in one transaction. */
  largestBatch: number;
  /** Transactions that failed (their ops rejected). */
  failedTransactions: number;
}

export interface GroupCommitHooks {
  /** Run `body` as one transaction; throw to roll it back. */
  transaction<T>(body: () => T): T;
  /** The revision of the last committed write. */
  currentRevision(): number;
  /** Apply one op as `nextRevision` inside the transaction. */
  apply(op: WriteOp, nextRevision: number): AppliedWrite;
  /** Called synchronously after a commit, before any op's promise settles. */
  committed(revision: number, events: BackendEvent[]): void;
  /** Turn a transaction failure into the error each op rejects with. */
  mapError(err: unknown, op: WriteOp): Error;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  readonly stats: GroupCommitStats = { transactions: 0, ops: 0, largestBatch: 0, failedTransactions: 0 };

  constructor(private readonly hooks: GroupCommitHooks) {}

  submit(op: WriteOp): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Reject every queued op with `err` (used on close). */
  failPending(err: Error): void {
    const pending = this.queue;
    this.queue = [];
    for (const p of pending) p.reject(err);
  }

  /** Apply every queued op now, in one transaction. */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.stats.transactions++;
    this.stats.ops += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    let applied: AppliedWrite[];
    let revision: number;
    try {
      ({ applied, revision } = this.hooks.transaction(() => {
        let rev = this.hooks.currentRevision();
        const out: AppliedWrite[] = [];
        for (const p of batch) {
          const a = this.hooks.apply(p.op, rev + 1);
          if (a.result.ok) rev++;
          out.push(a);
        }
        return { applied: out, revision: rev };
      }));
    } catch (err) {
      this.stats.failedTransactions++;
      for (const p of batch) p.reject(this.hooks.mapError(err, p.op));
      return;
    }
    const events: BackendEvent[] = [];
    for (const a of applied) if (a.event) events.push(a.event);
    this.hooks.committed(revision, events);
    for (let i = 0; i < batch.length; i++) batch[i]?.resolve(applied[i]?.result ?? { ok: false });
  }
}
