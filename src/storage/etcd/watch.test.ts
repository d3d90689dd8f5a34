// Watches on a real etcd: event translation (created, prevKv), the start-revision contract
// (afterRevision A delivers revisions > A), compacted starts, progress, stop and close.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BackendWatchHandler } from '../backend.js';
import { isStorageError } from '../errors.js';
import { openEtcdBackend } from './backend.js';
import { etcdFixture, bytes, recorder, text, waitFor } from './test-support.js';

const fx = etcdFixture();

test('put, update and delete become BackendEvents with prev values', async () => {
  const rec = recorder();
  const start = await fx.backend.currentRevision();
  const watch = await fx.backend.watch('/w1/', { afterRevision: start, prefix: true }, rec);
  const c = await fx.backend.create('/w1/a', bytes('one'));
  assert.ok(c.ok);
  const u = await fx.backend.update('/w1/a', bytes('two'), c.revision);
  assert.ok(u.ok);
  await fx.backend.create('/w2/outside', bytes('not watched'));
  const d = await fx.backend.delete('/w1/a', u.revision);
  assert.ok(d.ok);
  await waitFor(() => rec.events.length >= 3, 'three events');
  watch.stop();
  const shown = rec.events.map((e) => ({ ...e, value: text(e.value), prevValue: text(e.prevValue) }));
  assert.deepEqual(shown, [
    { type: 'put', key: '/w1/a', revision: c.revision, created: true, value: 'one', prevValue: undefined },
    { type: 'put', key: '/w1/a', revision: u.revision, created: false, value: 'two', prevValue: 'one', prevRevision: c.revision },
    { type: 'delete', key: '/w1/a', revision: d.revision, created: false, value: undefined, prevValue: 'two', prevRevision: u.revision },
  ]);
  assert.deepEqual(rec.errors, []);
});

test('afterRevision A replays history after A; an exact-key watch sees only its key', async () => {
  const r1 = await fx.backend.create('/replay/a', bytes('1'));
  const r2 = await fx.backend.create('/replay/ab', bytes('2'));
  const r3 = await fx.backend.create('/replay/a/child', bytes('3'));
  assert.ok(r1.ok && r2.ok && r3.ok);
  const prefixRec = recorder();
  const w1 = await fx.backend.watch('/replay/', { afterRevision: r1.revision, prefix: true }, prefixRec);
  const exactRec = recorder();
  const w2 = await fx.backend.watch('/replay/a', { afterRevision: r1.revision - 1, prefix: false }, exactRec);
  await waitFor(() => prefixRec.events.length >= 2 && exactRec.events.length >= 1, 'replayed events');
  assert.deepEqual(prefixRec.events.map((e) => e.revision), [r2.revision, r3.revision]);
  assert.deepEqual(exactRec.events.map((e) => e.key), ['/replay/a']);
  // progress proves nothing more is coming for the exact-key watch
  w2.requestProgress();
  await waitFor(() => exactRec.progress.length > 0, 'progress');
  assert.deepEqual(exactRec.events.map((e) => e.key), ['/replay/a']);
  w1.stop();
  w2.stop();
});

test('a watch starting before the compaction is refused with Expired; at C-1 it works', async () => {
  await fx.backend.create('/cw/a', bytes('1'));
  const b = await fx.backend.create('/cw/b', bytes('2'));
  assert.ok(b.ok);
  await fx.backend.compact(b.revision);
  await assert.rejects(
    fx.backend.watch('/cw/', { afterRevision: b.revision - 2, prefix: true }, recorder()),
    (err) => isStorageError(err, 'Expired'),
  );
  const rec = recorder();
  const watch = await fx.backend.watch('/cw/', { afterRevision: b.revision - 1, prefix: true }, rec);
  await waitFor(() => rec.events.length === 1, 'the change at the compaction revision');
  assert.equal(rec.events[0]?.key, '/cw/b');
  watch.stop();
});

