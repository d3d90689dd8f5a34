import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeContinue, encodeContinue, keyAfter } from './continue-token.js';
import { isStorageError } from './errors.js';

it('round-trips a position relative to the list prefix, in Kubernetes token format', () => {
  const prefix = '/registry/pods/';
  const token = encodeContinue(prefix, { revision: 42, startKey: keyAfter('/registry/pods/ns/a') });
  const json = JSON.parse(Buffer.from(token, 'base64url').toString()) as Record<string, unknown>;
  assert.deepEqual(json, { v: 'meta.k8s.io/v1', rv: 42, start: 'ns/a\u0000' });
  assert.deepEqual(decodeContinue(prefix, token), { revision: 42, startKey: '/registry/pods/ns/a\u0000' });
});

it('refuses tokens that are malformed or escape the prefix', () => {
  const bad = (obj: unknown) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  for (const token of [
    '%%%',
    bad('x'),
    bad({ v: 'other/v1', rv: 1, start: 'a' }),
    bad({ v: 'meta.k8s.io/v1', rv: -1, start: 'a' }),
    bad({ v: 'meta.k8s.io/v1', rv: 1, start: '' }),
    bad({ v: 'meta.k8s.io/v1', rv: 1, start: '../secrets/x' }),
    bad({ v: 'meta.k8s.io/v1', rv: 1, start: '/abs' }),
  ]) {
    assert.throws(() => decodeContinue('/registry/pods/', token), (e) => isStorageError(e, 'InvalidArgument'));
  }
});
