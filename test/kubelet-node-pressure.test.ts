// Node pressure end to end, against a real `kite server` (scheduler, controller manager and its own
// kubelet) started with a hard eviction threshold that is surely crossed (nodefs.available<100%):
// the node reports DiskPressure True with the kubelet's reason, the node lifecycle controller
// taints it node.kubernetes.io/disk-pressure:NoSchedule, a new pod without a toleration stays
// Pending (Unschedulable), and a pod bound to the node directly is rejected by the kubelet's
// eviction admission (Failed, Evicted, "The node had condition: [DiskPressure]. ").

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
      extraArgs: ['--node-name', NODE, '--eviction-hard', 'nodefs.available<100%', '--node-status-update-frequency', '1s'],
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
    assert.equal(last!.status!.allocatable?.['ephemeral-storage'], '0', 'allocatable less the 100% threshold');

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
