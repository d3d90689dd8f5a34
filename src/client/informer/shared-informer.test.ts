import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { failureStatus, fromStatus } from '../../api/status.js';
import { FakeClock } from '../../util/clock.js';
import { fieldIndexFunc } from './indexer.js';
import type { ResourceEventHandler } from './handlers.js';
import { SharedIndexInformer } from './shared-informer.js';
import { FakeListerWatcher, list } from './test-support.js';
import { isTombstone } from './tombstone.js';

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
}
const pod = (name: string, rv: string, node?: string): Pod => ({
  kind: 'Pod',
  metadata: { namespace: 'default', name, resourceVersion: rv },
  ...(node ? { spec: { nodeName: node } } : {}),
});
const gone = () => fromStatus(failureStatus(410, 'Expired', 'too old resource version'));

async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

/** A handler that records every call as a line. */
function recorder(): { lines: string[]; handler: ResourceEventHandler<Pod> } {
  const lines: string[] = [];
  const rv = (o: Pod) => o.metadata?.resourceVersion ?? '';
  return {
    lines,
    handler: {
      onAdd: (o, initial) => lines.push(`add ${o.metadata?.name}@${rv(o)}${initial ? ' initial' : ''}`),
      onUpdate: (a, b) => lines.push(`update ${b.metadata?.name}@${rv(a)}->${rv(b)}`),
      onDelete: (o) => lines.push(isTombstone(o) ? `tombstone ${o.key}@${rv(o.obj)}` : `delete ${o.metadata?.name}@${rv(o)}`),
    },
  };
}

function setup(options: { resyncPeriodMs?: number; pageSize?: number } = {}) {
  const clock = new FakeClock(0);
  const lw = new FakeListerWatcher<Pod>();
  const informer = new SharedIndexInformer<Pod>(lw, {
    clock,
    random: () => 0,
    indexers: { node: fieldIndexFunc('spec.nodeName') },
    backoff: { initialMs: 1000, maxMs: 8000 },
    ...options,
  });
  const rec = recorder();
  informer.addEventHandler(rec.handler);
  return { clock, lw, informer, rec };
}

