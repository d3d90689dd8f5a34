// The store contract the API server uses: Kubernetes' storage.Interface for Kite. Objects in,
// objects out; resourceVersion is the backend's revision as an opaque string. Implemented once, by
// ObjectStore (store.ts), over any Backend.

import type { KubeObject } from '../api/object.js';

/** Conditions a delete or update must meet, as metav1.Preconditions. */
export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export type ResourceVersionMatch = 'NotOlderThan' | 'Exact';

export interface GetOptions {
  /** "" (latest), "0" (any), or N: not older than N. */
  resourceVersion?: string;
}

export interface ListOptions<T> {
  /** "" or absent: latest; "0": any; N: per resourceVersionMatch (default NotOlderThan). */
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  /** Page size; 0 or absent: everything. */
  limit?: number;
  /** The continue token of the previous page. */
  continue?: string;
  /** Only objects for which this holds are returned (limit counts matching objects). */
  predicate?: (obj: T) => boolean;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  /** Present when more objects follow; pass it back as ListOptions.continue. */
  continue?: string;
  /** How many objects follow this page (only when no predicate filters them). */
  remainingItemCount?: number;
}

export interface DeleteOptions<T> {
  preconditions?: Preconditions;
  /** Runs against the current object before it is deleted; throw to refuse the delete. */
  validateDeletion?: (current: T) => void | Promise<void>;
}

export interface UpdateOptions {
  preconditions?: Preconditions;
}

export interface WatchOptions<T> {
  /** "" or "0": the current state as ADDED events, then changes; N: changes after N. */
  resourceVersion?: string;
  /** true (default for keys ending in "/"): every key under the prefix. */
  recursive?: boolean;
  /** Only events for objects for which this holds; an object that stops matching is DELETED. */
  predicate?: (obj: T) => boolean;
  /** Emit PROGRESS events (for bookmarks) every progressIntervalMs of the store. */
  progressNotify?: boolean;
}

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T; prevObject?: T; revision: number }
  | { type: 'PROGRESS'; revision: number };

/** An open watch: iterate it for events; iteration throws the error that ended it, if any. */
export interface WatchStream<T> extends AsyncIterable<WatchEvent<T>> {
  /** Asks for a PROGRESS event as soon as possible. */
  requestProgress(): void;
  /** Ends the watch; iteration finishes. Idempotent. */
  stop(): void;
}

export type TryUpdate<T> = (current: T) => T | Promise<T>;

export interface Store {
  /** Stores a new object; fails with KeyExists. Returns it with its resourceVersion. */
  create<T extends KubeObject>(key: string, obj: T): Promise<T>;
  /** Fails with KeyNotFound. */
  get<T extends KubeObject>(key: string, options?: GetOptions): Promise<T>;
  list<T extends KubeObject>(prefix: string, options?: ListOptions<T>): Promise<ListResult<T>>;
  count(prefix: string): Promise<number>;
  /** Deletes the object and returns it as it was; fails with KeyNotFound or InvalidObj (a
   *  precondition). Retries on concurrent change, re-checking preconditions and validation. */
  delete<T extends KubeObject>(key: string, options?: DeleteOptions<T>): Promise<T>;
  /** Read-modify-write with compare-and-swap, retried on conflict. tryUpdate may throw to abort;
   *  returning an unchanged object writes nothing. Fails with KeyNotFound unless `create` is given,
   *  in which case a missing key is created from create(). */
  guaranteedUpdate<T extends KubeObject>(
    key: string,
    tryUpdate: TryUpdate<T>,
    options?: UpdateOptions & { create?: () => T | Promise<T> },
  ): Promise<T>;
  watch<T extends KubeObject>(key: string, options?: WatchOptions<T>): Promise<WatchStream<T>>;
  /** The store's latest revision, as a resourceVersion. */
  currentResourceVersion(): Promise<string>;
  close(): Promise<void>;
}
