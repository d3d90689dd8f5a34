import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { thresholdConfig } from './config.js';
import { EvictionManager, type PodEvictor } from './manager.js';
import type { Observations } from './thresholds.js';
import { parseEvictionHard } from './thresholds.js';

const Mi = 2 ** 20;
const pod = (name: string, priority = 0, annotations: Record<string, string> = {}, terminationGracePeriodSeconds = 30): Pod => ({
  metadata: { name, namespace: 'default', uid: name, annotations },
  spec: { priority, terminationGracePeriodSeconds, containers: [{ name: 'c' }] },
});
const settle = () => new Promise((r) => setImmediate(r));

/** An evictor over `pods` that records what it evicts (name:grace) and removes it. */
function recordingEvictor(pods: Pod[]): PodEvictor & { evicted: string[] } {
  let active = [...pods];
  const evicted: string[] = [];
  return {
    evicted,
    activePods: () => active,
    usage: async () => new Map(active.map((p) => [p.metadata!.uid!, { containers: [{ name: 'c', memoryBytes: 10 * Mi }] }])),
    evict: async (p, _message, grace) => {
      evicted.push(`${p.metadata!.name}:${grace}`);
      active = active.filter((x) => x !== p);
    },
  };
}

test('under a crossed threshold one pod is evicted per period, ranked, critical pods spared; conditions and admission follow', async () => {
  const clock = new FakeClock();
  let observations: Observations = { 'memory.available': { available: 50 * Mi, capacity: 1024 * Mi } };
  let active = [pod('critical', 0, { 'kubernetes.io/config.source': 'file' }), pod('low', -10), pod('high', 100)];
  const evicted: { name: string; message: string; grace: number }[] = [];
  const manager = new EvictionManager({
    thresholds: parseEvictionHard('memory.available<100Mi'),
    observe: () => observations,
    clock,
    logger: silentLogger,
    transitionMs: 60_000,
    evictor: {
      activePods: () => active,
      usage: async () => new Map(active.map((p) => [p.metadata!.uid!, { containers: [{ name: 'c', memoryBytes: 10 * Mi }] }])),
      evict: async (p, message, grace) => {
        evicted.push({ name: p.metadata!.name!, message, grace });
        active = active.filter((x) => x !== p);
      },
    },
  });
  manager.start();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(manager.conditions(), ['MemoryPressure']);
  assert.deepEqual(evicted.map((e) => e.name), ['low']);
  assert.equal(evicted[0]!.grace, 0);
  assert.match(evicted[0]!.message, /^The node was low on resource: memory\. Threshold quantity: 100Mi, available: 50Mi\. Container c was using 10Mi, request is 0/);
  assert.equal(manager.admit(pod('besteffort')).admit, false);

  await clock.step(10_000);
  assert.deepEqual(evicted.map((e) => e.name), ['low', 'high']);
  await clock.step(10_000);
  assert.deepEqual(evicted.map((e) => e.name), ['low', 'high'], 'the critical pod stays');

  observations = { 'memory.available': { available: 500 * Mi, capacity: 1024 * Mi } };
  await clock.step(10_000);
  assert.deepEqual(manager.conditions(), ['MemoryPressure'], 'within the transition period');
  await clock.step(60_000);
  assert.deepEqual(manager.conditions(), []);
  assert.equal(manager.admit(pod('besteffort')).admit, true);
  await manager.stop();
});

test('disk pressure first reclaims node-level resources (unused images); pods are evicted only if that was not enough', async () => {
  const clock = new FakeClock();
  const Gi = 2 ** 30;
  let available = 5 * Gi;
  let freeable = 20 * Gi;
  const evicted: string[] = [];
  let reclaims = 0;
  const manager = new EvictionManager({
    thresholds: parseEvictionHard('nodefs.available<10%'),
    observe: () => ({ 'nodefs.available': { available, capacity: 100 * Gi } }),
    clock,
    logger: silentLogger,
    reclaimNodeLevel: async () => {
      reclaims++;
      available += freeable;
      freeable = 0;
    },
    evictor: {
      activePods: () => [pod('a')],
      usage: async () => new Map(),
      evict: async (p) => {
        evicted.push(p.metadata!.name!);
      },
    },
  });
  manager.start();
  await new Promise((r) => setImmediate(r));
  assert.equal(reclaims, 1);
  assert.deepEqual(evicted, [], 'freeing images brought the node back over the threshold');

  available = 1 * Gi; // filled up again, and nothing left to free
  await clock.step(10_000);
  await new Promise((r) => setImmediate(r));
  assert.equal(reclaims, 2);
  assert.deepEqual(evicted, ['a']);
  await manager.stop();
});

