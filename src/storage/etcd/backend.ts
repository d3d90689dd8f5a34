// EtcdBackend: the Backend contract on a real etcd v3 cluster, mapped the way Kubernetes' etcd3
// store maps it — create = txn(create_revision(key) == 0 → put), update/delete =
// txn(mod_revision(key) == expected → put/delete, else get), list = range with limit, count =
// count_only range, revisions from response headers, reads at a revision via range revision,
// compact = Compact RPC. One round trip per operation, on one shared gRPC channel.

import {
  MAX_VALUE_BYTES,
  type Backend,
  type BackendWatch,
  type BackendWatchHandler,
  type BackendWatchOptions,
  type KeyValue,
  type ListResult,
  type WriteResult,
} from '../backend.js';
import { StorageError, isStorageError, tooLargeResourceVersion } from '../errors.js';
import { Connection } from './connection.js';
import { encodeKey, prefixEnd, toBuffer, toKeyValue } from './keys.js';
import {
  CompareResult,
  CompareTarget,
  type CompactionRequest,
  type RangeRequest,
  type RangeResponse,
  type StatusResponse,
  type TxnRequest,
  type TxnResponse,
} from './proto.js';
import { hasReliableProgress, parseVersion } from './version.js';
import { EtcdWatch } from './watch.js';

export interface EtcdBackendOptions {
  /** etcd client URLs: "http://127.0.0.1:2379" or "127.0.0.1:2379". */
  endpoints: string[];
  /** Bound on every request and on establishing a watch (default 5000 ms). */
  requestTimeoutMs?: number;
  /** Bound on the first connection (default 5000 ms). */
  dialTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
export const DEFAULT_DIAL_TIMEOUT_MS = 5000;

/** A key that no Kite key equals, for reads that only want the response header. */
const REVISION_PROBE_KEY = Buffer.from([0]);

export class EtcdBackend implements Backend {
  readonly name = 'etcd';
  private readonly watches = new Set<EtcdWatch>();

  constructor(
    private readonly conn: Connection,
    /** The etcd server version, e.g. "3.4.23". */
    readonly serverVersion: string,
    /** Whether the server orders WatchProgressRequest answers after the events they cover. */
    readonly reliableProgress: boolean,
  ) {}

  get endpoints(): readonly string[] {
    return this.conn.endpoints;
  }

  async currentRevision(): Promise<number> {
    const res = await this.range({ key: REVISION_PROBE_KEY, count_only: true }, 'currentRevision');
    return res.header?.revision ?? 0;
  }

  async get(key: string, revision?: number): Promise<{ kv?: KeyValue; revision: number }> {
    const request: RangeRequest = { key: encodeKey(key) };
    if (revision) request.revision = revision;
    const res = await this.range(request, 'get', key, revision);
    const first = res.kvs[0];
    const at = revision || (res.header?.revision ?? 0);
    return first ? { kv: toKeyValue(first), revision: at } : { revision: at };
  }

  async list(prefix: string, options: { revision?: number; startKey?: string; limit?: number } = {}): Promise<ListResult> {
    const prefixBytes = encodeKey(prefix);
    const start = options.startKey !== undefined ? maxKey(encodeKey(options.startKey), prefixBytes) : prefixBytes;
    const request: RangeRequest = { key: start, range_end: prefixEnd(prefixBytes) };
    if (options.limit) request.limit = options.limit;
    if (options.revision) request.revision = options.revision;
    const res = await this.range(request, 'list', prefix, options.revision);
    return {
      kvs: res.kvs.map(toKeyValue),
      revision: options.revision || (res.header?.revision ?? 0),
      count: res.count ?? 0,
    };
  }

  async count(prefix: string): Promise<number> {
    const key = encodeKey(prefix);
    const res = await this.range({ key, range_end: prefixEnd(key), count_only: true }, 'count', prefix);
    return res.count ?? 0;
  }

  async create(key: string, value: Uint8Array): Promise<WriteResult> {
    const k = encodeKey(key);
    checkSize(key, value);
    const res = await this.txn(
      {
        compare: [{ result: CompareResult.Equal, target: CompareTarget.Create, key: k, create_revision: 0 }],
        success: [{ request_put: { key: k, value: toBuffer(value) } }],
        failure: [{ request_range: { key: k } }],
      },
      'create',
      key,
    );
    if (res.succeeded) return { ok: true, revision: res.header?.revision ?? 0 };
    return failed(res);
  }