describe('SharedIndexInformer', () => {
  it('lists in pages, syncs, then watches from the list resourceVersion with bookmarks', async () => {
    const { lw, informer, rec } = setup({ pageSize: 2 });
    lw.answerList(list('10', [pod('a', '3'), pod('b', '4')], 'tok'), list('10', [pod('c', '5')]));
    assert.equal(informer.hasSynced(), false);
    informer.start();
    assert.equal(await informer.waitForSync(), true);
    assert.deepEqual(lw.listCalls.map((c) => [c.limit, c.continue]), [[2, undefined], [2, 'tok']]);
    assert.deepEqual(rec.lines, ['add a@3 initial', 'add b@4 initial', 'add c@5 initial']);
    await settle();
    assert.equal(lw.watchCalls[0]!.resourceVersion, '10');
    assert.equal(lw.watchCalls[0]!.allowWatchBookmarks, true);
    assert.ok(lw.watchCalls[0]!.timeoutSeconds! >= 300);

    lw.current.push({ type: 'ADDED', object: pod('d', '11', 'n1') });
    lw.current.push({ type: 'MODIFIED', object: pod('a', '12', 'n1') });
    lw.current.push({ type: 'DELETED', object: pod('b', '13') });
    lw.current.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } });
    await settle();
    assert.deepEqual(rec.lines.slice(3), ['add d@11', 'update a@3->12', 'delete b@13']);
    assert.equal(informer.lastSyncResourceVersion(), '20');
    assert.deepEqual(informer.indexer.listKeys().sort(), ['default/a', 'default/c', 'default/d']);
    assert.deepEqual(informer.indexer.indexKeys('node', 'n1').sort(), ['default/a', 'default/d']);
    assert.deepEqual(informer.lister().namespace('default').get('a')?.metadata?.resourceVersion, '12');
    await informer.stop();
    assert.equal(lw.current.stopped, true);
  });

  it('re-watches from the last resourceVersion when a watch ends, backing off when it ends at once', async () => {
    const { clock, lw, informer, rec } = setup();
    lw.answerList(list('10', []));
    informer.start();
    await informer.waitForSync();
    await settle();
    lw.current.push({ type: 'ADDED', object: pod('a', '11') });
    lw.current.end();
    await settle();
    assert.equal(lw.watchCalls.length, 2, 'a healthy watch that ended is re-opened at once');
    assert.equal(lw.watchCalls[1]!.resourceVersion, '11');
    lw.current.end(); // ended immediately, nothing delivered
    await settle();
    assert.equal(lw.watchCalls.length, 2, 'backs off before re-watching');
    await clock.step(1000);
    await settle();
    assert.equal(lw.watchCalls.length, 3);
    assert.equal(lw.watchCalls[2]!.resourceVersion, '11');
    lw.current.fail(new Error('ECONNRESET'));
    await settle();
    await clock.step(1999);
    await settle();
    assert.equal(lw.watchCalls.length, 3, 'second failure waits 2 s');
    await clock.step(1);
    await settle();
    assert.equal(lw.watchCalls.length, 4);
    assert.equal(lw.listCalls.length, 1, 'no relist for a watch that merely ended');
    assert.deepEqual(rec.lines, ['add a@11']);
    await informer.stop();
  });

  it('relists on 410 Gone when opening a watch, and tombstones objects that vanished', async () => {
    const { lw, informer, rec } = setup();
    lw.answerList(list('10', [pod('a', '3'), pod('b', '4')]), list('30', [pod('a', '25'), pod('c', '26')]));
    lw.answerWatch(gone());
    informer.start();
    await informer.waitForSync();
    await settle();
    assert.equal(lw.listCalls.length, 2);
    assert.equal(informer.stats().expired, 1);
    assert.deepEqual(rec.lines, ['add a@3 initial', 'add b@4 initial', 'update a@3->25', 'add c@26', 'tombstone default/b@4']);
    assert.equal(lw.watchCalls.at(-1)!.resourceVersion, '30');
    assert.deepEqual(informer.indexer.listKeys().sort(), ['default/a', 'default/c']);
    await informer.stop();
  });

  it('backs off when every relist is answered with 410 again', async () => {
    const { clock, lw, informer } = setup();
    lw.answerList(list('10', []), list('11', []), list('12', []), list('13', []));
    lw.answerWatch(gone(), gone(), gone());
    informer.start();
    await informer.waitForSync();
    await settle();
    assert.equal(lw.listCalls.length, 2, 'the first expiry relists at once');
    await settle();
    assert.equal(lw.listCalls.length, 2, 'a second expiry straight after a relist backs off');
    await clock.step(1000);
    await settle();
    assert.equal(lw.listCalls.length, 3);
    await clock.step(2000);
    await settle();
    assert.equal(lw.listCalls.length, 4);
    assert.equal(lw.current.options.resourceVersion, '13');
    await informer.stop();
  });

  it('relists on an ERROR event with 410 in the watch stream', async () => {
    const { lw, informer, rec } = setup();
    lw.answerList(list('10', [pod('a', '3')]), list('40', []));
    informer.start();
    await informer.waitForSync();
    await settle();
    lw.current.push({ type: 'MODIFIED', object: pod('a', '11') });
    lw.current.push({ type: 'ERROR', object: failureStatus(410, 'Expired', 'too old resource version: 11 (35)') });
    await settle();
    assert.equal(lw.listCalls.length, 2);
    assert.equal(lw.current.options.resourceVersion, '40');
    assert.deepEqual(rec.lines, ['add a@3 initial', 'update a@3->11', 'tombstone default/a@11']);
    await informer.stop();
  });

  it('falls back to one unpaginated list when the continue token expires', async () => {
    const { lw, informer, rec } = setup({ pageSize: 1 });
    lw.answerList(list('10', [pod('a', '3')], 'tok'), gone(), list('12', [pod('a', '3'), pod('b', '11')]));
    informer.start();
    await informer.waitForSync();
    assert.deepEqual(lw.listCalls.map((c) => [c.limit, c.continue]), [[1, undefined], [1, 'tok'], [undefined, undefined]]);
    assert.deepEqual(rec.lines, ['add a@3 initial', 'add b@11 initial']);
    assert.equal(informer.lastSyncResourceVersion(), '12');
    await informer.stop();
  });

  it('backs off exponentially while lists fail, and is not synced until one succeeds', async () => {
    const { clock, lw, informer } = setup();
    lw.answerList(new Error('connection refused'), new Error('connection refused'), list('5', [pod('a', '1')]));
    informer.start();
    await settle();
    assert.equal(informer.hasSynced(), false);
    assert.equal(lw.listCalls.length, 1);
    await clock.step(1000);
    await settle();
    assert.equal(lw.listCalls.length, 2);
    await clock.step(1999);
    await settle();
    assert.equal(lw.listCalls.length, 2);
    await clock.step(1);
    assert.equal(await informer.waitForSync(), true);
    assert.equal(informer.stats().listErrors, 2);
    await informer.stop();
  });

  it('resyncs: re-delivers every cached object as an update each period, per handler', async () => {
    const { clock, lw, informer, rec } = setup({ resyncPeriodMs: 30_000 });
    const fast = recorder();
    informer.addEventHandler(fast.handler, { resyncPeriodMs: 10_000 });
    lw.answerList(list('10', [pod('a', '3'), pod('b', '4')]));
    informer.start();
    await informer.waitForSync();
    await clock.step(10_000);
    assert.deepEqual(rec.lines.slice(2), []);
    assert.deepEqual(fast.lines.slice(2), ['update a@3->3', 'update b@4->4']);
    await clock.step(20_000);
    assert.deepEqual(rec.lines.slice(2), ['update a@3->3', 'update b@4->4']);
    assert.equal(fast.lines.length, 2 + 6);
    await informer.stop();
    assert.equal(clock.pending(), 0, 'stop cancels the resync timers');
  });

  it('gives late handlers the cached objects, survives a throwing handler, and stops delivering after remove', async () => {
    const { lw, informer, rec } = setup();
    lw.answerList(list('10', [pod('a', '3')]));
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('boom');
      },
    });
    informer.start();
    await informer.waitForSync();
    const late = recorder();
    const reg = informer.addEventHandler(late.handler);
    assert.equal(reg.hasSynced(), true);
    assert.deepEqual(late.lines, ['add a@3 initial']);
    await settle();
    reg.remove();
    lw.current.push({ type: 'ADDED', object: pod('b', '11') });
    await settle();
    assert.deepEqual(rec.lines, ['add a@3 initial', 'add b@11'], 'a throwing handler does not stop the others');
    assert.deepEqual(late.lines, ['add a@3 initial']);
    await informer.stop();
    assert.equal(await informer.waitForSync(), true);
  });

  it('waitForSync resolves false when stopped or timed out before syncing', async () => {
    const { clock, lw, informer } = setup();
    lw.answerList(new Error('down'));
    informer.start();
    const timedOut = informer.waitForSync({ timeoutMs: 100 });
    await clock.step(100);
    assert.equal(await timedOut, false);
    const pending = informer.waitForSync();
    await informer.stop();
    assert.equal(await pending, false);
  });
});
