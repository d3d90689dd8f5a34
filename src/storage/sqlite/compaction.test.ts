// Compaction keeps exactly the rows the contract needs: each key's row as of C (unless a tombstone),
// and every row from C on; reads at C and watches after C-1 still work, with previous values.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { isStorageError } from '../errors.js';
import { openSqliteBackend } from './backend.js';
import { RecordingHandler, bytes, tempDir, text, waitFor } from './test-support.js';

const tmp = tempDir();
after(() => tmp.remove());

const rowIds = (path: string): number[] => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT id FROM kite_log ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  } finally {
    db.close();
  }
};

test('compaction deletes superseded rows and tombstones below C, keeps the rest', async () => {
  const path = `${tmp.dir}/compact.db`;
  const b = openSqliteBackend({ path });
  await b.create('/a', bytes('a1')); // 1
  await b.update('/a', bytes('a2'), 1); // 2
  await b.create('/b', bytes('b1')); // 3
  await b.delete('/b', 3); // 4
  await b.create('/c', bytes('c1')); // 5
  await b.update('/a', bytes('a3'), 2); // 6
  await b.create('/d', bytes('d1')); // 7
  await b.delete('/d', 7); // 8

  await b.compact(2);
  await b.compact(2); // no-op
  await b.compact(1); // no-op
  assert.equal(b.stats().compactRevision, 2);
  await b.compact(6);
  assert.equal(b.stats().compactRevision, 6);

  // reads at C work and see the store as it was at C
  const at6 = await b.list('/', { revision: 6 });
  assert.deepEqual(
    at6.kvs.map((kv) => [kv.key, text(kv.value), kv.modRevision]),
    [
      ['/a', 'a3', 6],
      ['/c', 'c1', 5],
    ],
  );
  assert.equal((await b.get('/b', 6)).kv, undefined);
  await assert.rejects(b.get('/a', 5), (err) => isStorageError(err, 'Expired') && err.revision === 6);
  await assert.rejects(b.list('/', { revision: 3 }), (err) => isStorageError(err, 'Expired'));

  // a watch may start after C-1 and sees the change at C with its previous value
  const h = new RecordingHandler();
  const w = await b.watch('/', { afterRevision: 5, prefix: true }, h);
  await waitFor(() => h.events.length === 3, 'three events');
  assert.deepEqual(
    h.events.map((e) => [e.type, e.key, e.revision, text(e.prevValue), e.prevRevision]),
    [
      ['put', '/a', 6, 'a2', 2],
      ['put', '/d', 7, undefined, undefined],
      ['delete', '/d', 8, 'd1', 7],
    ],
  );
  w.stop();
  await assert.rejects(
    b.watch('/', { afterRevision: 4, prefix: true }, new RecordingHandler()),
    (err) => isStorageError(err, 'Expired'),
  );

  await assert.rejects(b.compact(9), (err) => isStorageError(err, 'TooLargeResourceVersion'));
  await b.close();
  assert.deepEqual(rowIds(path), [5, 6, 7, 8]);

  // compacting at the current revision keeps a tombstone written at C
  const r = openSqliteBackend({ path });
  await r.compact(8);
  await r.close();
  assert.deepEqual(rowIds(path), [5, 6, 8]);

  // the revision survives even when its row is compacted away later; a deleted key can come back
  const r2 = openSqliteBackend({ path });
  try {
    assert.equal(await r2.currentRevision(), 8);
    assert.deepEqual(await r2.create('/d', bytes('d2')), { ok: true, revision: 9 });
    assert.deepEqual(await r2.create('/b', bytes('b2')), { ok: true, revision: 10 });
    await r2.compact(10);
    assert.equal(text((await r2.get('/d')).kv?.value), 'd2');
    assert.equal((await r2.get('/d')).kv?.createRevision, 9);
    assert.equal(await r2.count('/'), 4);
  } finally {
    await r2.close();
  }
  assert.deepEqual(rowIds(path), [5, 6, 9, 10]);
});

test('a watch catching up fails with Expired when compaction overtakes it', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/overtake.db`, synchronous: 'off' });
  try {
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 1000 }, (_, i) => (round === 0 ? b.create(`/k/${i}`, bytes('v')) : b.update(`/k/${i}`, bytes('v'), (round - 1) * 1000 + i + 1))));
    }
    const h = new RecordingHandler();
    await b.watch('/k/', { afterRevision: 0, prefix: true }, h); // first page of 1000 replayed now
    await b.compact(3000);
    await waitFor(() => h.errors.length === 1, 'the Expired error');
    assert.ok(isStorageError(h.errors[0], 'Expired'));
    // what was delivered before the error is a gap-free prefix of history
    assert.deepEqual(
      h.events.map((e) => e.revision),
      Array.from({ length: h.events.length }, (_, i) => i + 1),
    );
  } finally {
    await b.close();
  }
});
