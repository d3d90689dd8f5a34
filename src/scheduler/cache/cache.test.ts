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
});
