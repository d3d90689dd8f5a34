// The watch cache against a real ObjectStore over embedded SQLite: one inner watch for any number
// of watchers, replay from an older resourceVersion, Expired outside the window, lists consistent
// with the store, NotOlderThan, predicate transitions, slow watchers, and recovery when the inner
// watch fails.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { isStorageError, StorageError } from '../../storage/errors.js';
import type { ObjectStore } from '../../storage/store.js';
import type { WatchEvent } from '../../storage/interface.js';
import { CachingStore, type CachingStoreOptions } from './caching-store.js';
import { describeEvent, openSqliteStore, Reader, refClock, SpyStore, waitFor } from './test-support.js';

interface Pod extends KubeObject {
  spec?: { n?: number; color?: string };
}

const PODS = '/registry/pods/';
const pod = (ns: string, name: string, spec: Pod['spec'] = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: ns, name, uid: `uid-${ns}-${name}` },
  spec,
});
const key = (ns: string, name: string) => `${PODS}${ns}/${name}`;
const rv = (obj: KubeObject): number => Number(obj.metadata?.resourceVersion);
const names = (items: KubeObject[]) => items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`);

describe('CachingStore', () => {
  let inner: ObjectStore;
  let cleanup: () => Promise<void>;
  let spy: SpyStore;
  let cache: CachingStore;

  const open = async (options: CachingStoreOptions = {}) => {
    cache = new CachingStore(spy, { clock: refClock, freezeObjects: true, retryInitialMs: 10, ...options });
    cache.cache(PODS);
    assert.equal(await cache.ready(5000), true, 'cache filled');
  };
  const stats = () => cache.stats()[0] ?? assert.fail('no cacher');
  const caughtUp = async () => {
    const current = Number(await inner.currentResourceVersion());
    await waitFor(() => stats().resourceVersion >= current, `cache at ${current}`);
  };

  beforeEach(async () => {
    ({ store: inner, cleanup } = await openSqliteStore(50));
    spy = new SpyStore(inner);
    // Revision 0 has nothing to watch after; the server always writes namespaces first anyway.
    await inner.create('/registry/namespaces/default', { metadata: { name: 'default' } });
  });
  afterEach(async () => {
    await cache?.close();
    await cleanup();
  });

  it('serves 1,000 watchers with one inner watch', async () => {
    await open();
    const watchers: Reader<Pod>[] = [];
    for (let i = 0; i < 1000; i++) {
      const ns = i % 2 === 0 ? undefined : `ns${i % 10}`;
      watchers.push(new Reader(await cache.watch<Pod>(ns ? `${PODS}${ns}/` : PODS, { resourceVersion: '0' })));
    }
    assert.equal(spy.watches.filter((k) => k === PODS).length, 1, 'one inner watch');
    assert.equal(spy.watches.length, 1);
    const started = performance.now();
    for (let i = 0; i < 10; i++) await inner.create(key(`ns${i}`, `p${i}`), pod(`ns${i}`, `p${i}`));
    for (const [i, w] of watchers.entries()) {
      const events = await w.take(i % 2 === 0 ? 10 : 1);
      assert.ok(events.every((e) => e.type === 'ADDED'));
    }
    const elapsed = performance.now() - started;
    assert.equal(spy.watches.length, 1, 'still one inner watch');
    assert.equal(stats().watchers, 1000);
    // Not an assertion on speed; printed for the record.
    console.log(`# 1,000 watchers × 10 writes delivered in ${elapsed.toFixed(1)} ms`);
    for (const w of watchers) w.stream.stop();
    await waitFor(() => stats().watchers === 0, 'watchers unregistered');
  });

  it('replays exactly the missed events, in order, to a watch from an older resourceVersion', async () => {
    await open();
    const a1 = await inner.create(key('a', 'one'), pod('a', 'one'));
    const from = rv(a1);
    const b1 = await inner.create(key('b', 'one'), pod('b', 'one'));
    const a2 = await inner.guaranteedUpdate<Pod>(key('a', 'one'), (p) => ({ ...p, spec: { n: 2 } }));
    const a3 = await inner.create(key('a', 'two'), pod('a', 'two'));
    await inner.delete(key('a', 'one'));
    await caughtUp();

    const all = new Reader(await cache.watch<Pod>(PODS, { resourceVersion: String(from) }));
    assert.deepEqual((await all.take(4)).map(describeEvent), [
      `ADDED one@${rv(b1)}`,
      `MODIFIED one@${rv(a2)}`,
      `ADDED two@${rv(a3)}`,
      `DELETED one@${rv(a3) + 1}`,
    ]);
    const nsA = new Reader(await cache.watch<Pod>(`${PODS}a/`, { resourceVersion: String(from) }));
    const replayed = await nsA.take(3);
    assert.deepEqual(replayed.map(describeEvent), [`MODIFIED one@${rv(a2)}`, `ADDED two@${rv(a3)}`, `DELETED one@${rv(a3) + 1}`]);
    const deleted = replayed[2] as Extract<WatchEvent<Pod>, { object: Pod }>;
    assert.equal(deleted.object.spec?.n, 2, 'a DELETED event carries the last state');
    assert.equal(rv(deleted.object), rv(a3) + 1, 'stamped with the deletion revision');

    // The same as the inner store's own watch from that revision.
    const direct = new Reader(await inner.watch<Pod>(`${PODS}a/`, { resourceVersion: String(from) }));
    assert.deepEqual((await direct.take(3)).map(describeEvent), replayed.map(describeEvent));
    direct.stream.stop();

    // Then live events follow without a gap, for both.
    const b2 = await inner.create(key('b', 'two'), pod('b', 'two'));
    assert.deepEqual((await all.take(1)).map(describeEvent), [`ADDED two@${rv(b2)}`]);
    await nsA.quiet();
  });

  it('refuses a watch from before the window with Expired', async () => {
    await open({ bufferSize: 5 });
    const first = await inner.create(key('a', 'p0'), pod('a', 'p0'));
    for (let i = 1; i < 10; i++) await inner.create(key('a', `p${i}`), pod('a', `p${i}`));
    await caughtUp();
    const oldest = stats().oldestWatchable;
    assert.equal(oldest, rv(first) + 4, 'five events kept: the window starts after the fifth newest but one');
    await assert.rejects(cache.watch(PODS, { resourceVersion: String(rv(first)) }), (err: unknown) => {
      assert.ok(isStorageError(err, 'Expired'), String(err));
      assert.equal(err.revision, oldest);
      return true;
    });
    const ok = new Reader(await cache.watch<Pod>(PODS, { resourceVersion: String(oldest) }));
    assert.deepEqual((await ok.take(5)).map((e) => e.revision), [1, 2, 3, 4, 5].map((i) => oldest + i));
  });

  it('serves lists with resourceVersion "0" and "" consistent with the store', async () => {
    await open();
    for (const ns of ['a', 'b', 'c']) for (const n of [3, 1, 2]) await inner.create(key(ns, `p${n}`), pod(ns, `p${n}`, { n }));
    await inner.guaranteedUpdate<Pod>(key('b', 'p1'), (p) => ({ ...p, spec: { n: 10 } }));
    await inner.delete(key('c', 'p2'));
    const listsBefore = spy.lists.length;

    // A consistent read right after the writes sees all of them.
    const consistent = await cache.list<Pod>(PODS);
    const direct = await inner.list<Pod>(PODS);
    assert.deepEqual(consistent.items, direct.items);
    assert.ok(Number(consistent.resourceVersion) >= Number(direct.resourceVersion));

    const any = await cache.list<Pod>(PODS, { resourceVersion: '0' });
    assert.deepEqual(any.items, direct.items);

    const ns = await cache.list<Pod>(`${PODS}b/`, { predicate: (p) => (p.spec?.n ?? 0) >= 2 });
    assert.deepEqual(names(ns.items), ['b/p1', 'b/p2', 'b/p3']);
    const direct2 = await inner.list<Pod>(`${PODS}b/`, { predicate: (p) => (p.spec?.n ?? 0) >= 2 });
    assert.deepEqual(ns.items, direct2.items);
    assert.equal(spy.lists.length, listsBefore, 'served from the cache, not the store');

    // Paginated lists go to the store, and their continue tokens keep working there.
    const page1 = await cache.list<Pod>(PODS, { limit: 3 });
    assert.ok(page1.continue);
    const page2 = await cache.list<Pod>(PODS, { limit: 3, continue: page1.continue });
    assert.deepEqual(names([...page1.items, ...page2.items]), names(direct.items.slice(0, 6)));
    assert.equal(spy.lists.length, listsBefore + 2);

    // get: RV "0" from the cache, otherwise the store.
    const got = await cache.get<Pod>(key('b', 'p1'), { resourceVersion: '0' });
    assert.equal(got.spec?.n, 10);
    await assert.rejects(cache.get(key('c', 'p2'), { resourceVersion: '0' }), (e: unknown) => isStorageError(e, 'KeyNotFound'));
    assert.throws(() => {
      (got.spec as { n: number }).n = 11;
    }, TypeError, 'cached objects are frozen in tests');
  });

  it('waits for the cache on NotOlderThan, and refuses a revision the store never reaches', async () => {
    await open({ freshnessTimeoutMs: 300 });
    const current = Number(await inner.currentResourceVersion());
    const pending = cache.list<Pod>(PODS, { resourceVersion: String(current + 1), resourceVersionMatch: 'NotOlderThan' });
    await new Promise((r) => setTimeout(r, 20));
    await inner.create(key('a', 'late'), pod('a', 'late'));
    const result = await pending;
    assert.deepEqual(names(result.items), ['a/late']);
    assert.ok(Number(result.resourceVersion) >= current + 1);

    await assert.rejects(
      cache.list(PODS, { resourceVersion: String(current + 100) }),
      (err: unknown) => isStorageError(err, 'TooLargeResourceVersion'),
    );
  });

  it('an idle resource still catches up for consistent reads (progress notify)', async () => {
    await open();
    // Writes to another resource move the store's revision, not this cache's events.
    for (let i = 0; i < 5; i++) await inner.create(`/registry/configmaps/a/c${i}`, { metadata: { name: `c${i}`, namespace: 'a' } });
    const current = Number(await inner.currentResourceVersion());
    const started = Date.now();
    const list = await cache.list(PODS);
    assert.ok(Date.now() - started < 1000, 'no freshness timeout');
    assert.ok(Number(list.resourceVersion) >= current);

    const bookmarks = new Reader(await cache.watch(PODS, { resourceVersion: '0', progressNotify: true }));
    const event = await bookmarks.next();
    assert.notEqual(event, 'end');
    assert.equal((event as WatchEvent<KubeObject>).type, 'PROGRESS');
    assert.ok((event as WatchEvent<KubeObject>).revision >= current);
  });

  it('sends bookmarks to watchers that want them, rate-limited, and on requestProgress', async () => {
    await open({ minBookmarkIntervalMs: 200 });
    const start = await inner.currentResourceVersion();
    const periodic = new Reader(await cache.watch(PODS, { resourceVersion: start, progressNotify: true }));
    const onDemand = new Reader(await cache.watch(PODS, { resourceVersion: start }));
    const bookmarks: number[] = [];
    const deadline = Date.now() + 700;
    while (Date.now() < deadline) {
      const e = await periodic.next(1000);
      assert.ok(e !== 'end' && e.type === 'PROGRESS');
      bookmarks.push(e.revision);
    }
    // The inner store reports progress every 50 ms; watchers get at most one bookmark per 200 ms.
    assert.ok(bookmarks.length >= 1 && bookmarks.length <= 5, `${bookmarks.length} bookmarks`);
    assert.ok(bookmarks.every((r) => r >= Number(start)));
    await assert.rejects(onDemand.next(100), /no watch event/);
    onDemand.stream.requestProgress();
    const e = await onDemand.next(1000);
    assert.ok(e !== 'end' && e.type === 'PROGRESS' && e.revision >= Number(start));
    await assert.rejects(onDemand.next(150), /no watch event/, 'one bookmark per request');
  });

  it('turns predicate transitions into ADDED and DELETED, as the store watch does', async () => {
    await open();
    const red = (p: Pod) => p.spec?.color === 'red';
    const start = await inner.currentResourceVersion();
    const cached = new Reader(await cache.watch<Pod>(PODS, { resourceVersion: start, predicate: red }));
    const direct = new Reader(await inner.watch<Pod>(PODS, { resourceVersion: start, predicate: red }));
    const k = key('a', 'x');
    const set = (color: string) => inner.guaranteedUpdate<Pod>(k, (p) => ({ ...p, spec: { color } }));
    await inner.create(k, pod('a', 'x', { color: 'blue' }));
    const toRed = await set('red');
    const stillRed = await inner.guaranteedUpdate<Pod>(k, (p) => ({ ...p, spec: { color: 'red', n: 1 } }));
    const toBlue = await set('blue');
    await set('red');
    const gone = await inner.delete<Pod>(k);
    const expected = [
      `ADDED x@${rv(toRed)}`,
      `MODIFIED x@${rv(stillRed)}`,
      `DELETED x@${rv(toBlue)}`,
      `ADDED x@${rv(toBlue) + 1}`,
      `DELETED x@${rv(toBlue) + 2}`,
    ];
    const fromCache = await cached.take(5);
    assert.deepEqual(fromCache.map(describeEvent), expected);
    assert.deepEqual((await direct.take(5)).map(describeEvent), expected);
    const leaving = fromCache[2] as Extract<WatchEvent<Pod>, { object: Pod }>;
    assert.equal(leaving.object.spec?.color, 'red', 'the DELETED of a transition carries the last matching state');
    assert.equal(rv(leaving.object), rv(toBlue));
    assert.equal(gone.spec?.color, 'red');
    direct.stream.stop();
  });

  it('watch from "0" gets the current state as ADDED, then changes; a single key watches one object', async () => {
    await open();
    await inner.create(key('a', 'p1'), pod('a', 'p1'));
    await inner.create(key('a', 'p2'), pod('a', 'p2'));
    await caughtUp();
    const w = new Reader(await cache.watch<Pod>(`${PODS}a/`, { resourceVersion: '0' }));
    const one = new Reader(await cache.watch<Pod>(key('a', 'p2'), { resourceVersion: '0' }));
    assert.deepEqual((await w.take(2)).map((e) => e.type + ' ' + (e.type === 'PROGRESS' ? '' : e.object.metadata?.name)), ['ADDED p1', 'ADDED p2']);
    assert.deepEqual((await one.take(1)).map((e) => e.type), ['ADDED']);
    await inner.create(key('a', 'p3'), pod('a', 'p3'));
    await inner.guaranteedUpdate<Pod>(key('a', 'p2'), (p) => ({ ...p, spec: { n: 5 } }));
    assert.deepEqual((await w.take(2)).map((e) => e.type), ['ADDED', 'MODIFIED']);
    assert.deepEqual((await one.take(1)).map((e) => e.type), ['MODIFIED']);
    await one.quiet();
  });

  it('ends a watcher that falls behind, without affecting the others', async () => {
    await open({ maxWatcherBacklog: 5 });
    const start = await inner.currentResourceVersion();
    const slow = new Reader(await cache.watch<Pod>(PODS, { resourceVersion: start }));
    const fast = new Reader(await cache.watch<Pod>(PODS, { resourceVersion: start }));
    const received: WatchEvent<Pod>[] = [];
    const reading = (async () => {
      while (received.length < 20) received.push(...(await fast.take(1)));
    })();
    for (let i = 0; i < 20; i++) await inner.create(key('a', `p${i}`), pod('a', `p${i}`));
    await reading;
    assert.equal(received.length, 20);
    assert.equal(stats().slowWatchersEnded, 1);
    assert.equal(stats().watchers, 1);
    // The slow one still gets what it had queued (a consistent prefix), then its stream ends.
    let delivered = 0;
    for (;;) {
      const e = await slow.next();
      if (e === 'end') break;
      if (e.type !== 'PROGRESS') delivered++;
    }
    assert.equal(delivered, 6);
  });

  it('re-watches from its revision when the inner watch fails, with no gap for watchers', async () => {
    await open();
    const start = await inner.currentResourceVersion();
    const w = new Reader(await cache.watch<Pod>(PODS, { resourceVersion: start }));
    await inner.create(key('a', 'p1'), pod('a', 'p1'));
    await w.take(1);
    spy.refuseWatches = true;
    spy.failWatches(new StorageError('Unreachable', 'connection lost'));
    await inner.create(key('a', 'p2'), pod('a', 'p2'));
    await inner.create(key('a', 'p3'), pod('a', 'p3'));
    await waitFor(() => spy.watches.length >= 3, 'retries');
    spy.refuseWatches = false;
    const events = await w.take(2);
    assert.deepEqual(events.map((e) => (e.type === 'PROGRESS' ? '' : e.object.metadata?.name)), ['p2', 'p3']);
    assert.equal(stats().relists, 1, 'bridged without a relist');
    const list = await cache.list<Pod>(PODS);
    assert.deepEqual(names(list.items), ['a/p1', 'a/p2', 'a/p3']);
  });

  it('relists and ends its watchers with Expired when the gap cannot be bridged', async () => {
    await open();
    const start = await inner.currentResourceVersion();
    const w = new Reader(await cache.watch<Pod>(PODS, { resourceVersion: start }));
    spy.refuseWatches = true;
    spy.failWatches(new StorageError('Unreachable', 'connection lost'));
    await inner.create(key('a', 'p1'), pod('a', 'p1'));
    const p2 = await inner.create(key('a', 'p2'), pod('a', 'p2'));
    await inner.delete(key('a', 'p1'));
    await inner.backend.compact(rv(p2) + 1);
    spy.refuseWatches = false;
    await assert.rejects(
      (async () => {
        for (;;) if ((await w.next()) === 'end') return;
      })(),
      (err: unknown) => isStorageError(err, 'Expired'),
    );
    await waitFor(() => stats().ready && stats().relists === 2, 'relisted');
    const list = await cache.list<Pod>(PODS, { resourceVersion: '0' });
    assert.deepEqual(names(list.items), ['a/p2']);
    await assert.rejects(cache.watch(PODS, { resourceVersion: start }), (err: unknown) => isStorageError(err, 'Expired'));
    const again = new Reader(await cache.watch<Pod>(PODS, { resourceVersion: list.resourceVersion }));
    await inner.create(key('a', 'p3'), pod('a', 'p3'));
    assert.deepEqual((await again.take(1)).map((e) => e.type), ['ADDED']);
  });

  it('passes keys outside its prefixes, and every write, straight to the store', async () => {
    await open();
    const cm = await cache.create('/registry/configmaps/a/x', { metadata: { name: 'x', namespace: 'a' } });
    const w = new Reader(await cache.watch('/registry/configmaps/', { resourceVersion: String(rv(cm) - 1) }));
    assert.equal(spy.watches.filter((k) => k === '/registry/configmaps/').length, 1);
    assert.deepEqual((await w.take(1)).map(describeEvent), [`ADDED x@${rv(cm)}`]);
    const listed = await cache.list('/registry/configmaps/', { resourceVersion: '0' });
    assert.equal(listed.items.length, 1);
    assert.equal(spy.lists.at(-1), '/registry/configmaps/');
  });
});

