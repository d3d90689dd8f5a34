// The scheduler against a real `kite server`, with Node objects only (no kubelet): pods land on
// nodes that fit; a pod that tolerates no taint stays Pending with kube-scheduler's
// FailedScheduling message; a cordoned cluster keeps a pod pending until a node is uncordoned.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { RestClient } from '../src/client/rest/index.js';
import { startScheduler, type RunningScheduler } from '../src/scheduler/index.js';
import { silentLogger } from '../src/util/log.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

describe('scheduler against a real kite server', () => {
  let server: KiteServer;
  let rest: RestClient;
  let sched: RunningScheduler;
  const dir = mkdtempSync(join(tmpdir(), 'kite-sched-'));
  const nodes = () => rest.resource<Node>({ group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' });
  const pods = () => rest.resource<Pod>({ group: '', version: 'v1', resource: 'pods', namespaced: true, kind: 'Pod' }).namespace(NS);
  const events = () => rest.resource<Event>({ group: '', version: 'v1', resource: 'events', namespaced: true, kind: 'Event' }).namespace(NS);

  async function createNode(name: string, cpu: string, memory: string, spec: Node['spec'] = {}, labels: Record<string, string> = {}): Promise<void> {
    await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec });
    const capacity = { cpu, memory, pods: '110' };
    await nodes().patch(name, 'merge', { status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok' }] } }, { subresource: 'status' });
  }

  function pod(name: string, cpu: string, extra: Partial<Pod['spec']> = {}): Pod {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NS },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' } } }], ...extra },
    };
  }

  async function waitBound(name: string, timeoutMs = 15_000): Promise<string> {
    let node = '';
    await waitUntil(`pod ${name} bound`, async () => {
      node = (await pods().get(name)).spec?.nodeName ?? '';
      return node !== '';
    }, { timeoutMs });
    return node;
  }

  before(async () => {
    server = await startKiteServer(dir);
    rest = RestClient.fromKubeconfig(server.kubeconfig, { overrides: { qps: 200, burst: 400 } });
    sched = await startScheduler({ client: rest, logger: silentLogger, metricsPort: 0, leaderElection: { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 } });
    await sched.started;
  });

  after(async () => {
    await sched?.stop();
    rest?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds pods to nodes that fit, and keeps a pod pending with the FailedScheduling message', async () => {
    await createNode('small-1', '1', '4Gi');
    await createNode('small-2', '1', '4Gi');
    await createNode('tainted', '8', '16Gi', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });

    await pods().create(pod('fits', '500m'));
    const n1 = await waitBound('fits');
    assert.match(n1, /^small-[12]$/);
    const bound = await pods().get('fits');
    assert.equal(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');

    // Tolerating the taint opens the big node.
    await pods().create(pod('db', '4', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }));
    assert.equal(await waitBound('db'), 'tainted');

    // 2 cpu fits neither small node; the big one is tainted.
    await pods().create(pod('big', '2'));
    const want = '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..';
    await waitUntil('PodScheduled=False on big', async () => {
      const c = (await pods().get('big')).status?.conditions?.find((x) => x.type === 'PodScheduled');
      return c?.status === 'False' && c.reason === 'Unschedulable' && c.message === want;
    }, { timeoutMs: 15_000, describe: () => 'see pod big' });
    await waitUntil('a FailedScheduling event', async () => {
      const list = await events().list();
      return list.items.some((e) => e.reason === 'FailedScheduling' && e.type === 'Warning' && e.involvedObject.name === 'big' && e.message === want);
    }, { timeoutMs: 15_000 });
    assert.equal((await pods().get('big')).spec?.nodeName, undefined);

    // A Scheduled event for the bound pod.
    await waitUntil('a Scheduled event', async () => (await events().list()).items.some((e) => e.reason === 'Scheduled' && e.involvedObject.name === 'fits'), { timeoutMs: 15_000 });

    // Removing the taint makes room: the pending pod lands there (node update event).
    await nodes().patch('tainted', 'merge', { spec: { taints: null } });
    assert.equal(await waitBound('big'), 'tainted');
  });

  it('counts pods already bound: fills nodes until resources run out', async () => {
    // small-1 and small-2 have 1 cpu; "fits" took 500m on one of them.
    await pods().create(pod('half-a', '500m', { nodeSelector: { 'kubernetes.io/hostname': 'small-1' } }));
    await pods().create(pod('half-b', '500m', { nodeSelector: { 'kubernetes.io/hostname': 'small-2' } }));
    const a = await waitBound('half-a');
    const b = await waitBound('half-b');
    assert.equal(a, 'small-1');
    assert.equal(b, 'small-2');
    // Now both small nodes are full: a 600m pod can only go to "tainted" (4 of 8 cpu used).
    await pods().create(pod('more', '600m'));
    assert.equal(await waitBound('more'), 'tainted');
  });

  it('leaves a pending pod on a cordoned cluster until a node is uncordoned', async () => {
    for (const n of ['small-1', 'small-2', 'tainted']) await nodes().patch(n, 'merge', { spec: { unschedulable: true } });
    await pods().create(pod('cordoned', '10m'));
    await waitUntil('PodScheduled=False on cordoned', async () => {
      const c = (await pods().get('cordoned')).status?.conditions?.find((x) => x.type === 'PodScheduled');
      return c?.status === 'False' && c.message === '0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..';
    }, { timeoutMs: 15_000 });
    assert.equal((await pods().get('cordoned')).spec?.nodeName, undefined);
    await nodes().patch('tainted', 'merge', { spec: { unschedulable: null } });
    assert.equal(await waitBound('cordoned'), 'tainted');
  });

  it('leaves pods for another scheduler alone', async () => {
    await pods().create(pod('other', '10m', { schedulerName: 'someone-else' }));
    await pods().create(pod('mine', '10m'));
    await waitBound('mine');
    const other = await pods().get('other');
    assert.equal(other.spec?.nodeName, undefined);
    assert.equal(other.status?.conditions?.find((c) => c.type === 'PodScheduled'), undefined);
  });

  it('serves /healthz and /metrics with the attempts made so far', async () => {
    assert.ok(sched.metricsPort);
    const base = `http://127.0.0.1:${sched.metricsPort}`;
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok');
    const text = await (await fetch(`${base}/metrics`)).text();
    const scheduled = /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} (\d+)/.exec(text);
    assert.ok(scheduled && Number(scheduled[1]) >= 3, text);
    assert.match(text, /scheduler_schedule_attempts_total\{result="unschedulable",profile="default-scheduler"\} \d+/);
    assert.match(text, /scheduler_pending_pods\{queue="active"\} \d+/);
    assert.match(text, /scheduler_pending_pods\{queue="unschedulable"\} \d+/);
    assert.match(text, /scheduler_scheduling_attempt_duration_seconds_bucket\{le="0.001",result="scheduled",profile="default-scheduler"\}/);
  });

  it('runs only while leading: a second scheduler takes over when the leader stops', async () => {
    const second = await startScheduler({ client: rest, logger: silentLogger, leaderElection: { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 } });
    try {
      assert.equal(sched.isLeading(), true);
      assert.equal(second.isLeading(), false);
      await sched.stop(); // releases the lease
      await second.started;
      assert.equal(second.isLeading(), true);
      await pods().create(pod('after-handover', '10m'));
      await waitBound('after-handover');
    } finally {
      await second.stop();
    }
  });
});
