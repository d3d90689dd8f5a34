import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { toStorageError } from './errors.js';

const grpcError = (code: status, details: string): ServiceError =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });

const ctx = { endpoints: ['http://127.0.0.1:1'], op: 'get', key: '/k', revision: 7 };

test('etcd errors map onto storage codes', () => {
  const cases: [ServiceError, string][] = [
    [grpcError(status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision has been compacted'), 'Expired'],
    [grpcError(status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision'), 'TooLargeResourceVersion'],
    [grpcError(status.INVALID_ARGUMENT, 'etcdserver: request is too large'), 'RequestTooLarge'],
    [grpcError(status.RESOURCE_EXHAUSTED, 'grpc: received message larger than max (3000000 vs. 2621440)'), 'RequestTooLarge'],
    [grpcError(status.RESOURCE_EXHAUSTED, 'etcdserver: mvcc: database space exceeded'), 'NoSpace'],
    [grpcError(status.UNAVAILABLE, 'No connection established'), 'Unreachable'],
    [grpcError(status.DEADLINE_EXCEEDED, 'Deadline exceeded'), 'Unreachable'],
    [grpcError(status.PERMISSION_DENIED, 'etcdserver: permission denied'), 'Internal'],
  ];
  for (const [err, code] of cases) assert.equal(toStorageError(err, ctx).code, code, err.details);
});

test('Unreachable names the endpoints; anything after close is Closed', () => {
  const err = toStorageError(grpcError(status.UNAVAILABLE, 'connect ECONNREFUSED'), ctx);
  assert.match(err.message, /127\.0\.0\.1:1/);
  assert.equal(toStorageError(grpcError(status.CANCELLED, 'Cancelled on client'), { ...ctx, closed: true }).code, 'Closed');
});
