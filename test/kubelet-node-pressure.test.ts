// Node pressure end to end, against a real `kite server` (scheduler, controller manager and its own
// kubelet) started with a hard eviction threshold that is surely crossed (nodefs.available<99%;
// Kubernetes ignores 0% and 100%):
// the node reports DiskPressure True with the kubelet's reason, the node lifecycle controller
// taints it node.kubernetes.io/disk-pressure:NoSchedule, a new pod without a toleration stays
// Pending (Unschedulable), and a pod bound to the node directly is rejected by the kubelet's
// eviction admission (Failed, Evicted, "The node had condition: [DiskPressure]. "). Under memory
// pressure (memory.available<100Ti) a BestEffort pod is refused, a Burstable one is admitted and
// then evicted: Failed, Evicted, "The node was low on resource: memory. …", DisruptionTarget.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { kubectlOk } from './support/kubectl.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';
import { getPod, waitPod } from './support/pods.js';

const NODE = 'pressure-node';

describe('node pressure conditions and taints', () => {
  let server: KiteServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kite-node-pressure-'));
  const k = (args: string[], input?: string) => kubectlOk(server!.kubeconfig, args, input === undefined ? {} : { input });
  const node = async () => JSON.parse(await k(['get', 'node', NODE, '-o', 'json'])) as Node;
  const pod = (name: string, spec: object) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'] }], ...spec } });

  before(async () => {
    server = await startKiteServer(dir, {
      scheduler: true,
      controllers: true,
      kubelet: true,
      extraArgs: ['--node-name', NODE, '--eviction-hard', 'nodefs.available<99%', '--node-status-update-frequency', '1s'],
    });
  });
  after(async () => {
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports DiskPressure, gets the disk-pressure NoSchedule taint, and keeps new pods off the node', async () => {
    let last: Node | undefined;
    await waitUntil(
      'DiskPressure True and the disk-pressure taint',
      async () => {
        last = await node();
        const disk = last.status?.conditions?.find((c) => c.type === 'DiskPressure');
        return disk?.status === 'True' && (last.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/disk-pressure' && t.effect === 'NoSchedule');
      },
      { timeoutMs: 30_000, intervalMs: 250, describe: () => JSON.stringify({ conditions: last?.status?.conditions, taints: last?.spec?.taints }) },
    );
    const disk = last!.status!.conditions!.find((c) => c.type === 'DiskPressure')!;
    assert.equal(disk.reason, 'KubeletHasDiskPressure');
    assert.equal(disk.message, 'kubelet has disk pressure');
    assert.equal(last!.status!.conditions!.find((c) => c.type === 'Ready')?.status, 'True');
    const capacityKi = Number(/^(\d+)Ki$/.exec(String(last!.status!.capacity?.['ephemeral-storage']))?.[1]);
    assert.ok(Number(last!.status!.allocatable?.['ephemeral-storage']) <= capacityKi * 1024 * 0.01 + 1, 'allocatable less the 99% threshold');
    await waitUntil('the NodeHasDiskPressure event', async () =>
      (await k(['get', 'events', '-A', '--field-selector', `involvedObject.kind=Node,involvedObject.name=${NODE},reason=NodeHasDiskPressure`, '-o', 'name'])).trim() !== '',
    { timeoutMs: 10_000 });

    await k(['apply', '-f', '-'], pod('unplaced', {}));
    const pending = await waitPod(server!.kubeconfig, 'unplaced', 'Unschedulable', (p) =>
      (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable'),
    );
    assert.equal(pending.spec?.nodeName, undefined);
    assert.match(pending.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? '', /node\.kubernetes\.io\/disk-pressure/);

    await k(['apply', '-f', '-'], pod('bound', { nodeName: NODE }));
    const rejected = await waitPod(server!.kubeconfig, 'bound', 'rejected', (p) => p.status?.phase === 'Failed');
    assert.equal(rejected.status?.reason, 'Evicted');
    assert.equal(rejected.status?.message, 'Pod was rejected: The node had condition: [DiskPressure]. ');
    assert.equal((await getPod(server!.kubeconfig, 'unplaced')).spec?.nodeName, undefined, 'still not scheduled');
  });
});

describe('memory pressure evicts pods', () => {
  let server: KiteServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kite-memory-pressure-'));
  const k = (args: string[], input?: string) => kubectlOk(server!.kubeconfig, args, input === undefined ? {} : { input });
  const pod = (name: string, resources: object) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { nodeName: 'memory-node', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'], resources }] },
    });

  before(async () => {
    server = await startKiteServer(dir, { kubelet: true, extraArgs: ['--node-name', 'memory-node', '--eviction-hard', 'memory.available<100Ti', '--node-status-update-frequency', '1s'] });
  });
  after(async () => {
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses BestEffort pods and evicts the others', async () => {
    await waitUntil('MemoryPressure True', async () => {
      const n = JSON.parse(await k(['get', 'node', 'memory-node', '-o', 'json'])) as Node;
      return n.status?.conditions?.some((c) => c.type === 'MemoryPressure' && c.status === 'True' && c.reason === 'KubeletHasInsufficientMemory') ?? false;
    }, { timeoutMs: 30_000 });

    await k(['apply', '-f', '-'], pod('besteffort', {}));
    const refused = await waitPod(server!.kubeconfig, 'besteffort', 'rejected', (p) => p.status?.phase === 'Failed');
    assert.equal(refused.status?.reason, 'Evicted');
    assert.equal(refused.status?.message, 'Pod was rejected: The node had condition: [MemoryPressure]. ');

    await k(['apply', '-f', '-'], pod('burstable', { requests: { cpu: '10m' } }));
    const evicted = await waitPod(server!.kubeconfig, 'burstable', 'evicted', (p) => p.status?.phase === 'Failed', 40_000);
    assert.equal(evicted.status?.reason, 'Evicted');
    assert.match(evicted.status?.message ?? '', /^The node was low on resource: memory\. Threshold quantity: 100Ti, available: \d+Ki\. /);
    const disruption = evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(disruption?.status, 'True');
    assert.equal(disruption?.reason, 'TerminationByKubelet');
    assert.ok((evicted.status?.containerStatuses ?? []).every((c) => !c.state?.running), JSON.stringify(evicted.status?.containerStatuses));
    // deleted while the kubelet runs, so that it removes their sandboxes (and cgroups) too
    await k(['delete', 'pods', '--all', '--wait=true', '--timeout=60s']);
  });
});