test('requestProgress answers with a revision covering every delivered change', async () => {
  const rec = recorder();
  const start = await fx.backend.currentRevision();
  const watch = await fx.backend.watch('/prog/', { afterRevision: start, prefix: true }, rec);
  watch.requestProgress();
  await waitFor(() => rec.progress.length >= 1, 'first progress');
  assert.ok((rec.progress[0] ?? 0) >= start);
  // writes elsewhere move the revision; progress follows without events
  await fx.backend.create('/elsewhere/1', bytes('x'));
  const mine = await fx.backend.create('/prog/1', bytes('y'));
  const other = await fx.backend.create('/elsewhere/2', bytes('z'));
  assert.ok(mine.ok && other.ok);
  const seen = rec.progress.length;
  watch.requestProgress();
  await waitFor(() => rec.progress.length > seen, 'second progress');
  const last = rec.progress[rec.progress.length - 1] ?? 0;
  assert.ok(last >= other.revision, `progress ${last} covers revision ${other.revision}`);
  assert.deepEqual(rec.events.map((e) => e.revision), [mine.revision], 'the event came before the progress covering it');
  // many requests in a burst each get answered eventually
  const before = rec.progress.length;
  for (let i = 0; i < 5; i++) watch.requestProgress();
  await waitFor(() => rec.progress.length > before, 'burst progress');
  watch.stop();
});

test('progress never runs ahead of events under concurrent writes', async () => {
  const rec = recorder();
  let violation = '';
  const handler: BackendWatchHandler = {
    onEvents: (events) => rec.onEvents(events),
    onError: (err) => rec.onError(err),
    onProgress(revision: number) {
      rec.progress.push(revision);
      progressAt.push([revision, rec.events.length]);
    },
  };
  const progressAt: [number, number][] = [];
  const start = await fx.backend.currentRevision();
  const watch = await fx.backend.watch('/race/', { afterRevision: start, prefix: true }, handler);
  const acked: number[] = [];
  let writing = true;
  const writers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; writing; i++) {
      const r = await fx.backend.create(`/race/${w}/${i}`, bytes('v'));
      if (r.ok) acked.push(r.revision);
    }
  });
  for (let round = 0; round < 40; round++) {
    const target = Math.max(0, ...acked);
    const seen = rec.progress.length;
    watch.requestProgress();
    await waitFor(() => rec.progress.length > seen, 'progress under load');
    const progress = rec.progress[rec.progress.length - 1] ?? 0;
    // every acknowledged write at or below the progress revision must already be delivered
    const delivered = new Set(rec.events.map((e) => e.revision));
    const missing = acked.filter((r) => r <= progress && r <= target && !delivered.has(r));
    if (missing.length > 0 && !violation) violation = `progress ${progress} before events ${missing.slice(0, 5).join(',')}`;
  }
  writing = false;
  await Promise.all(writers);
  watch.stop();
  assert.equal(violation, '');
});

test('stop ends delivery; close ends open watches with Closed', async () => {
  const rec = recorder();
  const start = await fx.backend.currentRevision();
  const watch = await fx.backend.watch('/stop/', { afterRevision: start, prefix: true }, rec);
  watch.stop();
  watch.stop();
  await fx.backend.create('/stop/a', bytes('1'));
  const probe = recorder();
  const probeWatch = await fx.backend.watch('/stop/', { afterRevision: start, prefix: true }, probe);
  await waitFor(() => probe.events.length === 1, 'the probe sees the write');
  probeWatch.stop();
  assert.deepEqual(rec.events, []);

  const other = await openEtcdBackend({ endpoints: [fx.etcd.endpoint] });
  const open = recorder();
  await other.watch('/stop/', { afterRevision: start, prefix: true }, open);
  await other.close();
  assert.equal(open.errors.length, 1);
  assert.ok(isStorageError(open.errors[0], 'Closed'));
});
