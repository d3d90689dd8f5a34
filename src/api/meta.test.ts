import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerOf, formatMicroTime, formatTime, isBeingDeleted, metaKey, objectKey, parseTime, splitObjectKey } from './meta.js';

test('keys', () => {
  assert.equal(objectKey({ metadata: { namespace: 'default', name: 'web' } }), 'default/web');
  assert.equal(objectKey({ metadata: { name: 'node-1' } }), 'node-1');
  assert.equal(objectKey({}), '');
  assert.equal(metaKey({ namespace: 'a', name: 'b' }), 'a/b');
  assert.deepEqual(splitObjectKey('default/web'), { namespace: 'default', name: 'web' });
  assert.deepEqual(splitObjectKey('node-1'), { namespace: '', name: 'node-1' });
  assert.throws(() => splitObjectKey('a/b/c'), /unexpected key format/);
});

test('timestamps', () => {
  const ms = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
  assert.equal(formatTime(ms), '2024-01-02T03:04:05Z');
  assert.equal(formatMicroTime(ms), '2024-01-02T03:04:05.678000Z');
  assert.equal(parseTime('2024-01-02T03:04:05Z'), Date.UTC(2024, 0, 2, 3, 4, 5));
  assert.equal(parseTime('nope'), undefined);
  assert.equal(parseTime(undefined), undefined);
});

test('deletion and controller', () => {
  assert.ok(isBeingDeleted({ metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' } }));
  assert.ok(!isBeingDeleted({ metadata: {} }));
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true };
  assert.deepEqual(controllerOf({ metadata: { ownerReferences: [{ ...ref, controller: false }, ref] } }), ref);
  assert.equal(controllerOf({}), undefined);
});
