// Ephemeral containers end to end: a real `kite server` (scheduler and kubelet on the process
// runtime) and the real kubectl's `kubectl debug`: a non-interactive debugger runs once beside a
// running pod, reports its exit in ephemeralContainerStatuses and serves its logs, while the pod's
// own container keeps running and the pod stays Ready; an interactive one (`-i`) gets kubectl's
// stdin through attach.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitPod } from './support/pods.js';

const NODE = 'ephemeral-test-node';
const POD = 'target';

const ephemeralStatus = (p: Pod, name: string): ContainerStatus | undefined => p.status?.ephemeralContainerStatuses?.find((s) => s.name === name);
const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('kubectl debug: ephemeral containers on a real kubelet', () => {
  let server: KiteServer;
  const dir = mkdtempSync(join(tmpdir(), 'kite-ephemeral-'));
  const k = (args: string[], input?: string) => kubectlOk(server.kubeconfig, args, { timeoutMs: 60_000, ...(input === undefined ? {} : { input }) });

  before(async () => {
    server = await startKiteServer(dir, { scheduler: true, kubelet: true, extraArgs: ['--node-name', NODE] });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: POD },
      spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'exec sleep 3600'] }] },
    };
    await k(['apply', '-f', '-'], JSON.stringify(pod));
    await waitPod(server.kubeconfig, POD, 'Running and Ready', (p) => p.status?.phase === 'Running' && isReady(p), 30_000);
  });

  after(async () => {
    if (server) {
      // the kubelet removes the pod's sandbox (and cgroup) before the server stops
      await kubectl(server.kubeconfig, ['delete', 'pods', '--all', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
      await stopKiteServer(server);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl debug runs a debugger once: terminated with exit code 0, its logs, the pod untouched', async () => {
    const main = (await waitPod(server.kubeconfig, POD, 'running', () => true)).status!.containerStatuses![0]!;
    await k(['debug', POD, '--image=busybox', '--container=debugger', '--', 'sh', '-c', 'echo from-debug']);
    const pod = await waitPod(server.kubeconfig, POD, 'the debugger terminated', (p) => ephemeralStatus(p, 'debugger')?.state?.terminated !== undefined, 30_000);
    const s = ephemeralStatus(pod, 'debugger')!;
    assert.equal(s.state?.terminated?.exitCode, 0);
    assert.equal(s.state?.terminated?.reason, 'Completed');
    assert.deepEqual([s.ready, s.restartCount, s.image], [false, 0, 'busybox']);
    assert.match(s.containerID ?? '', /^kite-process:\/\/\w+/);
    assert.equal(await k(['logs', POD, '-c', 'debugger']), 'from-debug\n');
    // the pod's own container keeps running, unrestarted, and the pod stays Ready
    const now = await waitPod(server.kubeconfig, POD, 'still Running and Ready', (p) => p.status?.phase === 'Running' && isReady(p));
    const still = now.status!.containerStatuses![0]!;
    assert.equal(still.containerID, main.containerID);
    assert.ok(still.state?.running);
    assert.equal(still.restartCount, 0);
    assert.equal(ephemeralStatus(now, 'debugger')?.restartCount, 0, 'never restarted');
  });

  it('kubectl debug -i attaches kubectl\'s stdin and stdout to the debugger', async () => {
    const out = await k(['debug', POD, '-i', '--image=busybox', '--container=dbg2', '--', 'sh', '-c', 'read x; echo got $x'], 'hello\n');
    assert.match(out, /got hello/, out);
    const pod = await waitPod(server.kubeconfig, POD, 'dbg2 terminated', (p) => ephemeralStatus(p, 'dbg2')?.state?.terminated !== undefined, 30_000);
    assert.equal(ephemeralStatus(pod, 'dbg2')!.state?.terminated?.exitCode, 0);
    assert.ok(isReady(pod));
  });
});
