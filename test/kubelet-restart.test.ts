// The kubelet across outages, against a real `kite server` and the process runtime, with the
// kubelet in this process: while the API server is down pods keep running and restarting per
// policy, and on reconnect the status catches up without restarting healthy containers; a pod
// force-deleted while the kubelet was away is cleaned up (no process left) when it comes back.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startKubelet, type RunningKubelet } from '../src/kubelet/index.js';
import { LABEL_CONTAINER_NAME } from '../src/kubelet/labels.js';
import { createProcessRuntime, type ProcessRuntime } from '../src/runtime/process/process-runtime.js';
import { silentLogger } from '../src/util/log.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';
import { alive, getPod as readPod, waitPod as waitForPod } from './support/pods.js';

const NODE = 'restart-node';


describe('kubelet across API server and kubelet restarts', () => {
  let server: KiteServer | undefined;
  let port = 0;
  let runtime: ProcessRuntime;
  let kubelet: RunningKubelet | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kite-kubelet-restart-'));
  const kdir = mkdtempSync(join(tmpdir(), 'kite-kubelet-node-'));
  const getPod = (name: string) => readPod(server!.kubeconfig, name);
  const waitPod = (name: string, what: string, check: (p: Pod) => boolean, timeoutMs?: number) => waitForPod(server!.kubeconfig, name, what, check, timeoutMs);
  const k = (args: string[], input?: string) => kubectlOk(server!.kubeconfig, args, input === undefined ? {} : { input });
  const apply = (name: string, script: string, extra: object = {}) =>
    k(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { nodeName: NODE, terminationGracePeriodSeconds: 2, containers: [{ name, image: 'busybox', command: ['sh', '-c', script] }], ...extra },
    }));
  const startNode = async () => {
    runtime = await createProcessRuntime({ rootDir: join(kdir, 'runtime'), nodeIp: '127.0.0.1', logger: silentLogger });
    kubelet = await startKubelet({
      kubeconfig: server!.kubeconfig,
      nodeName: NODE,
      nodeIP: '127.0.0.1',
      dataDir: kdir,
      runtime,
      logger: silentLogger,
      timings: { podResyncMs: 1_000, relistMs: 200, housekeepingMs: 500, backoffInitialMs: 300, backoffMaxMs: 600 },
    });
    await kubelet.started;
  };
  const stopNode = async () => {
    await kubelet?.stop();
    await runtime.close();
    kubelet = undefined;
  };
  const runtimeAttempts = async (name: string) =>
    Math.max(-1, ...(await runtime.listContainers({ labelSelector: { [LABEL_CONTAINER_NAME]: name } })).map((c) => c.metadata.attempt));

  before(async () => {
    server = await startKiteServer(dir, {});
    port = server.port;
    await startNode();
  });

  after(async () => {
    if (server && kubelet) await kubectl(server.kubeconfig, ['delete', 'pods', '--all', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
    await stopNode();
    // safety net: whatever the runtime still runs goes (a failed test may have left the API down)
    const leftover = await createProcessRuntime({ rootDir: join(kdir, 'runtime'), nodeIp: '127.0.0.1', logger: silentLogger });
    for (const sb of await leftover.listPodSandbox()) {
      await leftover.stopPodSandbox(sb.id);
      await leftover.removePodSandbox(sb.id);
    }
    await leftover.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
    rmSync(kdir, { recursive: true, force: true });
  });

  it('keeps pods running and restarting while the API server is down, and catches up on reconnect', async () => {
    await apply('steady', 'exec sleep 3600');
    await apply('flappy', 'sleep 0.3; exit 1');
    const steady = await waitPod('steady', 'Running', (p) => p.status?.phase === 'Running');
    const steadyId = steady.status!.containerStatuses![0]!.containerID;
    await waitPod('flappy', 'restarted', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);

    await stopKiteServer(server!);
    server = undefined;
    const before = await runtimeAttempts('flappy');
    await waitUntil('flappy restarted while the API server is down', async () => (await runtimeAttempts('flappy')) >= before + 2, { timeoutMs: 15_000, intervalMs: 100 });

    server = await startKiteServer(dir, { port });
    const seen = await runtimeAttempts('flappy');
    await waitPod('flappy', 'status caught up', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= seen, 30_000);
    const again = await getPod('steady');
    assert.equal(again.status!.containerStatuses![0]!.containerID, steadyId, 'the healthy container was not restarted');
    assert.equal(again.status!.containerStatuses![0]!.restartCount, 0);
  });

  it('cleans up a pod deleted while the kubelet was away: no process left', async () => {
    const pidFile = join(kdir, 'orphan.pid');
    await apply('orphan', `echo $$$$ > ${pidFile}; exec sleep 3600`);
    await waitPod('orphan', 'Running', (p) => p.status?.phase === 'Running');
    await waitUntil('pid written', () => readFileSync(pidFile, 'utf8').trim() !== '', { timeoutMs: 5_000 });
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(alive(pid));
    await stopNode();
    assert.ok(alive(pid), 'a stopped kubelet leaves containers running');
    await k(['delete', 'pod', 'orphan', '--grace-period=0', '--force']);
    await startNode();
    await waitUntil('the orphan process is gone', () => !alive(pid), { timeoutMs: 15_000 });
    await waitUntil('the orphan sandbox removed', async () => (await runtime.listPodSandbox()).every((s) => s.metadata.name !== 'orphan'), { timeoutMs: 10_000 });
  });
});
