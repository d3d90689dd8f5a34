// The Job controller against a real `kite server` with the scheduler and simulated nodes whose pods
// finish as each test decides: completions and parallelism, Indexed mode, backoffLimit, a FailJob
// podFailurePolicy rule, activeDeadlineSeconds and suspend — with kubectl wait on the conditions
// and every pod counted once (the tracking finalizer is gone from all of them).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { kubectlOk } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

describe('Job controller against a real kite server', () => {
  const cluster = useCluster({
    name: 'jobs',
    scheduler: true,
    controllers: true,
    extraArgs: ['--controllers', 'job', '--job-pod-failure-backoff', '50ms'],
    nodes: { n1: {}, n2: {} },
    simulator: {
      // The pod's "outcome" label decides: fail-42 exits 42, fail exits 1, run keeps running, else success.
      podOutcome: (pod) => {
        const outcome = pod.metadata?.labels?.['outcome'];
        if (outcome === 'run') return { phase: 'Running' };
        if (outcome === 'fail') return { phase: 'Failed', exitCode: 1 };
        if (outcome === 'fail-42') return { phase: 'Failed', exitCode: 42 };
        return { phase: 'Succeeded' };
      },
    },
  });
  const jobs = () => cluster.rest.resource<Job>(resources.JOBS).namespace(NS);
  const podsOf = async (job: string) => (await cluster.rest.resource<Pod>(resources.PODS).namespace(NS).list({ labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
  const job = (name: string, spec: Partial<Job['spec']>, outcome = 'ok'): Job => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: {
      template: { metadata: { labels: { outcome } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } },
      ...spec,
    },
  });
  const conditionOf = async (name: string, type: string) => (await jobs().get(name)).status?.conditions?.find((c) => c.type === type && c.status === 'True');
  const kubeconfig = () => cluster.server.kubeconfig;

  it('runs completions with bounded parallelism to Complete, counting each pod once', async () => {
    await jobs().create(job('pi', { completions: 3, parallelism: 2 }));
    await kubectlOk(kubeconfig(), ['wait', '--for=condition=complete', 'job/pi', '--timeout=30s']);
    const j = await jobs().get('pi');
    assert.equal(j.status?.succeeded, 3);
    assert.equal(j.status?.failed ?? 0, 0);
    assert.ok(j.status?.completionTime);
    assert.ok(j.status?.conditions?.some((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True'));
    const pods = await podsOf('pi');
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => !(p.metadata?.finalizers ?? []).includes('batch.kubernetes.io/job-tracking')));
    assert.match(await kubectlOk(kubeconfig(), ['get', 'job', 'pi']), /pi\s+Complete\s+3\/3/);
  });

  it('gives each completion index one pod in Indexed mode', async () => {
    await jobs().create(job('indexed', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    await waitUntil('indexed complete', async () => !!(await conditionOf('indexed', 'Complete')), { timeoutMs: 30_000 });
    assert.equal((await jobs().get('indexed')).status?.completedIndexes, '0-2');
    const indexes = (await podsOf('indexed')).map((p) => p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(indexes, ['0', '1', '2']);
    const pod = (await podsOf('indexed'))[0]!;
    assert.ok(pod.spec?.containers[0]?.env?.some((e) => e.name === 'JOB_COMPLETION_INDEX'));
  });

  it('fails after backoffLimit failures, and at once on a FailJob podFailurePolicy rule', async () => {
    await jobs().create(job('flaky', { backoffLimit: 1 }, 'fail'));
    await waitUntil('flaky failed', async () => (await conditionOf('flaky', 'Failed'))?.reason === 'BackoffLimitExceeded', { timeoutMs: 30_000 });
    assert.equal((await jobs().get('flaky')).status?.failed, 2);

    await jobs().create(
      job('fatal', { backoffLimit: 5, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] } }, 'fail-42'),
    );
    await waitUntil('fatal failed', async () => (await conditionOf('fatal', 'Failed'))?.reason === 'PodFailurePolicy', { timeoutMs: 30_000 });
    const failed = await conditionOf('fatal', 'Failed');
    assert.match(failed?.message ?? '', /^Container main for pod default\/fatal-\w+ failed with exit code 42 matching FailJob rule at index 0$/);
    assert.equal((await jobs().get('fatal')).status?.failed, 1);
  });

  it('ends a Job past activeDeadlineSeconds, deleting its running pods', async () => {
    await jobs().create(job('slow', { activeDeadlineSeconds: 1, parallelism: 2, completions: 2 }, 'run'));
    await waitUntil('slow failed', async () => (await conditionOf('slow', 'Failed'))?.reason === 'DeadlineExceeded', { timeoutMs: 30_000 });
    let left: Pod[] = [];
    await waitUntil('its pods gone', async () => (left = await podsOf('slow')).length === 0, {
      timeoutMs: 20_000,
      describe: () => left.map((p) => `${p.metadata?.name} ${p.status?.phase} deleting=${p.metadata?.deletionTimestamp ?? '-'} grace=${p.metadata?.deletionGracePeriodSeconds} finalizers=${p.metadata?.finalizers}`).join('; '),
    });
  });

  it('creates no pods while suspended, and runs once resumed', async () => {
    await jobs().create(job('later', { suspend: true, completions: 1 }));
    await waitUntil('Suspended condition', async () => (await conditionOf('later', 'Suspended'))?.reason === 'JobSuspended', { timeoutMs: 20_000 });
    assert.equal((await podsOf('later')).length, 0);
    await jobs().patch('later', 'merge', { spec: { suspend: false } });
    await waitUntil('later complete', async () => !!(await conditionOf('later', 'Complete')), { timeoutMs: 30_000 });
    assert.deepEqual(cluster.nodes.problems(), []);
  });
});
