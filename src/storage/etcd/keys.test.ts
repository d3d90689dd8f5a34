import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeKey, prefixEnd, toBuffer, toKeyValue } from './keys.js';
import { hasReliableProgress, parseVersion } from './version.js';

test('prefixEnd increments the last byte below 0xff, dropping trailing 0xff bytes', () => {
  assert.deepEqual(prefixEnd(encodeKey('/a/')), encodeKey('/a0'));
  assert.deepEqual(prefixEnd(Buffer.from([0x61, 0xff, 0xff])), Buffer.from([0x62]));
  assert.deepEqual(prefixEnd(Buffer.from([0xff])), Buffer.from([0]));
  assert.deepEqual(prefixEnd(Buffer.alloc(0)), Buffer.from([0]));
});

test('keys are UTF-8 bytes; values pass through without a copy', () => {
  assert.deepEqual(encodeKey('/é'), Buffer.from([0x2f, 0xc3, 0xa9]));
  const value = new Uint8Array([1, 2, 3]);
  const buf = toBuffer(value);
  assert.equal(buf.buffer, value.buffer);
  assert.deepEqual(
    toKeyValue({ key: encodeKey('/k'), create_revision: 3, mod_revision: 5 }),
    { key: '/k', value: Buffer.alloc(0), createRevision: 3, modRevision: 5 },
  );
});

test('progress answers are trusted from etcd 3.4.31 / 3.5.13 / 3.6 on', () => {
  assert.deepEqual(parseVersion('3.4.23'), { major: 3, minor: 4, patch: 23 });
  assert.equal(parseVersion('garbage'), undefined);
  assert.equal(hasReliableProgress(parseVersion('3.4.23')), false);
  assert.equal(hasReliableProgress(parseVersion('3.4.31')), true);
  assert.equal(hasReliableProgress(parseVersion('3.5.12')), false);
  assert.equal(hasReliableProgress(parseVersion('3.5.13')), true);
  assert.equal(hasReliableProgress(parseVersion('3.6.0')), true);
  assert.equal(hasReliableProgress(undefined), false);
});
