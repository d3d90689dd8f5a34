// SqliteBackend: the Backend contract on one embedded SQLite file, owned by one process. Reads run
// synchronously on the connection and see committed state; writes go through the group committer;
// watches are served by the in-process hub fed right after each commit; compaction deletes history
// in chunks. Open with openSqliteBackend().
import type Database from 'better-sqlite3';
import type {
  Backend,
  BackendWatch,
  BackendWatchHandler,
  BackendWatchOptions,
  KeyValue,
  ListResult,
  WriteResult,
} from '../backend.js';
import { MAX_VALUE_BYTES } from '../backend.js';
import { StorageError, expired, tooLargeResourceVersion } from '../errors.js';
import { compactTo } from './compaction.js';
import { GroupCommitter, type GroupCommitStats } from './group-commit.js';
import { compareKeys, prefixEnd } from './keys.js';
import { rowToEvent, rowToKeyValue } from './rows.js';
import { type SynchronousMode, openDatabase } from './schema.js';
import { toStorageError } from './sqlite-errors.js';
import { type LogRow, Statements } from './statements.js';
import { WatchHub } from './watch-hub.js';
import { type WriteOp, applyWrite } from './write-ops.js';

export interface SqliteBackendOptions {
  /** The database file (its directory is created if missing), or ':memory:' for a throwaway store. */
  path: string;
  /** SQLite's synchronous pragma: 'full' (default) makes every acknowledged write survive power
   *  loss; 'normal' survives a process crash but may lose the last commits on power loss; 'off'
   *  leaves flushing to the OS. */
  synchronous?: SynchronousMode;
  /** How long to wait for another process's lock on the file before failing (default 0: fail at once). */
  lockTimeoutMs?: number;
}

export interface SqliteBackendStats extends GroupCommitStats {
  currentRevision: number;
  compactRevision: number;
  watchers: number;
}

export class SqliteBackend implements Backend {
  readonly name = 'sqlite';
  readonly path: string;
  private readonly db: Database.Database;
  private readonly stmts: Statements;
  private readonly committer: GroupCommitter;
  private readonly hub: WatchHub;
  private revision: number;
  private compacted: number;
  private closing: Promise<void> | undefined;

  /** Use openSqliteBackend(). */
  constructor(options: SqliteBackendOptions) {
    this.path = options.path;
    const opened = openDatabase(options.path, options.synchronous ?? 'full', options.lockTimeoutMs ?? 0);
    this.db = opened.db;
    this.revision = opened.currentRevision;
    this.compacted = opened.compactRevision;
    try {
      this.stmts = new Statements(this.db);
    } catch (err) {
      this.db.close();
      throw toStorageError(err, this.path);
    }
    const stmts = this.stmts;
    const tx = this.db.transaction((body: () => unknown) => body());
    this.committer = new GroupCommitter({
      transaction: <T>(body: () => T): T => tx(body) as T,
      currentRevision: () => this.revision,
      apply: (op, next) => applyWrite(stmts, op, next),
      committed: (revision, events) => {
        this.revision = revision;
        this.hub.publish(events);
      },
      mapError: (err, op) => toStorageError(err, this.path, op.key),
    });
    this.hub = new WatchHub({
      currentRevision: () => this.revision,
      compactRevision: () => this.compacted,
      rows: (key, prefix, after, upto, limit) => this.replayRows(key, prefix, after, upto, limit),
      toEvent: rowToEvent,
    });
  }

