// The Job controller run in-process on an injected clock against a real `kite server` (scheduler
// and simulated nodes): Kubernetes' default timings hold without waiting for them — a failed pod
// is replaced only after the 10 s pod-failure backoff has passed on the clock, and a Job past its
// 10-minute activeDeadlineSeconds fails with DeadlineExceeded the moment the clock gets there.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { resources } from '../src/client/rest/index.js';
import { startControllerManager, type RunningControllerManager } from '../src/controllers/index.js';
import { FakeClock } from '../src/util/clock.js';
import { silentLogger } from '../src/util/log.js';
import { useCluster } from './support/cluster-fixture.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

describe('Job controller on an injected clock', () => {
  const cluster = useCluster({
    name: 'job-clock',
    scheduler: true,
    nodes: { n1: {} },
    simulator: { podOutcome: (pod) => (pod.metadata?.labels?.['outcome'] === 'fail' ? { phase: 'Failed', exitCode: 1 } : { phase: 'Running' }) },
  });
  const clock = new FakeClock(Date.now());
  let manager: RunningControllerManager;
  const jobs = () => cluster.rest.resource<Job>(resources.JOBS).namespace(NS);
  const podsOf = async (job: string) => (await cluster.rest.resource<Pod>(resources.PODS).namespace(NS).list({ labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
  const job = (name: string, spec: Partial<Job['spec']>, outcome: string): Job => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { template: { metadata: { labels: { outcome } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
  });

  before(async () => {
    manager = await startControllerManager({ client: cluster.rest, controllers: ['job'], clock, logger: silentLogger });
    await manager.started;
  });
  // Shutdown flushes events, whose retries wait on the injected clock: keep it moving until stopped.
  after(async () => {
    if (!manager) return;
    let stopped = false;
    const stopping = manager.stop().then(() => (stopped = true));
    for (let i = 0; i < 600 && !stopped; i++) {
      await clock.step(1000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await stopping;
  });

  it('replaces a failed pod only once the pod-failure backoff has passed on the clock', async () => {
    await jobs().create(job('retry', { backoffLimit: 3 }, 'fail'));
    await waitUntil('first pod failed and counted', async () => (await jobs().get('retry')).status?.failed === 1, { timeoutMs: 20_000 });
    // The backoff counts from when the pod finished (the node's wall-clock time, whole seconds),
    // which may be ahead of the injected clock by however long the start took: step from there.
    const finishedAt = Date.parse((await podsOf('retry'))[0]?.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt ?? '');
    assert.ok(Number.isFinite(finishedAt), 'the failed pod has a finish time');
    // 10 s of backoff not yet passed: still one pod, however long real time goes by meanwhile.
    await clock.step(Math.max(0, finishedAt + 5_000 - clock.now()));
    assert.equal((await podsOf('retry')).length, 1);
    await clock.step(Math.max(0, finishedAt + 11_000 - clock.now()));
    await waitUntil('a replacement after the backoff', async () => (await podsOf('retry')).length === 2, { timeoutMs: 20_000 });
  });

  it('fails a Job past activeDeadlineSeconds when the clock reaches it', async () => {
    await jobs().create(job('deadline', { activeDeadlineSeconds: 600 }, 'run'));
    await waitUntil('its pod runs', async () => (await podsOf('deadline')).some((p) => p.status?.phase === 'Running'), { timeoutMs: 20_000 });
    await waitUntil('startTime set', async () => !!(await jobs().get('deadline')).status?.startTime, { timeoutMs: 20_000 });
    await clock.step(599_000);
    assert.ok(!(await jobs().get('deadline')).status?.conditions?.some((c) => c.type === 'Failed'), 'not failed before the deadline');
    await clock.step(2_000);
    await waitUntil('DeadlineExceeded', async () => {
      await clock.step(100);
      return (await jobs().get('deadline')).status?.conditions?.some((c) => c.type === 'Failed' && c.reason === 'DeadlineExceeded') === true;
    }, { timeoutMs: 20_000 });
  });
});
