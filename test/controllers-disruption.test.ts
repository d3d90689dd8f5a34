// The disruption controller against a real `kite server`: a PodDisruptionBudget's status follows
// its pods, and the eviction API honours it — one eviction allowed, the next refused with 429 —
// until the evicted pod's replacement is healthy again.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

describe('disruption controller against a real kite server', () => {
  const cluster = useCluster({ name: 'pdb', controllers: true, extraArgs: ['--controllers', 'disruption'], nodes: { n1: {} } });
  const pods = () => cluster.rest.resource<Pod>(resources.PODS).namespace(NS);
  const pdbs = () => cluster.rest.resource<PodDisruptionBudget>(resources.PODDISRUPTIONBUDGETS).namespace(NS);
  const createPod = (name: string) =>
    pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'db' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
  const evict = (name: string) => pods().createSubresource(name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS } });


  it('keeps the budget\'s status and lets evictions through only while it allows them', async () => {
    for (const name of ['db-1', 'db-2', 'db-3']) await createPod(name);
    await pdbs().create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: NS }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } } });
    await waitUntil('one disruption allowed', async () => (await pdbs().get('db')).status?.disruptionsAllowed === 1, { timeoutMs: 20_000 });
    const status = (await pdbs().get('db')).status!;
    assert.deepEqual([status.expectedPods, status.desiredHealthy, status.currentHealthy], [3, 2, 3]);
    assert.equal(status.conditions?.find((c) => c.type === 'DisruptionAllowed')?.reason, 'SufficientPods');

    await evict('db-1');
    await assert.rejects(evict('db-2'), (err: unknown) => /429|Cannot evict pod as it would violate the pod's disruption budget/.test(String(err)));
    await waitUntil('no disruption allowed', async () => {
      const s = (await pdbs().get('db')).status;
      return s?.disruptionsAllowed === 0 && s.currentHealthy === 2 && s.conditions?.find((c) => c.type === 'DisruptionAllowed')?.reason === 'InsufficientPods';
    }, { timeoutMs: 20_000 });

    await createPod('db-4');
    await waitUntil('allowed again once a replacement is healthy', async () => (await pdbs().get('db')).status?.disruptionsAllowed === 1, { timeoutMs: 20_000 });
    await evict('db-2');
  });

  it('fails safe for a percentage over pods without a controller', async () => {
    await pdbs().create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pct', namespace: NS }, spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'db' } } } });
    await waitUntil('SyncFailed', async () => (await pdbs().get('pct')).status?.conditions?.find((c) => c.type === 'DisruptionAllowed')?.reason === 'SyncFailed', { timeoutMs: 20_000 });
    assert.equal((await pdbs().get('pct')).status?.disruptionsAllowed, 0);
  });
});
