// Group commit: concurrent writes share one transaction, each checked in order inside it; a failed
// transaction rejects every op of its batch and leaves nothing visible.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { isStorageError } from '../errors.js';
import { openSqliteBackend } from './backend.js';
import { GroupCommitter } from './group-commit.js';
import { bytes, tempDir, text } from './test-support.js';
import type { WriteOp } from './write-ops.js';

const tmp = tempDir();
after(() => tmp.remove());

test('writes queued in one turn commit in one transaction', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/batch.db` });
  try {
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => b.create(`/k/${i}`, bytes(`v${i}`))));
    const s = b.stats();
    assert.equal(s.transactions, 1);
    assert.equal(s.ops, 16);
    assert.equal(s.largestBatch, 16);
    // revisions are consecutive, in submission order
    assert.deepEqual(
      results.map((r) => (r.ok ? r.revision : -1)),
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    // writes awaited one after another each take their own transaction
    await b.create('/seq/1', bytes('a'));
    await b.create('/seq/2', bytes('b'));
    assert.equal(b.stats().transactions, 3);
  } finally {
    await b.close();
  }
});

test('ops in one batch are checked in order and see each other', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/order.db` });
  try {
    const [c1, c2, u1, u2, d1] = await Promise.all([
      b.create('/x', bytes('one')),
      b.create('/x', bytes('two')), // loses: /x exists (created just before, same batch)
      b.update('/x', bytes('three'), 1),
      b.update('/x', bytes('four'), 1), // loses: /x is at revision 2 now
      b.delete('/x', 2),
    ]);
    assert.equal(b.stats().transactions, 1);
    assert.deepEqual(c1, { ok: true, revision: 1 });
    assert.equal(c2.ok, false);
    assert.equal(!c2.ok && text(c2.current?.value), 'one');
    assert.equal(u1.ok && u1.revision, 2);
    assert.equal(u1.ok && text(u1.prev?.value), 'one');
    assert.equal(!u2.ok && u2.current?.modRevision, 2);
    assert.equal(d1.ok && d1.revision, 3);
    assert.equal(await b.currentRevision(), 3);
    assert.equal((await b.get('/x')).kv, undefined);
  } finally {
    await b.close();
  }
});

test('a failed transaction rejects every op of its batch and resolves none', async () => {
  const committed: number[] = [];
  let applied = 0;
  const gc = new GroupCommitter({
    transaction: <T>(body: () => T): T => {
      body();
      throw new Error('SQLITE_FULL simulated');
    },
    currentRevision: () => 0,
    apply: (_op: WriteOp, next: number) => {
      applied++;
      return { result: { ok: true, revision: next } };
    },
    committed: (revision) => committed.push(revision),
    mapError: (err) => (err instanceof Error ? err : new Error(String(err))),
  });
  const ops = Array.from({ length: 5 }, (_, i) => gc.submit({ kind: 'create', key: `/k${i}`, value: bytes('v') }));
  const settled = await Promise.allSettled(ops);
  assert.equal(applied, 5);
  assert.deepEqual(committed, []);
  assert.ok(settled.every((s) => s.status === 'rejected'));
  assert.equal(gc.stats.failedTransactions, 1);
});

test('queued writes fail with Closed when the store closes; later ones too', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/closed.db` });
  const pending = b.create('/a', bytes('a'));
  await b.close();
  await assert.rejects(pending, (err) => isStorageError(err, 'Closed'));
  await assert.rejects(b.create('/b', bytes('b')), (err) => isStorageError(err, 'Closed'));
  await assert.rejects(b.get('/a'), (err) => isStorageError(err, 'Closed'));
  await b.close(); // idempotent
});

test('values over the size limit are refused without touching the batch', async () => {
  const b = openSqliteBackend({ path: `${tmp.dir}/large.db` });
  try {
    const [big, small] = await Promise.allSettled([b.create('/big', new Uint8Array(2 * 1024 * 1024)), b.create('/small', bytes('s'))]);
    assert.equal(big.status, 'rejected');
    assert.ok(big.status === 'rejected' && isStorageError(big.reason, 'RequestTooLarge'));
    assert.deepEqual(small.status === 'fulfilled' && small.value, { ok: true, revision: 1 });
  } finally {
    await b.close();
  }
});
