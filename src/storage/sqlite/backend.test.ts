// Sanity of the SQLite backend on its own (the shared conformance suite covers the contract in
// full): reads at revisions, lists in byte order with limits and counts, watch replay then live with
// no gap, progress, and that everything, including the compacted revision, survives a reopen.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { isStorageError } from '../errors.js';
import { openSqliteBackend } from './backend.js';
import { prefixEnd } from './keys.js';
import { RecordingHandler, bytes, tempDir, text, waitFor } from './test-support.js';

const tmp = tempDir();
after(() => tmp.remove());

test('prefixEnd bounds exactly the keys with the prefix', () => {
  assert.equal(prefixEnd('/a/'), '/a0');
  assert.equal(prefixEnd(''), undefined);
  assert.equal(prefixEnd('a\u{10ffff}'), 'b');
  assert.equal(prefixEnd('a\ud7ff'), 'a\ue000');
});

test('reads at revisions, lists in byte order with limit and count', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/reads.db` });
  try {
    assert.equal(await b.currentRevision(), 0);
    for (const k of ['/p/b', '/p/a', '/p/\u00e9', '/p/z', '/q/a', '/p/\u{1f600}', '/p/\uffff']) await b.create(k, bytes(`v:${k}`));
    const rev7 = await b.currentRevision();
    await b.update('/p/a', bytes('a2'), 2);
    await b.delete('/p/z', 4);

    const all = await b.list('/p/');
    assert.deepEqual(
      all.kvs.map((kv) => kv.key),
      ['/p/a', '/p/b', '/p/\u00e9', '/p/\uffff', '/p/\u{1f600}'], // UTF-8 byte order, not UTF-16
    );
    assert.equal(all.count, 5);
    assert.equal(all.revision, 9);

    const page = await b.list('/p/', { startKey: '/p/b', limit: 2 });
    assert.deepEqual(
      page.kvs.map((kv) => kv.key),
      ['/p/b', '/p/\u00e9'],
    );
    assert.equal(page.count, 4);

    const old = await b.list('/p/', { revision: rev7 });
    assert.deepEqual(
      old.kvs.map((kv) => [kv.key, text(kv.value)]).slice(0, 2),
      [
        ['/p/a', 'v:/p/a'],
        ['/p/b', 'v:/p/b'],
      ],
    );
    assert.equal(old.count, 6);
    assert.equal(text((await b.get('/p/a', rev7)).kv?.value), 'v:/p/a');
    assert.deepEqual((await b.get('/p/a')).kv, { key: '/p/a', value: (await b.get('/p/a')).kv?.value, createRevision: 2, modRevision: 8 });
    assert.equal((await b.get('/p/z')).kv, undefined);
    assert.equal(await b.count('/p/'), 5);
    assert.equal(await b.count(''), 6);
    await assert.rejects(b.get('/p/a', 99), (err) => isStorageError(err, 'TooLargeResourceVersion'));
  } finally {
    await b.close();
  }
});

test('a watch replays history with previous values, then continues live without gap or duplicate', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/watch.db` });
  try {
    await b.create('/w/a', bytes('a1'));
    await b.create('/other', bytes('o'));
    await b.update('/w/a', bytes('a2'), 1);
    await b.delete('/w/a', 3);
    const h = new RecordingHandler();
    const w = await b.watch('/w/', { afterRevision: 1, prefix: true }, h);
    // concurrent writes while the replay is being delivered
    await Promise.all([b.create('/w/b', bytes('b1')), b.create('/w/c', bytes('c1')), b.create('/x', bytes('x'))]);
    await b.update('/w/b', bytes('b2'), 5);
    await waitFor(() => h.events.length >= 5, 'five events');
    assert.deepEqual(
      h.events.map((e) => [e.type, e.key, e.revision, e.created, text(e.value), text(e.prevValue), e.prevRevision]),
      [
        ['put', '/w/a', 3, false, 'a2', 'a1', 1],
        ['delete', '/w/a', 4, false, undefined, 'a2', 3],
        ['put', '/w/b', 5, true, 'b1', undefined, undefined],
        ['put', '/w/c', 6, true, 'c1', undefined, undefined],
        ['put', '/w/b', 8, false, 'b2', 'b1', 5],
      ],
    );
    w.requestProgress();
    await waitFor(() => h.progress.length === 1, 'progress');
    assert.deepEqual(h.progress, [8]);
    w.stop();
    w.stop();
    await b.create('/w/d', bytes('d'));
    assert.equal(h.events.length, 5);

    // an exact-key watch from far back, and one that starts in the future
    const k = new RecordingHandler();
    await b.watch('/w/b', { afterRevision: 0, prefix: false }, k);
    await waitFor(() => k.events.length === 2, 'key events');
    assert.deepEqual(
      k.events.map((e) => e.revision),
      [5, 8],
    );
    assert.equal(h.errors.length + k.errors.length, 0);
  } finally {
    await b.close();
  }
});

test('a long replay is paged and still has no gap when writes interleave', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/long.db`, synchronous: 'off' });
  try {
    await Promise.all(Array.from({ length: 2500 }, (_, i) => b.create(`/r/${i}`, bytes(`${i}`))));
    const h = new RecordingHandler();
    await b.watch('/r/', { afterRevision: 0, prefix: true }, h);
    for (let i = 0; i < 20; i++) await b.create(`/r/late${i}`, bytes('late'));
    await waitFor(() => h.events.length >= 2520, 'all events');
    assert.deepEqual(
      h.events.map((e) => e.revision),
      Array.from({ length: 2520 }, (_, i) => i + 1),
    );
  } finally {
    await b.close();
  }
});

test('everything survives close and reopen: values, revision, compaction', async () => {
  const path = `${tmp.dir}/reopen.db`;
  const b = openSqliteBackend({ path });
  await b.create('/a', bytes('a1'));
  await b.update('/a', bytes('a2'), 1);
  await b.create('/b', bytes('b'));
  await b.delete('/b', 3);
  await b.create('/c', bytes('c'));
  await b.compact(3);
  await b.close();

  const r = openSqliteBackend({ path });
  try {
    assert.equal(await r.currentRevision(), 5);
    assert.equal(r.stats().compactRevision, 3);
    assert.equal(text((await r.get('/a')).kv?.value), 'a2');
    assert.equal((await r.get('/b')).kv, undefined);
    await assert.rejects(r.get('/a', 2), (err) => isStorageError(err, 'Expired'));
    assert.equal(text((await r.get('/b', 3)).kv?.value), 'b');
    assert.deepEqual(await r.create('/d', bytes('d')), { ok: true, revision: 6 });
  } finally {
    await r.close();
  }
});

test('closing ends open watches with Closed', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/closewatch.db` });
  const h = new RecordingHandler();
  await b.watch('/', { afterRevision: 0, prefix: true }, h);
  await b.close();
  await waitFor(() => h.errors.length === 1, 'closed error');
  assert.ok(isStorageError(h.errors[0], 'Closed'));
});
