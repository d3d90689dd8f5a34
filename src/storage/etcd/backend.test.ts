// The etcd-specific mapping of the Backend contract, against a real etcd: txn compare-and-swap
// results, revisions from headers, ranges with limit/count, reads at a revision, compaction and the
// size limit. Generic semantics are the shared conformance suite's job.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_VALUE_BYTES } from '../backend.js';
import { isStorageError } from '../errors.js';
import { openEtcdBackend } from './backend.js';
import { etcdFixture, bytes, text } from './test-support.js';

const fx = etcdFixture();

test('reports the server version and starts at revision 1', async () => {
  assert.match(fx.backend.serverVersion, /^3\.\d+\.\d+/);
  assert.ok((await fx.backend.currentRevision()) >= 1);
});

test('create / update / delete are compare-and-swap txns, one revision each', async () => {
  const start = await fx.backend.currentRevision();
  const created = await fx.backend.create('/cas/a', bytes('one'));
  assert.deepEqual(created, { ok: true, revision: start + 1 });

  const again = await fx.backend.create('/cas/a', bytes('two'));
  assert.equal(again.ok, false);
  assert.equal(!again.ok && text(again.current?.value), 'one');
  assert.equal(await fx.backend.currentRevision(), start + 1, 'a failed txn does not move the revision');

  const stale = await fx.backend.update('/cas/a', bytes('x'), start);
  assert.equal(stale.ok, false);
  assert.equal(!stale.ok && stale.current?.modRevision, start + 1);

  const updated = await fx.backend.update('/cas/a', bytes('two'), start + 1);
  assert.equal(updated.ok, true);
  assert.equal(updated.ok && updated.revision, start + 2);
  assert.equal(updated.ok && text(updated.prev?.value), 'one');

  const { kv } = await fx.backend.get('/cas/a');
  assert.deepEqual({ ...kv, value: text(kv?.value) }, { key: '/cas/a', value: 'two', createRevision: start + 1, modRevision: start + 2 });

  assert.equal((await fx.backend.delete('/cas/a', start + 1)).ok, false);
  const deleted = await fx.backend.delete('/cas/a', start + 2);
  assert.equal(deleted.ok && deleted.revision, start + 3);
  assert.equal(deleted.ok && text(deleted.prev?.value), 'two');
  assert.deepEqual(await fx.backend.delete('/cas/a', start + 2), { ok: false });
  assert.deepEqual(await fx.backend.update('/cas/missing', bytes('x'), 0), { ok: false }, 'expected revision 0 never matches');
  assert.equal((await fx.backend.get('/cas/missing')).kv, undefined);
});

test('list: prefix range with limit, startKey and count; reads at a revision', async () => {
  for (const name of ['c', 'a', 'b', 'd']) await fx.backend.create(`/list/${name}`, bytes(name));
  await fx.backend.create('/list0', bytes('outside the prefix'));
  const page = await fx.backend.list('/list/', { limit: 2 });
  assert.deepEqual(page.kvs.map((kv) => kv.key), ['/list/a', '/list/b']);
  assert.equal(page.count, 4);
  const rest = await fx.backend.list('/list/', { startKey: '/list/b\0', revision: page.revision });
  assert.deepEqual(rest.kvs.map((kv) => kv.key), ['/list/c', '/list/d']);
  assert.equal(rest.count, 2);
  assert.equal(rest.revision, page.revision);
  assert.equal(await fx.backend.count('/list/'), 4);

  const before = page.revision;
  const a = page.kvs[0];
  assert.ok(a);
  await fx.backend.update('/list/a', bytes('changed'), a.modRevision);
  assert.equal(text((await fx.backend.get('/list/a', before)).kv?.value), 'a');
  assert.equal((await fx.backend.get('/list/a', before)).revision, before);
  assert.equal(text((await fx.backend.get('/list/a')).kv?.value), 'changed');
});

test('reads above the current revision are TooLargeResourceVersion; compacted ones Expired', async () => {
  const current = await fx.backend.currentRevision();
  await assert.rejects(fx.backend.get('/x', current + 100), (err) => {
    assert.ok(isStorageError(err, 'TooLargeResourceVersion'));
    assert.equal(err.revision, current);
    return true;
  });
  await fx.backend.create('/compact/a', bytes('1'));
  const r1 = await fx.backend.currentRevision();
  await fx.backend.create('/compact/b', bytes('2'));
  const r2 = await fx.backend.currentRevision();
  await fx.backend.compact(r2);
  await assert.rejects(fx.backend.list('/compact/', { revision: r1 }), (err) => isStorageError(err, 'Expired'));
  assert.equal((await fx.backend.list('/compact/', { revision: r2 })).kvs.length, 2, 'reads at the compaction revision work');
  await fx.backend.compact(r1); // below the last compaction: a no-op
  await fx.backend.compact(r2); // the same again: a no-op
  await assert.rejects(fx.backend.compact(r2 + 1000), (err) => isStorageError(err, 'TooLargeResourceVersion'));
});

test('values over MAX_VALUE_BYTES are refused; values at the limit fit', async () => {
  await assert.rejects(fx.backend.create('/big/over', new Uint8Array(MAX_VALUE_BYTES + 1)), (err) =>
    isStorageError(err, 'RequestTooLarge'),
  );
  const fits = await fx.backend.create('/big/at', new Uint8Array(MAX_VALUE_BYTES));
  assert.equal(fits.ok, true);
  assert.equal((await fx.backend.get('/big/at')).kv?.value.byteLength, MAX_VALUE_BYTES);
});

test('after close, calls fail with Closed', async () => {
  const other = await openEtcdBackend({ endpoints: [fx.etcd.endpoint] });
  const pending = other.get('/anything');
  await other.close();
  await other.close();
  await pending.catch((err: unknown) => assert.ok(isStorageError(err, 'Closed'), String(err)));
  await assert.rejects(other.get('/x'), (err) => isStorageError(err, 'Closed'));
  await assert.rejects(other.create('/x', bytes('x')), (err) => isStorageError(err, 'Closed'));
});
