// The storage conformance suite: one set of expectations, run against every backend (embedded
// SQLite and a real etcd), through the ObjectStore every API request goes through.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../src/api/object.js';
import type { Backend } from '../src/storage/backend.js';
import { isStorageError, type StorageErrorCode } from '../src/storage/errors.js';
import { ObjectStore } from '../src/storage/store.js';
import { Compactor } from '../src/storage/compactor.js';
import { FakeClock } from '../src/util/clock.js';
import { storageBackends, type OpenedBackend } from './support/backends.js';
import { takeEvents, waitForEvent, watchError } from './support/watch.js';

interface Item extends KubeObject {
  data?: { n?: number; text?: string; color?: string };
}

const item = (name: string, data: Item['data'] = {}, uid = `uid-${name}`): Item => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', uid },
  data,
});

async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isStorageError(err), `expected a StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

const rv = (obj: KubeObject): number => Number(obj.metadata?.resourceVersion);
const names = (items: KubeObject[]): string[] => items.map((i) => i.metadata?.name ?? '');

for (const kind of storageBackends) {
  describe(`storage conformance: ${kind.name}`, () => {
    let opened: OpenedBackend;
    let backend: Backend;
    let store: ObjectStore;
    let prefixSeq = 0;
    /** A fresh key space per test, so tests don't see each other's keys. */
    const space = () => `/registry/conformance/t${++prefixSeq}/`;

    before(async () => {
      opened = await kind.open();
      backend = opened.backend;
      store = new ObjectStore(backend, { progressIntervalMs: 50 });
    });
    after(async () => {
      await store?.close();
      await opened?.cleanup();
    });

    describe('create and get', () => {
      it('stores an object and stamps the revision as its resourceVersion', async () => {
        const p = space();
        const before = await backend.currentRevision();
        const created = await store.create(p + 'a', item('a', { n: 1 }));
        assert.equal(rv(created), before + 1, 'one write moves the revision by exactly one');
        const got = await store.get<Item>(p + 'a');
        assert.deepEqual(got, created);
        assert.equal(got.data?.n, 1);
      });

      it('refuses a second create of the same key with KeyExists, changing nothing', async () => {
        const p = space();
        const first = await store.create(p + 'a', item('a', { n: 1 }));
        const revision = await backend.currentRevision();
        await rejectsWith(store.create(p + 'a', item('a', { n: 2 })), 'KeyExists');
        assert.equal(await backend.currentRevision(), revision, 'a failed write does not move the revision');
        assert.deepEqual(await store.get(p + 'a'), first);
      });

      it('refuses an object that already carries a resourceVersion', async () => {
        const p = space();
        const obj = item('a');
        obj.metadata = { ...obj.metadata, resourceVersion: '5' };
        await rejectsWith(store.create(p + 'a', obj), 'InvalidArgument');
      });

      it('gives resourceVersions that increase across keys', async () => {
        const p = space();
        const a = await store.create(p + 'a', item('a'));
        const b = await store.create(p + 'b', item('b'));
        const c = await store.create(p + 'c', item('c'));
        assert.ok(rv(a) < rv(b) && rv(b) < rv(c));
      });

      it('get of a missing key fails with KeyNotFound', async () => {
        await rejectsWith(store.get(space() + 'missing'), 'KeyNotFound');
      });

      it('get not older than a future resourceVersion fails with TooLargeResourceVersion', async () => {
        const p = space();
        const a = await store.create(p + 'a', item('a'));
        await rejectsWith(store.get(p + 'a', { resourceVersion: String(rv(a) + 1000) }), 'TooLargeResourceVersion');
        assert.deepEqual(await store.get(p + 'a', { resourceVersion: String(rv(a)) }), a);
        assert.deepEqual(await store.get(p + 'a', { resourceVersion: '0' }), a);
      });

      it('refuses a malformed resourceVersion with InvalidArgument', async () => {
        await rejectsWith(store.get(space() + 'a', { resourceVersion: 'abc' }), 'InvalidArgument');
      });

      it('accepts a value up to 1.5 MiB and refuses a larger one with RequestTooLarge', async () => {
        const p = space();
        const big = (bytes: number) => item('big', { text: 'x'.repeat(bytes) });
        const overhead = JSON.stringify(big(0)).length;
        const fits = await store.create(p + 'fits', big(1.5 * 1024 * 1024 - overhead));
        assert.equal((await store.get<Item>(p + 'fits')).data?.text?.length, 1.5 * 1024 * 1024 - overhead);
        assert.ok(rv(fits) > 0);
        const revision = await backend.currentRevision();
        await rejectsWith(store.create(p + 'toobig', big(1.5 * 1024 * 1024 - overhead + 1)), 'RequestTooLarge');
        await rejectsWith(store.get(p + 'toobig'), 'KeyNotFound');
        assert.equal(await backend.currentRevision(), revision);
      });
    });

    describe('list', () => {
      it('lists exactly the keys under a prefix, in key order, with the list revision', async () => {
        const p = space();
        for (const name of ['c', 'a', 'b']) await store.create(`${p}ns1/${name}`, item(name));
        await store.create(`${p}ns10/z`, item('z'));
        await store.create(`${p}ns0/y`, item('y'));
        const list = await store.list<Item>(`${p}ns1/`);
        assert.deepEqual(names(list.items), ['a', 'b', 'c']);
        assert.equal(list.resourceVersion, String(await backend.currentRevision()));
        assert.equal(list.continue, undefined);
        assert.equal((await store.list(p)).items.length, 5);
      });

      it('counts the live keys under a prefix', async () => {
        const p = space();
        for (let i = 0; i < 7; i++) await store.create(`${p}k${i}`, item(`k${i}`));
        await store.delete(`${p}k3`);
        assert.equal(await store.count(p), 6);
        assert.equal(await store.count(space()), 0);
      });

      it('pages with limit and continue, every page from the first page revision while writes go on', async () => {
        const p = space();
        for (let i = 0; i < 25; i++) await store.create(`${p}k${String(i).padStart(2, '0')}`, item(`k${i}`, { n: i }));
        const first = await store.list<Item>(p, { limit: 10 });
        assert.equal(first.items.length, 10);
        assert.equal(first.remainingItemCount, 15);
        assert.ok(first.continue);

        // Writes between pages: a new key in the unread range, a delete and an update there too.
        await store.create(`${p}k12a`, item('k12a'));
        await store.delete(`${p}k15`);
        await store.guaranteedUpdate<Item>(`${p}k20`, (o) => ({ ...o, data: { n: 999 } }));

        const second = await store.list<Item>(p, { limit: 10, continue: first.continue });
        assert.equal(second.resourceVersion, first.resourceVersion);
        assert.equal(second.remainingItemCount, 5);
        const third = await store.list<Item>(p, { limit: 10, continue: second.continue });
        assert.equal(third.resourceVersion, first.resourceVersion);
        assert.equal(third.continue, undefined);
        assert.equal(third.remainingItemCount, undefined);
        const all = [...first.items, ...second.items, ...third.items];
        assert.deepEqual(
          all.map((o) => o.data?.n),
          Array.from({ length: 25 }, (_, i) => i),
          'pages show the state at the first page revision: no new key, no missing key, old values',
        );
        assert.equal((await store.list(p)).items.length, 25, 'the latest state has the writes (25 + 1 - 1)');
      });

      it('filters with a predicate while paging, counting only matching objects', async () => {
        const p = space();
        for (let i = 0; i < 30; i++) {
          await store.create(`${p}k${String(i).padStart(2, '0')}`, item(`k${i}`, { color: i % 3 === 0 ? 'red' : 'blue' }));
        }
        const red = (o: Item) => o.data?.color === 'red';
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await store.list<Item>(p, { limit: 4, predicate: red, continue: token });
          assert.ok(page.items.every(red));
          assert.ok(page.items.length <= 4);
          seen.push(...names(page.items));
          token = page.continue;
          pages++;
        } while (token);
        assert.deepEqual(seen, Array.from({ length: 10 }, (_, i) => `k${i * 3}`));
        assert.ok(pages >= 3);
      });

      it('reads an exact older revision, and refuses a future one', async () => {
        const p = space();
        await store.create(p + 'a', item('a', { n: 1 }));
        const old = await store.list<Item>(p);
        await store.guaranteedUpdate<Item>(p + 'a', (o) => ({ ...o, data: { n: 2 } }));
        await store.create(p + 'b', item('b'));
        const exact = await store.list<Item>(p, { resourceVersion: old.resourceVersion, resourceVersionMatch: 'Exact' });
        assert.equal(exact.resourceVersion, old.resourceVersion);
        assert.deepEqual(exact.items.map((o) => o.data?.n), [1]);
        const latest = await store.list<Item>(p, { resourceVersion: old.resourceVersion, resourceVersionMatch: 'NotOlderThan' });
        assert.deepEqual(latest.items.map((o) => o.data?.n), [2, undefined]);
        const future = String(Number(latest.resourceVersion) + 100);
        await rejectsWith(store.list(p, { resourceVersion: future }), 'TooLargeResourceVersion');
        await rejectsWith(store.list(p, { resourceVersion: future, resourceVersionMatch: 'Exact' }), 'TooLargeResourceVersion');
      });

      it('refuses a malformed continue token with InvalidArgument', async () => {
        const p = space();
        await rejectsWith(store.list(p, { continue: 'not-a-token' }), 'InvalidArgument');
        const escaping = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 1, start: '../other/' })).toString('base64url');
        await rejectsWith(store.list(p, { continue: escaping }), 'InvalidArgument');
      });
    });

    describe('delete', () => {
      it('returns the deleted object; it then vanishes from get, list and count', async () => {
        const p = space();
        const a = await store.create(p + 'a', item('a', { n: 1 }));
        await store.create(p + 'b', item('b'));
        const deleted = await store.delete<Item>(p + 'a');
        assert.deepEqual(deleted, a);
        await rejectsWith(store.get(p + 'a'), 'KeyNotFound');
        assert.deepEqual(names((await store.list(p)).items), ['b']);
        assert.equal(await store.count(p), 1);
        await rejectsWith(store.delete(p + 'a'), 'KeyNotFound');
      });

      it('can create a key again after deleting it', async () => {
        const p = space();
        await store.create(p + 'a', item('a', { n: 1 }));
        await store.delete(p + 'a');
        const again = await store.create<Item>(p + 'a', item('a', { n: 2 }));
        assert.equal((await store.get<Item>(p + 'a')).data?.n, 2);
        assert.equal(rv(again), await backend.currentRevision());
      });

      it('honours uid and resourceVersion preconditions, leaving the object on failure', async () => {
        const p = space();
        const a = await store.create(p + 'a', item('a', {}, 'uid-1'));
        await rejectsWith(store.delete(p + 'a', { preconditions: { uid: 'uid-2' } }), 'InvalidObj');
        await rejectsWith(store.delete(p + 'a', { preconditions: { resourceVersion: String(rv(a) - 1) } }), 'InvalidObj');
        assert.deepEqual(await store.get(p + 'a'), a);
        const deleted = await store.delete(p + 'a', { preconditions: { uid: 'uid-1', resourceVersion: String(rv(a)) } });
        assert.deepEqual(deleted, a);
      });

      it('runs validateDeletion against the current object and keeps it when that throws', async () => {
        const p = space();
        const a = await store.create(p + 'a', item('a', { n: 7 }));
        await assert.rejects(
          store.delete<Item>(p + 'a', {
            validateDeletion: (current) => {
              assert.equal(current.data?.n, 7);
              throw new Error('not now');
            },
          }),
          /not now/,
        );
        assert.deepEqual(await store.get(p + 'a'), a);
      });
    });

    describe('guaranteedUpdate', () => {
      it('writes what tryUpdate returns, with a new resourceVersion', async () => {
        const p = space();
        const a = await store.create<Item>(p + 'a', item('a', { n: 1 }));
        const updated = await store.guaranteedUpdate<Item>(p + 'a', (cur) => ({ ...cur, data: { n: (cur.data?.n ?? 0) + 1 } }));
        assert.equal(updated.data?.n, 2);
        assert.ok(rv(updated) > rv(a));
        assert.deepEqual(await store.get(p + 'a'), updated);
      });

      it('writes nothing when tryUpdate changes nothing', async () => {
        const p = space();
        const a = await store.create<Item>(p + 'a', item('a', { n: 1 }));
        const revision = await backend.currentRevision();
        const same = await store.guaranteedUpdate<Item>(p + 'a', (cur) => cur);
        assert.deepEqual(same, a);
        assert.equal(await backend.currentRevision(), revision);
      });

      it('aborts without writing when tryUpdate throws or a precondition fails', async () => {
        const p = space();
        const a = await store.create<Item>(p + 'a', item('a', { n: 1 }, 'uid-a'));
        await assert.rejects(
          store.guaranteedUpdate<Item>(p + 'a', () => {
            throw new Error('invalid');
          }),
          /invalid/,
        );
        await rejectsWith(
          store.guaranteedUpdate<Item>(p + 'a', (c) => ({ ...c, data: { n: 5 } }), { preconditions: { uid: 'other' } }),
          'InvalidObj',
        );
        assert.deepEqual(await store.get(p + 'a'), a);
      });

      it('fails with KeyNotFound for a missing key, or creates it when asked to', async () => {
        const p = space();
        await rejectsWith(store.guaranteedUpdate<Item>(p + 'a', (c) => c), 'KeyNotFound');
        const created = await store.guaranteedUpdate<Item>(p + 'a', (c) => c, { create: () => item('a', { n: 42 }) });
        assert.equal((await store.get<Item>(p + 'a')).data?.n, 42);
        assert.equal(rv(created), await backend.currentRevision());
      });

      it('20 concurrent writers x 200 increments on one key end at exactly 4000', async () => {
        const p = space();
        await store.create<Item>(p + 'counter', item('counter', { n: 0 }));
        const writer = async () => {
          for (let i = 0; i < 200; i++) {
            await store.guaranteedUpdate<Item>(p + 'counter', (cur) => ({ ...cur, data: { n: (cur.data?.n ?? 0) + 1 } }));
          }
        };
        await Promise.all(Array.from({ length: 20 }, writer));
        assert.equal((await store.get<Item>(p + 'counter')).data?.n, 4000);
      });
    });

    describe('watch', () => {
      it('delivers ADDED, MODIFIED and DELETED in order, with previous objects', async () => {
        const p = space();
        const start = await store.currentResourceVersion();
        const w = await store.watch<Item>(p, { resourceVersion: start });
        try {
          const a = await store.create<Item>(p + 'a', item('a', { n: 1 }));
          const a2 = await store.guaranteedUpdate<Item>(p + 'a', (c) => ({ ...c, data: { n: 2 } }));
          await store.delete(p + 'a');
          const events = await takeEvents(w, 3);
          assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
          const [added, modified, deleted] = events;
          assert.ok(added?.type === 'ADDED' && modified?.type === 'MODIFIED' && deleted?.type === 'DELETED');
          assert.deepEqual(added.object, a);
          assert.deepEqual(modified.object, a2);
          assert.deepEqual(modified.prevObject, a);
          assert.equal(deleted.object.data?.n, 2, 'DELETED carries the last state');
          assert.ok(deleted.revision > modified.revision && modified.revision > added.revision);
          assert.equal(rv(deleted.object), deleted.revision, "DELETED's object carries the deletion's revision");
        } finally {
          w.stop();
        }
      });

      it('replays exactly the missed events from an old revision, in order, then goes on live', async () => {
        const p = space();
        const from = await store.currentResourceVersion();
        const writes: string[] = [];
        for (let i = 0; i < 30; i++) {
          const key = `${p}k${i % 7}`;
          if (i % 5 === 4) {
            try {
              await store.delete(key);
              writes.push(`DELETED ${key}`);
              continue;
            } catch {
              /* not there yet */
            }
          }
          await store.guaranteedUpdate<Item>(key, (c) => ({ ...c, data: { n: i } }), { create: () => item(`k${i % 7}`, { n: i }) });
          writes.push(`${key} ${i}`);
        }
        await store.create(space() + 'elsewhere', item('elsewhere'));
        const w = await store.watch<Item>(p, { resourceVersion: from });
        try {
          const replayed = await takeEvents(w, writes.length);
          const seen = replayed.map((e) =>
            e.type === 'DELETED' ? `DELETED ${p}${e.object.metadata?.name}` : e.type === 'PROGRESS' ? '' : `${p}${e.object.metadata?.name} ${e.object.data?.n}`,
          );
          assert.deepEqual(seen, writes);
          const revisions = replayed.map((e) => e.revision);
          assert.deepEqual(revisions, [...revisions].sort((x, y) => x - y));
          assert.equal(new Set(revisions).size, revisions.length, 'no duplicate');
          await store.create(p + 'live', item('live'));
          const [live] = await takeEvents(w, 1);
          assert.equal(live?.type, 'ADDED');
        } finally {
          w.stop();
        }
      });

      it('with resourceVersion "0" starts with the current state as ADDED, then changes', async () => {
        const p = space();
        await store.create(p + 'a', item('a'));
        await store.create(p + 'b', item('b'));
        await store.delete(p + 'a');
        const w = await store.watch<Item>(p, { resourceVersion: '0' });
        try {
          await store.create(p + 'c', item('c'));
          const events = await takeEvents(w, 2);
          assert.deepEqual(events.map((e) => (e.type === 'PROGRESS' ? '' : `${e.type} ${e.object.metadata?.name}`)), ['ADDED b', 'ADDED c']);
        } finally {
          w.stop();
        }
      });

      it('watches a single key without seeing its neighbours', async () => {
        const p = space();
        const from = await store.currentResourceVersion();
        const w = await store.watch<Item>(p + 'a', { resourceVersion: from });
        try {
          await store.create(p + 'ab', item('ab'));
          await store.create(p + 'a', item('a'));
          const [event] = await takeEvents(w, 1);
          assert.equal(event?.type === 'ADDED' && event.object.metadata?.name, 'a');
        } finally {
          w.stop();
        }
      });

      it('turns predicate transitions into ADDED and DELETED', async () => {
        const p = space();
        const from = await store.currentResourceVersion();
        const red = (o: Item) => o.data?.color === 'red';
        const w = await store.watch<Item>(p, { resourceVersion: from, predicate: red });
        try {
          await store.create(p + 'a', item('a', { color: 'blue' }));
          await store.guaranteedUpdate<Item>(p + 'a', (c) => ({ ...c, data: { color: 'red' } }));
          await store.guaranteedUpdate<Item>(p + 'a', (c) => ({ ...c, data: { color: 'red', n: 1 } }));
          await store.guaranteedUpdate<Item>(p + 'a', (c) => ({ ...c, data: { color: 'blue' } }));
          const events = await takeEvents(w, 3);
          assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
        } finally {
          w.stop();
        }
      });

      it('sends progress notifications carrying the revision reached', async () => {
        const p = space();
        const from = await store.currentResourceVersion();
        const w = await store.watch<Item>(p, { resourceVersion: from });
        try {
          const created = await store.create(p + 'a', item('a'));
          await takeEvents(w, 1);
          w.requestProgress();
          const progress = await waitForEvent(w, (e) => e.type === 'PROGRESS');
          assert.ok(progress.revision >= rv(created));
        } finally {
          w.stop();
        }
        const periodic = await store.watch<Item>(p, { resourceVersion: from, progressNotify: true });
        try {
          const progress = await waitForEvent(periodic, (e) => e.type === 'PROGRESS');
          assert.ok(progress.revision >= Number(from));
        } finally {
          periodic.stop();
        }
      });

      it('ends cleanly when stopped', async () => {
        const w = await store.watch<Item>(space(), { resourceVersion: await store.currentResourceVersion() });
        w.stop();
        for await (const _ of w) assert.fail('no event after stop');
      });
    });

    describe('compaction', () => {
      it('keeps the latest value of each live key and drops deleted ones', async () => {
        const p = space();
        await store.create(p + 'a', item('a', { n: 1 }));
        await store.guaranteedUpdate<Item>(p + 'a', (c) => ({ ...c, data: { n: 2 } }));
        await store.create(p + 'b', item('b'));
        await store.delete(p + 'b');
        await store.create(p + 'c', item('c', { n: 3 }));
        const revision = await backend.currentRevision();
        await backend.compact(revision);
        assert.equal((await store.get<Item>(p + 'a')).data?.n, 2);
        await rejectsWith(store.get(p + 'b'), 'KeyNotFound');
        assert.deepEqual(names((await store.list(p)).items), ['a', 'c']);
        await backend.compact(revision); // again: a no-op
      });

      it('makes reads, continue tokens and watches from before the compaction fail as Expired', async () => {
        const p = space();
        for (let i = 0; i < 5; i++) await store.create(`${p}k${i}`, item(`k${i}`));
        const page = await store.list(p, { limit: 2 });
        const old = page.resourceVersion;
        await store.guaranteedUpdate<Item>(`${p}k0`, (c) => ({ ...c, data: { n: 1 } }));
        await store.create(`${p}k9`, item('k9'));
        const revision = await backend.currentRevision();
        await backend.compact(revision);
        await rejectsWith(store.list(p, { resourceVersion: old, resourceVersionMatch: 'Exact' }), 'Expired');
        await rejectsWith(store.list(p, { continue: page.continue }), 'Expired');
        await rejectsWith(store.watch(p, { resourceVersion: old }), 'Expired');
        // From the compacted revision on, history is still there.
        const w = await store.watch<Item>(p, { resourceVersion: String(revision) });
        try {
          await store.create(`${p}later`, item('later'));
          const [event] = await takeEvents(w, 1);
          assert.equal(event?.type === 'ADDED' && event.object.metadata?.name, 'later');
        } finally {
          w.stop();
        }
        assert.equal((await store.list(p, { resourceVersion: String(revision), resourceVersionMatch: 'Exact' })).items.length, 6);
      });

      it('ends a lagging watch or refuses a new one from before the compaction', async () => {
        const p = space();
        const from = await store.currentResourceVersion();
        await store.create(p + 'a', item('a'));
        await store.create(p + 'b', item('b'));
        await backend.compact(await backend.currentRevision());
        const err = await store.watch(p, { resourceVersion: from }).then(
          (w) => watchError(w),
          (e: unknown) => e,
        );
        assert.ok(isStorageError(err, 'Expired'), `expected Expired, got ${String(err)}`);
      });

      it('runs on a timer, compacting to the revision seen one interval earlier', async () => {
        const p = space();
        const clock = new FakeClock();
        const compacted: number[] = [];
        const compactor = new Compactor(backend, { clock, intervalMs: 60_000, onCompacted: (r) => compacted.push(r) }).start();
        try {
          await store.create(p + 'a', item('a', { n: 1 }));
          await clock.step(60_000);
          await compactor.idle();
          assert.deepEqual(compacted, [], 'the first round only remembers the revision');
          const seen = await backend.currentRevision();
          await store.guaranteedUpdate<Item>(p + 'a', (c) => ({ ...c, data: { n: 2 } }));
          await clock.step(60_000);
          await compactor.idle();
          assert.deepEqual(compacted, [seen]);
          assert.equal((await store.get<Item>(p + 'a')).data?.n, 2);
          await rejectsWith(store.list(p, { resourceVersion: String(seen - 1), resourceVersionMatch: 'Exact' }), 'Expired');
        } finally {
          compactor.stop();
        }
      });
    });
  });
}