  async update(key: string, value: Uint8Array, expectedRevision: number): Promise<WriteResult> {
    checkSize(key, value);
    if (!(expectedRevision > 0)) return this.currentAsFailure(key);
    const k = encodeKey(key);
    const res = await this.txn(
      {
        compare: [{ result: CompareResult.Equal, target: CompareTarget.Mod, key: k, mod_revision: expectedRevision }],
        success: [{ request_put: { key: k, value: toBuffer(value), prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      },
      'update',
      key,
    );
    if (!res.succeeded) return failed(res);
    const prev = res.responses[0]?.response_put?.prev_kv;
    return prev ? { ok: true, revision: res.header?.revision ?? 0, prev: toKeyValue(prev) } : { ok: true, revision: res.header?.revision ?? 0 };
  }

  async delete(key: string, expectedRevision: number): Promise<WriteResult> {
    if (!(expectedRevision > 0)) return this.currentAsFailure(key);
    const k = encodeKey(key);
    const res = await this.txn(
      {
        compare: [{ result: CompareResult.Equal, target: CompareTarget.Mod, key: k, mod_revision: expectedRevision }],
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      },
      'delete',
      key,
    );
    if (!res.succeeded) return failed(res);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    return prev ? { ok: true, revision: res.header?.revision ?? 0, prev: toKeyValue(prev) } : { ok: true, revision: res.header?.revision ?? 0 };
  }

  async watch(key: string, options: BackendWatchOptions, handler: BackendWatchHandler): Promise<BackendWatch> {
    if (this.conn.isClosed) throw new StorageError('Closed', 'etcd backend is closed (watch)', key);
    const k = encodeKey(key);
    const watch = new EtcdWatch(
      this.conn,
      {
        key: k,
        ...(options.prefix ? { rangeEnd: prefixEnd(k) } : {}),
        keyText: key,
        afterRevision: options.afterRevision,
        reliableProgress: this.reliableProgress,
      },
      handler,
      (w) => this.watches.delete(w),
    );
    this.watches.add(watch);
    // etcd 3.4 accepts a watcher on compacted history and cancels it a moment later; a read at the
    // start revision says at once whether that history still exists.
    const compactedCheck = this.startIsCompacted(k, options.afterRevision + 1);
    const started = watch.start();
    try {
      const [compacted] = await Promise.all([compactedCheck, started]);
      if (compacted) {
        watch.stop();
        throw compacted;
      }
      return watch;
    } catch (err) {
      watch.stop();
      started.catch(() => undefined);
      throw err;
    }
  }

  async compact(revision: number): Promise<void> {
    const request: CompactionRequest = { revision };
    try {
      await this.conn.call('KV', 'Compact', request, { op: 'compact', revision });
    } catch (err) {
      if (isStorageError(err, 'Expired')) return; // at or below an earlier compaction: a no-op
      if (isStorageError(err, 'TooLargeResourceVersion')) throw await this.tooLarge(revision);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.conn.isClosed) return;
    const watches = [...this.watches];
    this.watches.clear();
    this.conn.close();
    for (const watch of watches) watch.fail(new StorageError('Closed', 'etcd backend is closed'));
  }

  private async range(request: RangeRequest, op: string, key?: string, revision?: number): Promise<RangeResponse> {
    try {
      return await this.conn.call<RangeResponse>('KV', 'Range', request, {
        op,
        ...(key !== undefined ? { key } : {}),
        ...(revision ? { revision } : {}),
      });
    } catch (err) {
      if (revision && isStorageError(err, 'TooLargeResourceVersion')) throw await this.tooLarge(revision);
      throw err;
    }
  }

  private txn(request: TxnRequest, op: string, key: string): Promise<TxnResponse> {
    return this.conn.call<TxnResponse>('KV', 'Txn', request, { op, key });
  }

  /** TooLargeResourceVersion naming the current revision (best effort). */
  private async tooLarge(requested: number): Promise<StorageError> {
    const current = await this.currentRevision().catch(() => 0);
    return tooLargeResourceVersion(requested, current);
  }

  /** The 'Expired' error if history from `startRevision` on was compacted, else undefined. */
  private async startIsCompacted(key: Buffer, startRevision: number): Promise<StorageError | undefined> {
    try {
      await this.conn.call('KV', 'Range', { key, count_only: true, revision: startRevision }, { op: 'watch', revision: startRevision - 1 });
      return undefined;
    } catch (err) {
      if (isStorageError(err, 'Expired')) return err;
      if (isStorageError(err, 'TooLargeResourceVersion')) return undefined; // starts in the future: nothing to replay
      throw err;
    }
  }

  private async currentAsFailure(key: string): Promise<WriteResult> {
    const { kv } = await this.get(key);
    return kv ? { ok: false, current: kv } : { ok: false };
  }
}

function checkSize(key: string, value: Uint8Array): void {
  if (value.byteLength > MAX_VALUE_BYTES) {
    throw new StorageError(
      'RequestTooLarge',
      `value of ${value.byteLength} bytes at ${key} is over the limit of ${MAX_VALUE_BYTES} bytes`,
      key,
    );
  }
}

function failed(res: TxnResponse): WriteResult {
  const current = res.responses[0]?.response_range?.kvs[0];
  return current ? { ok: false, current: toKeyValue(current) } : { ok: false };
}

/** Connects to etcd (bounded by dialTimeoutMs) and learns the server version. */
export async function openEtcdBackend(options: EtcdBackendOptions): Promise<EtcdBackend> {
  const conn = new Connection({
    endpoints: options.endpoints,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    dialTimeoutMs: options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS,
  });
  try {
    await conn.dial();
    const status = await conn.call<StatusResponse>('Maintenance', 'Status', {}, { op: 'status' });
    const version = status.version ?? '';
    return new EtcdBackend(conn, version, hasReliableProgress(parseVersion(version)));
  } catch (err) {
    conn.close();
    throw err;
  }
}

const maxKey = (a: Buffer, b: Buffer): Buffer => (Buffer.compare(a, b) >= 0 ? a : b);
