import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_VALUE_BYTES } from './backend.js';
import { decodeObject, encodeObject } from './codec.js';
import { isStorageError } from './errors.js';

it('stores objects without resourceVersion and stamps the revision on decode', () => {
  const bytes = encodeObject('/k', { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '7' } });
  assert.equal(new TextDecoder().decode(bytes), '{"kind":"ConfigMap","metadata":{"name":"a"}}');
  assert.deepEqual(decodeObject('/k', bytes, 9), { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '9' } });
});

it('refuses values over 1.5 MiB and undecodable values', () => {
  const big = { kind: 'ConfigMap', data: 'x'.repeat(MAX_VALUE_BYTES) };
  assert.throws(() => encodeObject('/k', big), (e) => isStorageError(e, 'RequestTooLarge') && /1\.5 MiB/.test(e.message));
  assert.throws(() => decodeObject('/k', new TextEncoder().encode('not json'), 1), (e) => isStorageError(e, 'InvalidObj'));
  assert.throws(() => decodeObject('/k', new TextEncoder().encode('[1]'), 1), (e) => isStorageError(e, 'InvalidObj'));
  assert.throws(() => decodeObject('/k', Uint8Array.of(0xff, 0xfe), 1), (e) => isStorageError(e, 'InvalidObj'));
});