test('a soft threshold evicts only once crossed for its grace period, with the grace period capped by --eviction-max-pod-grace-period; a hard one at once with none', async () => {
  const clock = new FakeClock();
  const { hard, soft } = thresholdConfig({ hard: parseEvictionHard('memory.available<100Mi'), soft: parseEvictionHard('memory.available<500Mi'), softGracePeriods: { 'memory.available': 30_000 } });
  let availableMi = 300;
  const evictor = recordingEvictor([pod('long', -10, {}, 60), pod('short', 0, {}, 5), pod('last', 10, {}, 60)]);
  const manager = new EvictionManager({
    thresholds: [...hard, ...soft],
    observe: () => ({ 'memory.available': { available: availableMi * Mi, capacity: 1024 * Mi } }),
    clock,
    logger: silentLogger,
    maxPodGraceSeconds: 20,
    evictor,
  });
  manager.start();
  await settle();
  assert.deepEqual(manager.conditions(), ['MemoryPressure'], 'the condition from the first observation');
  await clock.step(20_000);
  assert.deepEqual(evictor.evicted, [], 'within the grace period');
  await clock.step(10_000);
  await settle();
  assert.deepEqual(evictor.evicted, ['long:20'], 'min(60, 20)');
  await clock.step(10_000);
  await settle();
  assert.deepEqual(evictor.evicted, ['long:20', 'short:5'], "min(5, 20): the pod's own");
  availableMi = 50;
  await clock.step(10_000);
  await settle();
  assert.deepEqual(evictor.evicted, ['long:20', 'short:5', 'last:0'], 'the hard threshold first, without a grace period');
  await manager.stop();
});

test('a met threshold keeps evicting until the signal recovers past threshold + minimum reclaim', async () => {
  const clock = new FakeClock();
  const { hard } = thresholdConfig({ hard: parseEvictionHard('memory.available<100Mi'), minimumReclaims: { 'memory.available': { quantity: 200 * Mi } } });
  let availableMi = 50;
  const evictor = recordingEvictor([pod('a', 0), pod('b', 1), pod('c', 2)]);
  const manager = new EvictionManager({ thresholds: hard, observe: () => ({ 'memory.available': { available: availableMi * Mi, capacity: 1024 * Mi } }), clock, logger: silentLogger, evictor });
  manager.start();
  await settle();
  availableMi = 150;
  await clock.step(10_000);
  await settle();
  assert.deepEqual(evictor.evicted, ['a:0', 'b:0'], 'over the threshold, short of threshold + reclaim');
  availableMi = 300;
  await clock.step(10_000);
  await settle();
  assert.deepEqual(evictor.evicted, ['a:0', 'b:0']);
  await manager.stop();
});

test('node-level reclaim is enough only if every threshold is clear by its minimum reclaim', async () => {
  const clock = new FakeClock();
  const Gi = 2 ** 30;
  let available = 5 * Gi;
  const { hard } = thresholdConfig({ hard: parseEvictionHard('nodefs.available<10%'), minimumReclaims: { 'nodefs.available': { percentage: 0.05 } } });
  const evictor = recordingEvictor([pod('a')]);
  const manager = new EvictionManager({
    thresholds: hard,
    observe: () => ({ 'nodefs.available': { available, capacity: 100 * Gi } }),
    clock,
    logger: silentLogger,
    reclaimNodeLevel: async () => {
      available = 12 * Gi;
    },
    evictor,
  });
  manager.start();
  await settle();
  await settle();
  assert.deepEqual(evictor.evicted, ['a:0'], '12% is over the threshold but short of 10% + 5%');
  await manager.stop();
});
