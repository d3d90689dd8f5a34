import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { EvictionManager } from './manager.js';
import type { Observations } from './thresholds.js';
import { parseEvictionHard } from './thresholds.js';

const Mi = 2 ** 20;
const pod = (name: string, priority = 0, annotations: Record<string, string> = {}): Pod => ({ metadata: { name, namespace: 'default', uid: name, annotations }, spec: { priority, containers: [{ name: 'c' }] } });

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
