// Preemption against a real `kite server` with the scheduler and a simulated node: PriorityClasses
// resolve to pod priorities at admission; a high-priority pod that fits nowhere evicts a
// lower-priority one (DisruptionTarget condition, Preempted event), is nominated to the node and
// lands there once its victim is gone.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { isNotFound } from '../src/api/status-predicates.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { waitUntil } from './support/wait-until.js';

describe('scheduler preemption against a real kite server', () => {
  const cluster = useCluster({ name: 'preempt', scheduler: true, nodes: { n1: { cpu: '2' } } });
  const pods = () => cluster.rest.resource<Pod>(resources.PODS).namespace('default');
  const pod = (name: string, priorityClassName: string, cpu: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { priorityClassName, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }] },
  });

  before(async () => {
    for (const [name, value] of [['low', 100], ['high', 1000]] as const) {
      await cluster.rest.resource<PriorityClass>(resources.PRIORITYCLASSES).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
    }
  });

  it('evicts a lower-priority pod so a higher-priority one can run', async () => {
    const low = await pods().create(pod('victim', 'low', '1500m'));
    assert.equal(low.spec?.priority, 100, 'Priority admission resolved the class');
    await waitUntil('victim running', async () => (await pods().get('victim')).status?.phase === 'Running', { timeoutMs: 15_000 });

    const high = await pods().create(pod('preemptor', 'high', '1'));
    assert.equal(high.spec?.priority, 1000);
    assert.equal(high.spec?.preemptionPolicy, 'PreemptLowerPriority');
    await waitUntil(
      'the victim is gone',
      async () => {
        try {
          await pods().get('victim');
          return false;
        } catch (err) {
          if (isNotFound(err)) return true;
          throw err;
        }
      },
      { timeoutMs: 20_000 },
    );
    await waitUntil('preemptor bound to n1', async () => (await pods().get('preemptor')).spec?.nodeName === 'n1', { timeoutMs: 20_000 });
    const events = (await cluster.rest.resource<Event>(resources.EVENTS).namespace('default').list()).items;
    const preempted = events.find((e) => e.reason === 'Preempted' && e.involvedObject.name === 'victim');
    assert.ok(preempted, `a Preempted event; events: ${events.map((e) => `${e.reason}: ${e.message}`).join(' | ')}`);
    assert.equal(preempted.message, `Preempted by pod ${high.metadata?.uid} on node n1`);
    const failed = events.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'preemptor');
    assert.equal(failed?.message, '0/1 nodes are available: 1 Insufficient cpu.');
    assert.deepEqual(cluster.nodes.problems(), []);
  });

  it('refuses a pod naming an unknown PriorityClass', async () => {
    await assert.rejects(pods().create(pod('nope', 'no-such-class', '1')), (err: unknown) => /no PriorityClass with name no-such-class was found/.test(String(err)));
  });
});
