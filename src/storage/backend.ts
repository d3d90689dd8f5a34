// The backend contract: a revisioned key-value log, the part of etcd's model Kite needs. Every
// backend (embedded SQLite, real etcd) implements exactly this; the object semantics of Kubernetes'
// storage.Interface (resourceVersions, preconditions, guaranteedUpdate, continue tokens, watch
// events as objects) are written once on top of it, in store.ts.
//
// Semantics, identical for every backend (the conformance suite checks them):
// - One global revision, incremented by exactly one for every successful write (create, update,
//   delete). A failed compare-and-swap writes nothing and does not move the revision.
// - A key's modRevision is the revision of its last write; createRevision that of its creation.
// - Reads at an explicit revision see the store as it was right after that revision was written.
//   After compact(C), reads at a revision below C are refused with StorageError 'Expired' (reads at
//   C and later work, as in etcd); a revision above the current one is refused with
//   'TooLargeResourceVersion'.
// - After compact(C), a watch may start after revision C-1 or later (it sees the change made at C);
//   one starting earlier is refused with 'Expired', as etcd refuses it.
// - Keys compare as byte strings (UTF-8); lists are in ascending key order.
// - Values are opaque bytes.

/** One key as stored. */
export interface KeyValue {
  key: string;
  value: Uint8Array;
  createRevision: number;
  modRevision: number;
}

/** One change, in revision order, as a watch delivers it. */
export interface BackendEvent {
  type: 'put' | 'delete';
  key: string;
  /** The revision of this change. */
  revision: number;
  /** For put: true when the key did not exist before (etcd: createRevision == modRevision). */
  created: boolean;
  /** For put: the new value. */
  value?: Uint8Array;
  /** For an update or delete: the value before the change (etcd's prevKv). */
  prevValue?: Uint8Array;
  /** For an update or delete: the modRevision of the value before the change. */
  prevRevision?: number;
}

export interface BackendWatchHandler {
  /** Changes after the watch's start revision, in revision order, with no gap and no duplicate. */
  onEvents(events: BackendEvent[]): void;
  /** Every change up to and including `revision` that matches the watch has been delivered. */
  onProgress(revision: number): void;
  /** The watch ended with an error (e.g. 'Expired' when its start revision was compacted while
   *  the watch was catching up, or 'Unreachable'). No call follows. */
  onError(err: Error): void;
}

export interface BackendWatch {
  /** Ask for an onProgress call as soon as possible (etcd's WatchProgressRequest). */
  requestProgress(): void;
  /** Stop delivering; idempotent. */
  stop(): void;
}

export interface BackendWatchOptions {
  /** Deliver changes with revision > afterRevision. */
  afterRevision: number;
  /** true: every key that starts with `key`; false: exactly `key`. */
  prefix: boolean;
}

/** Result of a compare-and-swap write. On failure, `current` is the key as it is now (absent when
 *  the key does not exist), so a caller can retry without another read. */
export type WriteResult =
  | { ok: true; revision: number; prev?: KeyValue }
  | { ok: false; current?: KeyValue };

export interface ListResult {
  kvs: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** Keys in the range (from startKey, under prefix) at that revision, including those returned. */
  count: number;
}

export interface Backend {
  /** A short name: "sqlite", "etcd". */
  readonly name: string;

  /** The latest revision (a fresh store starts at 0 or 1: etcd's first revision is 1). */
  currentRevision(): Promise<number>;
  /** The key at `revision` (default latest), with the revision the read happened at. */
  get(key: string, revision?: number): Promise<{ kv?: KeyValue; revision: number }>;

  /** Keys starting with `prefix`, at `revision` (default latest), from `startKey` (inclusive,
   *  default `prefix`), at most `limit` of them (0 or absent: all). */
  list(prefix: string, options?: { revision?: number; startKey?: string; limit?: number }): Promise<ListResult>;

  /** Number of live keys starting with `prefix`. */
  count(prefix: string): Promise<number>;

  /** Write `value` at `key` if the key does not exist. */
  create(key: string, value: Uint8Array): Promise<WriteResult>;
  /** Write `value` at `key` if the key's modRevision is `expectedRevision`. */
  update(key: string, value: Uint8Array, expectedRevision: number): Promise<WriteResult>;
  /** Delete `key` if its modRevision is `expectedRevision`; `prev` is the deleted key. */
  delete(key: string, expectedRevision: number): Promise<WriteResult>;

  /** Watch `key` (or the prefix) for changes after `afterRevision`. Resolves once the watch is
   *  established, so no change after that point can be missed. Rejects with 'Expired' if
   *  history after `afterRevision` was compacted away (afterRevision < C - 1). */
  watch(key: string, options: BackendWatchOptions, handler: BackendWatchHandler): Promise<BackendWatch>;

  /** Drop history before `revision`, keeping the store as it was at `revision` and every change
   *  after it. Compacting to a revision at or below an earlier compaction is a no-op. */
  compact(revision: number): Promise<void>;

  /** Release everything; pending operations fail with 'Closed'. Idempotent. */
  close(): Promise<void>;
}

/** Largest value a backend accepts: etcd's default request limit (--max-request-bytes, 1.5 MiB). */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;