describe('CachingStore.uncache', () => {
  it('ends the watchers of a prefix and sends its reads to the store again', async () => {
    const { store, cleanup } = await openSqliteStore(50);
    const spy = new SpyStore(store);
    const cache = new CachingStore(spy, { clock: refClock });
    try {
      await store.create(key('a', 'p'), pod('a', 'p'));
      cache.cache(PODS);
      assert.equal(await cache.ready(2000), true);
      const w = new Reader(await cache.watch(PODS, { resourceVersion: '0' }));
      await w.take(1);
      const lists = spy.lists.length;
      cache.uncache(PODS);
      assert.equal(await w.next(), 'end');
      assert.deepEqual(cache.stats(), []);
      assert.deepEqual(names((await cache.list(PODS, { resourceVersion: '0' })).items), ['a/p']);
      assert.equal(spy.lists.length, lists + 1);
      await waitFor(() => spy.openWatches === 0, 'inner watch stopped');
    } finally {
      await cache.close();
      await cleanup();
    }
  });
});

describe('CachingStore on a store that has never been written', () => {
  it('becomes ready after the first write', async () => {
    const { store, cleanup } = await openSqliteStore(50);
    const cache = new CachingStore(store, { clock: refClock, retryInitialMs: 10, readyTimeoutMs: 50 });
    try {
      cache.cache(PODS);
      assert.equal(await cache.ready(50), false);
      // Served by the store meanwhile.
      assert.deepEqual((await cache.list(PODS)).items, []);
      await store.create(key('a', 'p'), pod('a', 'p'));
      assert.equal(await cache.ready(2000), true);
      assert.deepEqual(names((await cache.list(PODS, { resourceVersion: '0' })).items), ['a/p']);
    } finally {
      await cache.close();
      await cleanup();
    }
  });
});
