import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { makeNode, makePod } from '../testing/wrappers.js';
import { SchedulerCache } from './cache.js';

describe('SchedulerCache', () => {
  it('counts assumed pods until the binding is confirmed', () => {
    const clock = new FakeClock();
    const cache = new SchedulerCache({ clock });
    cache.addNode(makeNode({ name: 'n' }));
    const pod = makePod({ name: 'p', requests: { cpu: '1' }, nodeName: 'n' });
    cache.assumePod(pod);
    assert.equal(cache.snapshot().get('n')!.requested.milliCPU, 1000);
    cache.finishBinding(pod);
    cache.addPod(pod); // the informer saw the binding
    assert.equal(cache.isAssumed(pod), false);
    assert.equal(cache.snapshot().get('n')!.requested.milliCPU, 1000);
    cache.removePod(pod);
    assert.equal(cache.snapshot().get('n')!.requested.milliCPU, 0);
  });

  it('expires an assumed pod whose binding is never seen, and forgets on failure', async () => {
    const clock = new FakeClock();
    const cache = new SchedulerCache({ clock, assumedPodTtlMs: 1000 });
    cache.addNode(makeNode({ name: 'n' }));
    const a = makePod({ name: 'a', requests: { cpu: '1' }, nodeName: 'n' });
    const b = makePod({ name: 'b', requests: { cpu: '1' }, nodeName: 'n' });
    cache.assumePod(a);
    cache.assumePod(b);
    cache.forgetPod(b);
    assert.equal(cache.snapshot().get('n')!.requested.milliCPU, 1000);
    cache.cleanupExpiredAssumedPods();
    assert.equal(cache.podCount(), 1); // binding not finished: never expires
    cache.finishBinding(a);
    await clock.step(1000);
    cache.cleanupExpiredAssumedPods();
    assert.equal(cache.podCount(), 0);
    assert.equal(cache.snapshot().get('n')!.requested.milliCPU, 0);
  });

  it('snapshots reuse unchanged NodeInfos and drop deleted nodes', () => {
    const cache = new SchedulerCache({ clock: new FakeClock() });
    cache.addNode(makeNode({ name: 'a' }));
    cache.addNode(makeNode({ name: 'b' }));
    const s1 = cache.snapshot();
    cache.addPod(makePod({ name: 'p', nodeName: 'b', requests: { cpu: '1' } }));
    const s2 = cache.snapshot();
    assert.equal(s1.get('a'), s2.get('a'));
    assert.notEqual(s1.get('b'), s2.get('b'));
    assert.equal(s1.get('b')!.pods.length, 0);
    cache.removeNode(makeNode({ name: 'a' }));
    assert.deepEqual(cache.snapshot().list().map((n) => n.name), ['b']);
  });

  it('copies only the NodeInfos changed since the last snapshot and keeps the node order', () => {
    const cache = new SchedulerCache({ clock: new FakeClock() });
    for (const n of ['a', 'b', 'c']) cache.addNode(makeNode({ name: n }));
    const s1 = cache.snapshot();
    assert.equal(cache.snapshot(), s1, 'nothing changed: the same snapshot');
    cache.addPod(makePod({ name: 'p', nodeName: 'c', requests: { cpu: '1' } }));
    cache.addPod(makePod({ name: 'q', nodeName: 'a', requests: { cpu: '1' } }));
    const s2 = cache.snapshot();
    assert.deepEqual(s2.list().map((n) => n.name), ['a', 'b', 'c']);
    assert.equal(s2.get('b'), s1.get('b'));
    assert.equal(s2.get('c')!.pods.length, 1);
    assert.equal(s2.list()[0], s2.get('a'));
    assert.equal(s1.get('c')!.pods.length, 0, 'an earlier snapshot does not change');
    // A pod whose node is not known yet, then its node: the node joins at its first-seen place.
    cache.addPod(makePod({ name: 'early', nodeName: 'd' }));
    assert.equal(cache.snapshot().get('d'), undefined);
    cache.addNode(makeNode({ name: 'e' }));
    cache.addNode(makeNode({ name: 'd' }));
    assert.deepEqual(cache.snapshot().list().map((n) => n.name), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(cache.snapshot().get('d')!.pods.length, 1);
    cache.removeNode(makeNode({ name: 'b' }));
    const s3 = cache.snapshot();
    assert.deepEqual(s3.list().map((n) => n.name), ['a', 'c', 'd', 'e']);
    assert.equal(s3.get('b'), undefined);
    assert.equal(s3.get('e'), s3.list()[3]);
  });

  it('lists the nodes holding pods with affinity and required anti-affinity', () => {
    const cache = new SchedulerCache({ clock: new FakeClock() });
    for (const n of ['a', 'b', 'c']) cache.addNode(makeNode({ name: n }));
    const term = { labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' };
    const anti = makePod({ name: 'anti', nodeName: 'c', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } });
    const pref = makePod({ name: 'pref', nodeName: 'a', affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] } } });
    assert.deepEqual(cache.snapshot().havePodsWithAffinityList(), []);
    cache.addPod(anti);
    cache.addPod(pref);
    cache.addPod(makePod({ name: 'plain', nodeName: 'b' }));
    let s = cache.snapshot();
    assert.deepEqual(s.havePodsWithAffinityList().map((n) => n.name), ['a', 'c']);
    assert.deepEqual(s.havePodsWithRequiredAntiAffinityList().map((n) => n.name), ['c']);
    // A later change to a listed node is seen through the list too.
    cache.addPod(makePod({ name: 'more', nodeName: 'c' }));
    s = cache.snapshot();
    assert.equal(s.havePodsWithRequiredAntiAffinityList()[0]!.pods.length, 2);
    cache.removePod(anti);
    s = cache.snapshot();
    assert.deepEqual(s.havePodsWithAffinityList().map((n) => n.name), ['a']);
    assert.deepEqual(s.havePodsWithRequiredAntiAffinityList(), []);
  });

  it('counts the nodes per image, recounting only when node images change', () => {
    const cache = new SchedulerCache({ clock: new FakeClock() });
    const withImages = (name: string, images: string[]) => {
      const n = makeNode({ name });
      return { ...n, status: { ...n.status, images: [{ names: images, sizeBytes: 100 }] } };
    };
    cache.addNode(withImages('a', ['nginx']));
    cache.addNode(withImages('b', ['nginx', 'redis:7']));
    const s1 = cache.snapshot();
    assert.deepEqual([...s1.imageNodeCounts()], [['nginx:latest', 2], ['redis:7', 1]]);
    cache.addPod(makePod({ name: 'p', nodeName: 'a' }));
    assert.equal(cache.snapshot().imageNodeCounts(), s1.imageNodeCounts(), 'a pod change keeps the counts');
    cache.updateNode(withImages('b', []), withImages('b', ['nginx', 'redis:7']));
    assert.equal(cache.snapshot().imageNodeCounts(), s1.imageNodeCounts(), 'same images: same counts');
    cache.updateNode(withImages('b', []), withImages('b', ['redis:7']));
    assert.deepEqual([...cache.snapshot().imageNodeCounts()], [['nginx:latest', 1], ['redis:7', 1]]);
  });
});
