// The storage layer's errors: one class with a code per failure kind (the codes of Kubernetes'
// storage.StorageError, plus the faults Kite names), so callers branch on codes, never on messages.
// The API server maps each code onto a Kubernetes Status.

export type StorageErrorCode =
  /** The key does not exist (404). */
  | 'KeyNotFound'
  /** create of a key that exists (409 AlreadyExists). */
  | 'KeyExists'
  /** A compare-and-swap lost: the key changed since it was read (409 Conflict). */
  | 'ResourceVersionConflicts'
  /** A precondition (uid, resourceVersion) does not hold, or the object cannot be decoded (409). */
  | 'InvalidObj'
  /** The requested revision was compacted away (410 Gone / Expired). */
  | 'Expired'
  /** The requested revision is newer than the store has (504 in Kubernetes: "Too large resource version"). */
  | 'TooLargeResourceVersion'
  /** The value is over the store's size limit (etcd's 1.5 MiB request limit; 413). */
  | 'RequestTooLarge'
  /** The backend cannot be reached (etcd down, connection refused; 503). */
  | 'Unreachable'
  /** The backend's data is unusable: a corrupt or foreign database file (500). */
  | 'Corrupt'
  /** The backend has no room to write (disk full; 507 / 500). */
  | 'NoSpace'
  /** The store was closed. */
  | 'Closed'
  /** A malformed argument: an unparsable resourceVersion or continue token (400). */
  | 'InvalidArgument'
  /** Anything else the backend reported (500). */
  | 'Internal';

export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** The key the operation addressed, when there is one. */
    readonly key?: string,
    /** For Expired and TooLargeResourceVersion: the revision that bounds what the store can serve. */
    readonly revision?: number,
    options?: { cause?: unknown; requested?: number },
  ) {
    super(message, options);
    this.requested = options?.requested;
  }

  /** For Expired and TooLargeResourceVersion: the revision the caller asked for. */
  readonly requested?: number;
}

export const isStorageError = (err: unknown, code?: StorageErrorCode): err is StorageError =>
  err instanceof StorageError && (code === undefined || err.code === code);

export const keyNotFound = (key: string): StorageError => new StorageError('KeyNotFound', `key not found: ${key}`, key);
export const keyExists = (key: string): StorageError => new StorageError('KeyExists', `key exists: ${key}`, key);
export const conflict = (key: string): StorageError =>
  new StorageError('ResourceVersionConflicts', `the object at ${key} has been modified; read it again and retry`, key);
export const expired = (requested: number, compacted?: number): StorageError =>
  new StorageError(
    'Expired',
    compacted === undefined
      ? `the requested revision ${requested} has been compacted`
      : `the requested revision ${requested} has been compacted (compacted up to ${compacted})`,
    undefined,
    compacted,
  );
export const tooLargeResourceVersion = (requested: number, current: number): StorageError =>
  new StorageError(
    'TooLargeResourceVersion',
    `too large resource version: ${requested}, current: ${current}`,
    undefined,
    current,
    { requested },
  );
