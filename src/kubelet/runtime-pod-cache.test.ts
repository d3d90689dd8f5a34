import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { LABEL_POD_UID } from './labels.js';
import { RelistPleg } from './pleg.js';
import { RuntimePodCache } from './runtime-pod-cache.js';
import { FakeRuntime } from './test-support.js';

/** A FakeRuntime that counts listPodSandbox calls (one per runtime read of a pod). */
class CountingRuntime extends FakeRuntime {
  lists = 0;
  override listPodSandbox(...args: Parameters<FakeRuntime['listPodSandbox']>): ReturnType<FakeRuntime['listPodSandbox']> {
    this.lists++;
    return super.listPodSandbox(...args);
  }
}

async function setup(relisting = true) {
  const clock = new FakeClock();
  const runtime = new CountingRuntime(clock);
  const state = { relisting };
  const cache = new RuntimePodCache({ runtime, relisting: () => state.relisting });
  const id = await runtime.runPodSandbox({
    metadata: { name: 'p', namespace: 'default', uid: 'u1', attempt: 0 },
    hostname: 'p',
    logDirectory: '/tmp/p',
    portMappings: [],
    labels: { [LABEL_POD_UID]: 'u1' },
    annotations: {},
    hostNetwork: false,
  });
  runtime.lists = 0;
  return { clock, runtime, cache, state, id };
}

describe('RuntimePodCache', () => {
  it('reuses a pod read until the PLEG reports the pod changed', async () => {
    const { runtime, cache } = await setup();
    const first = await cache.read('u1');
    assert.equal(first.sandboxes.length, 1);
    assert.equal((await cache.read('u1')).sandboxes[0]!.state, 'ready');
    assert.equal(runtime.lists, 1);
    cache.invalidate('u1');
    await cache.read('u1');
    assert.equal(runtime.lists, 2);
  });

  it("drops every entry when one of the kubelet's own runtime calls changes sandboxes or containers", async () => {
    const { runtime, cache, id } = await setup();
    await cache.read('u1');
    await cache.runtime.listContainers();
    await cache.read('u1');
    assert.equal(runtime.lists, 1, 'a read-only call keeps the entry');
    await cache.runtime.stopPodSandbox(id);
    const after = await cache.read('u1');
    assert.equal(after.sandboxes[0]!.state, 'notready');
    assert.equal(runtime.lists, 2);
  });

  it('does not keep a read that overlapped an invalidation', async () => {
    const { runtime, cache } = await setup();
    const reading = cache.read('u1');
    cache.invalidate('other');
    await reading;
    await cache.read('u1');
    assert.equal(runtime.lists, 2);
    await cache.read('u1');
    assert.equal(runtime.lists, 2);
  });

  it('reads the runtime every time while the PLEG is not relisting', async () => {
    const { runtime, cache, state } = await setup(false);
    await cache.read('u1');
    await cache.read('u1');
    assert.equal(runtime.lists, 2);
    state.relisting = true;
    await cache.read('u1');
    await cache.read('u1');
    assert.equal(runtime.lists, 3);
    state.relisting = false;
    await cache.read('u1');
    assert.equal(runtime.lists, 4);
  });
});

describe('RelistPleg.healthy', () => {
  it('is true only while relisting runs and its last success is recent', async () => {
    const clock = new FakeClock();
    const runtime = new FakeRuntime(clock);
    const pleg = new RelistPleg(runtime, clock, silentLogger, () => undefined);
    assert.equal(pleg.healthy(10_000), false);
    pleg.start(1_000);
    assert.equal(pleg.healthy(10_000), false, 'no relist yet');
    await pleg.relist();
    assert.equal(pleg.healthy(10_000), true);
    pleg.stop();
    assert.equal(pleg.healthy(10_000), false);
  });
});
