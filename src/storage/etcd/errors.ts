// Translation of gRPC / etcd failures into StorageError codes. etcd reports most conditions as a
// gRPC status whose message carries etcd's own error text ("etcdserver: ..."), so the mapping looks
// at both the status code and that text. Unknown failures become 'Internal' with etcd's message.

import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { StorageError, expired } from '../errors.js';

/** What a failed call was doing, for the error message. */
export interface CallContext {
  endpoints: readonly string[];
  /** The operation, e.g. "get", "create". */
  op: string;
  key?: string;
  /** The revision a read or watch asked for, for Expired / TooLargeResourceVersion. */
  revision?: number;
  /** True once the backend was closed: every failure is then 'Closed'. */
  closed?: boolean;
}

export const isServiceError = (err: unknown): err is ServiceError =>
  err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number' && 'details' in err;

export const unreachable = (endpoints: readonly string[], detail: string, key?: string, cause?: unknown): StorageError =>
  new StorageError('Unreachable', `etcd unreachable at ${endpoints.join(', ')}: ${detail}`, key, undefined, { cause });

export const closedError = (op: string): StorageError => new StorageError('Closed', `etcd backend is closed (${op})`);

/** Maps one failed etcd call onto a StorageError. */
export function toStorageError(err: unknown, ctx: CallContext): StorageError {
  if (err instanceof StorageError) return err;
  if (ctx.closed) return closedError(ctx.op);
  if (!isServiceError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new StorageError('Internal', `etcd ${ctx.op}: ${message}`, ctx.key, undefined, { cause: err });
  }
  const details = err.details || err.message;
  if (details.includes('required revision has been compacted')) {
    return ctx.revision === undefined ? expired(0) : expired(ctx.revision);
  }
  if (details.includes('required revision is a future revision')) {
    return new StorageError(
      'TooLargeResourceVersion',
      `too large resource version: ${ctx.revision ?? '?'}`,
      ctx.key,
      undefined,
      { cause: err },
    );
  }
  if (details.includes('request is too large') || details.includes('larger than max')) {
    return new StorageError('RequestTooLarge', `etcd ${ctx.op}: request is too large: ${details}`, ctx.key, undefined, {
      cause: err,
    });
  }
  if (details.includes('database space exceeded') || details.includes('no space')) {
    return new StorageError('NoSpace', `etcd ${ctx.op}: ${details}`, ctx.key, undefined, { cause: err });
  }
  if (details.includes('corrupt')) {
    return new StorageError('Corrupt', `etcd ${ctx.op}: ${details}`, ctx.key, undefined, { cause: err });
  }
  switch (err.code) {
    case Status.UNAVAILABLE:
    case Status.DEADLINE_EXCEEDED:
      return unreachable(ctx.endpoints, `${ctx.op}: ${details}`, ctx.key, err);
    case Status.CANCELLED:
      return ctx.closed ? closedError(ctx.op) : unreachable(ctx.endpoints, `${ctx.op}: ${details}`, ctx.key, err);
    default:
      return new StorageError('Internal', `etcd ${ctx.op}: ${details}`, ctx.key, undefined, { cause: err });
  }
}