  /** Counters of the write path and the store's revisions (group commit is observable here: ops
   *  per transaction = ops / transactions). */
  stats(): SqliteBackendStats {
    return { ...this.committer.stats, currentRevision: this.revision, compactRevision: this.compacted, watchers: this.hub.size };
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async get(key: string, revision?: number): Promise<{ kv?: KeyValue; revision: number }> {
    this.checkOpen();
    const rev = this.readRevision(revision);
    const row = this.read(() => this.stmts.latestAt.get({ name: key, rev }), key);
    return row && row.deleted === 0 ? { kv: rowToKeyValue(row), revision: rev } : { revision: rev };
  }

  async list(prefix: string, options: { revision?: number; startKey?: string; limit?: number } = {}): Promise<ListResult> {
    this.checkOpen();
    const rev = this.readRevision(options.revision);
    const start = options.startKey !== undefined && compareKeys(options.startKey, prefix) > 0 ? options.startKey : prefix;
    const end = prefixEnd(prefix);
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : -1;
    return this.read(() => {
      const rows =
        end === undefined
          ? this.stmts.listUnbounded.all({ start, rev, limit })
          : this.stmts.listBounded.all({ start, end, rev, limit });
      const kvs = rows.map(rowToKeyValue);
      const count = limit > 0 && rows.length === limit ? this.countRange(start, end, rev) : kvs.length;
      return { kvs, revision: rev, count };
    });
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    return this.read(() => this.countRange(prefix, prefixEnd(prefix), this.revision));
  }

  create(key: string, value: Uint8Array): Promise<WriteResult> {
    return this.write({ kind: 'create', key, value });
  }

  update(key: string, value: Uint8Array, expectedRevision: number): Promise<WriteResult> {
    return this.write({ kind: 'update', key, value, expectedRevision });
  }

  delete(key: string, expectedRevision: number): Promise<WriteResult> {
    return this.write({ kind: 'delete', key, expectedRevision });
  }

  async watch(key: string, options: BackendWatchOptions, handler: BackendWatchHandler): Promise<BackendWatch> {
    this.checkOpen();
    return this.read(() => this.hub.watch(key, options, handler), key);
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision <= this.compacted) return;
    if (revision > this.revision) throw tooLargeResourceVersion(revision, this.revision);
    try {
      await compactTo(
        {
          db: this.db,
          stmts: this.stmts,
          open: () => this.closing === undefined,
          setCompactRevision: (r) => {
            this.compacted = Math.max(this.compacted, r);
          },
        },
        revision,
      );
    } catch (err) {
      throw toStorageError(err, this.path);
    }
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    const err = this.closedError();
    this.committer.failPending(err);
    this.hub.failAll(err);
    try {
      this.db.close();
    } catch {
      // Closing checkpoints the WAL; if that fails (e.g. a full disk) the WAL stays and is
      // recovered on the next open, so nothing is lost.
    }
    this.closing = Promise.resolve();
    return this.closing;
  }

  private write(op: WriteOp): Promise<WriteResult> {
    if (this.closing) return Promise.reject(this.closedError());
    if (op.kind !== 'delete') {
      if (op.value.byteLength > MAX_VALUE_BYTES) {
        return Promise.reject(
          new StorageError(
            'RequestTooLarge',
            `value of ${op.value.byteLength} bytes for ${op.key} is over the limit of ${MAX_VALUE_BYTES} bytes`,
            op.key,
          ),
        );
      }
      op.value = new Uint8Array(op.value); // a copy: the caller may reuse its buffer (Buffer#slice would not copy)
    }
    return this.committer.submit(op);
  }

  private replayRows(key: string, prefix: boolean, after: number, upto: number, limit: number): LogRow[] {
    if (!prefix) return this.stmts.rowsOfKey.all({ name: key, after, upto, limit });
    const end = prefixEnd(key);
    return end === undefined
      ? this.stmts.rowsUnbounded.all({ start: key, after, upto, limit })
      : this.stmts.rowsBounded.all({ start: key, end, after, upto, limit });
  }

  private countRange(start: string, end: string | undefined, rev: number): number {
    const row = end === undefined ? this.stmts.countUnbounded.get({ start, rev }) : this.stmts.countBounded.get({ start, end, rev });
    return row?.n ?? 0;
  }

  /** The revision a read happens at: latest when absent or 0. */
  private readRevision(revision: number | undefined): number {
    if (revision === undefined || revision === 0) return this.revision;
    if (revision < this.compacted) throw expired(revision, this.compacted);
    if (revision > this.revision) throw tooLargeResourceVersion(revision, this.revision);
    return revision;
  }

  private read<T>(body: () => T, key?: string): T {
    try {
      return body();
    } catch (err) {
      throw toStorageError(err, this.path, key);
    }
  }

  private checkOpen(): void {
    if (this.closing) throw this.closedError();
  }

  private closedError(): StorageError {
    return new StorageError('Closed', `the sqlite store ${this.path} is closed`);
  }
}

/** Open (creating if needed) the Kite store at `options.path`. Synchronous; throws StorageError
 *  'Corrupt' (not a SQLite file, a corrupt file, or a foreign SQLite database), 'NoSpace' (disk
 *  full) or 'Internal' (e.g. another process holds the file). */
export const openSqliteBackend = (options: SqliteBackendOptions): SqliteBackend => new SqliteBackend(options);
