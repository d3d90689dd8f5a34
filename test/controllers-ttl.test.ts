// The TTL-after-finished controller against a real `kite server` with the Job controller, the
// scheduler and simulated nodes whose pods succeed: a finished Job with ttlSecondsAfterFinished
// disappears (with its pods, deleted in the background) once the TTL has passed; a Job without a
// TTL stays.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../src/api/status-predicates.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { kubectlOk } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

describe('TTL-after-finished against a real kite server', () => {
  const cluster = useCluster({
    name: 'ttl',
    scheduler: true,
    controllers: true,
    extraArgs: ['--controllers', 'job,ttl-after-finished,garbagecollector'],
    nodes: { n1: {} },
    simulator: { podOutcome: () => ({ phase: 'Succeeded' }) },
  });
  const jobs = () => cluster.rest.resource<Job>(resources.JOBS).namespace(NS);
  const job = (name: string, ttl?: number): Job => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: {
      ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}),
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } },
    },
  });
  const gone = async (name: string) => {
    try {
      await jobs().get(name);
      return false;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  };

  it('deletes a finished Job and its pods once its TTL has passed, and keeps one without a TTL', async () => {
    await jobs().create(job('short', 3));
    await jobs().create(job('keep'));
    await kubectlOk(cluster.server.kubeconfig, ['wait', '--for=condition=complete', 'job/short', 'job/keep', '--timeout=30s']);
    assert.equal(await gone('short'), false, 'still there right after it finished');
    await waitUntil('job short deleted', () => gone('short'), { timeoutMs: 20_000 });
    await waitUntil('pods of short deleted', async () => {
      const pods = await cluster.rest.resource<Pod>(resources.PODS).namespace(NS).list({ labelSelector: 'batch.kubernetes.io/job-name=short' });
      return pods.items.length === 0;
    }, { timeoutMs: 20_000 });
    assert.equal(await gone('keep'), false);
  });
});
