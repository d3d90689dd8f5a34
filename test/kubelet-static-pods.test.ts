// Static pods against a real `kite server` and the process runtime, with the kubelet in this
// process (its static pod path a temporary directory): a manifest runs while the API server is
// down, and its mirror pod appears, Running with the pod's status, once the server is up; a mirror
// deleted with kubectl comes back without the process restarting; a restarted kubelet adopts the
// pod; an edited manifest restarts the pod and replaces the mirror; a removed manifest stops the
// pod and deletes the mirror. `kite server` runs the static pods of <data-dir>/manifests.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startKubelet, type RunningKubelet } from '../src/kubelet/index.js';
import { LABEL_CONTAINER_NAME } from '../src/kubelet/labels.js';
import { createProcessRuntime, type ProcessRuntime } from '../src/runtime/process/process-runtime.js';
import { createLogger, silentLogger } from '../src/util/log.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';
import { alive } from './support/pods.js';

const NODE = 'static-node';
const MIRROR = `web-${NODE}`;

const manifest = (marker: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: { tier: control-plane }
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'echo $$$$ > ${marker}; echo static pod up; exec sleep 3600']
`;

describe('static pods and their mirror pods', () => {
  let server: KiteServer | undefined;
  let runtime: ProcessRuntime;
  let kubelet: RunningKubelet | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kite-static-server-'));
  const kdir = mkdtempSync(join(tmpdir(), 'kite-static-node-'));
  const manifests = join(kdir, 'manifests');
  const file = join(manifests, 'web.yaml');
  let port = 0;
  const startServer = async () => {
    server = await startKiteServer(dir, { serviceAccounts: true, ...(port ? { port } : {}) });
    port = server.port;
  };
  const mirror = async (): Promise<Pod | undefined> => {
    const r = await kubectl(server!.kubeconfig, ['get', 'pod', MIRROR, '-o', 'json']);
    return r.code === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
  };
  const waitMirror = async (what: string, check: (p: Pod) => boolean, timeoutMs = 30_000): Promise<Pod> => {
    let last: Pod | undefined;
    await waitUntil(`mirror pod: ${what}`, async () => !!(last = await mirror()) && check(last), { timeoutMs, intervalMs: 200, describe: () => JSON.stringify(last?.metadata?.annotations) + JSON.stringify(last?.status) });
    return last!;
  };
  const running = async () =>
    (await runtime.listContainers({ labelSelector: { [LABEL_CONTAINER_NAME]: 'main' } })).filter((c) => c.state === 'running');
  // The kubelet's warnings, so that a test can wait for what it did instead of sleeping.
  const warnings: string[] = [];
  const kubeletLog = createLogger('kubelet', { level: 'warn', write: (line) => warnings.push(line) });
  const kubeletOptions = () => ({
    kubeconfig: join(dir, 'admin.kubeconfig'),
    nodeName: NODE,
    nodeIP: '127.0.0.1',
    dataDir: kdir,
    runtime,
    logger: kubeletLog,
    staticPodPath: manifests,
    timings: { podResyncMs: 1_000, relistMs: 200, housekeepingMs: 500, fileCheckMs: 1_000 },
  });
  const containerId = (p: Pod) => p.status?.containerStatuses?.[0]?.containerID ?? '';

  before(async () => {
    // the server makes its PKI and kubeconfig, then goes away: the kubelet starts without it
    await startServer();
    await stopKiteServer(server!);
    server = undefined;
    mkdirSync(manifests, { recursive: true });
  });

  after(async () => {
    await kubelet?.stop();
    // safety net: whatever the runtime still runs goes
    for (const sb of await runtime.listPodSandbox()) {
      await runtime.stopPodSandbox(sb.id);
      await runtime.removePodSandbox(sb.id);
    }
    await runtime.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
    rmSync(kdir, { recursive: true, force: true });
  });

  it('runs a manifest while the API server is down, and mirrors it once the server is up', async () => {
    writeFileSync(file, manifest(join(kdir, 'pid1')));
    runtime = await createProcessRuntime({ rootDir: join(kdir, 'runtime'), nodeIp: '127.0.0.1', logger: silentLogger });
    kubelet = await startKubelet(kubeletOptions());
    await waitUntil('the static pod runs without the API server', async () => (await running()).length === 1, { timeoutMs: 15_000, intervalMs: 100 });
    const [c] = await running();
    assert.equal(kubelet.staticPods()[0]?.metadata?.name, MIRROR);

    await startServer();
    const m = await waitMirror('Running', (p) => p.status?.phase === 'Running' && containerId(p) === `kite-process://${c!.id}`);
    const staticPod = kubelet.staticPods()[0]!;
    assert.equal(m.metadata?.namespace, 'default');
    assert.equal(m.metadata?.labels?.['tier'], 'control-plane');
    assert.equal(m.metadata?.annotations?.['kubernetes.io/config.mirror'], staticPod.metadata?.uid);
    assert.equal(m.metadata?.annotations?.['kubernetes.io/config.source'], 'file');
    assert.notEqual(m.metadata?.uid, staticPod.metadata?.uid);
    assert.deepEqual(
      m.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.controller]),
      [['Node', NODE, true]],
    );
    assert.equal(m.spec?.nodeName, NODE);
    assert.equal(m.spec?.serviceAccountName, undefined, 'ServiceAccount admission leaves mirror pods alone');
    assert.ok(m.spec?.tolerations?.some((t) => t.operator === 'Exists' && t.effect === 'NoExecute' && !t.key));
    assert.equal(m.status?.containerStatuses?.[0]?.ready, true);
  });

  it('brings a deleted mirror pod back without restarting the pod', async () => {
    const before = (await mirror())!;
    await kubectlOk(server!.kubeconfig, ['delete', 'pod', MIRROR, '--wait=false']);
    const after = await waitMirror('recreated, Running', (p) => p.metadata?.uid !== before.metadata?.uid && p.status?.phase === 'Running');
    assert.equal(containerId(after), containerId(before));
    assert.equal(after.status?.containerStatuses?.[0]?.state?.running?.startedAt, before.status?.containerStatuses?.[0]?.state?.running?.startedAt);
    assert.equal(after.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.equal((await running()).length, 1);
  });

  it('a restarted kubelet adopts the running static pod and keeps its mirror', async () => {
    const before = (await mirror())!;
    const [c] = await running();
    await kubelet!.stop();
    kubelet = await startKubelet(kubeletOptions());
    await kubelet.started;
    // its sources synced: a housekeeping pass and every pod worker settled restart and delete nothing
    await kubelet.kubelet.housekeeping();
    await kubelet.kubelet.idle();
    assert.deepEqual((await running()).map((x) => x.id), [c!.id]);
    const after = (await mirror())!;
    assert.equal(after.metadata?.uid, before.metadata?.uid);
    assert.equal(containerId(after), containerId(before));
  });

  it('restarts the pod and replaces its mirror when the manifest changes', async () => {
    const before = (await mirror())!;
    const pid1 = Number(readFileSync(join(kdir, 'pid1'), 'utf8').trim());
    assert.ok(alive(pid1));
    writeFileSync(file, manifest(join(kdir, 'pid2')));
    const after = await waitMirror('replaced, Running', (p) => p.metadata?.annotations?.['kubernetes.io/config.mirror'] !== before.metadata?.annotations?.['kubernetes.io/config.mirror'] && p.status?.phase === 'Running');
    assert.notEqual(containerId(after), containerId(before));
    assert.equal(after.metadata?.annotations?.['kubernetes.io/config.mirror'], kubelet!.staticPods()[0]?.metadata?.uid);
    await waitUntil('the old process gone', () => !alive(pid1), { timeoutMs: 10_000, intervalMs: 100 });
    assert.equal((await running()).length, 1);
  });

  it('runs a static pod whose mirror the API server refuses (it names a service account)', async () => {
    const sa = join(manifests, 'sa.yaml');
    writeFileSync(sa, manifest(join(kdir, 'pid-sa')).replace('name: web', 'name: sa').replace('- name: main', '- name: other').replace('spec:\n', 'spec:\n  serviceAccountName: default\n'));
    const other = async () => (await runtime.listContainers({ labelSelector: { [LABEL_CONTAINER_NAME]: 'other' } })).filter((c) => c.state === 'running');
    await waitUntil('the pod runs', async () => (await other()).length === 1, { timeoutMs: 15_000, intervalMs: 100 });
    await waitUntil('the kubelet to have its mirror refused', () => warnings.some((w) => w.includes('mirror pod refused by the API server') && w.includes(`sa-${NODE}`)), { timeoutMs: 15_000, intervalMs: 100 });
    const r = await kubectl(server!.kubeconfig, ['get', 'pod', `sa-${NODE}`]);
    assert.notEqual(r.code, 0, 'no mirror: "a mirror pod may not reference service accounts"');
    unlinkSync(sa);
    await waitUntil('the pod stopped', async () => (await other()).length === 0, { timeoutMs: 15_000, intervalMs: 100 });
  });

  it('stops the pod and deletes its mirror when the manifest is removed', async () => {
    unlinkSync(file);
    await waitUntil('the mirror pod deleted', async () => !(await mirror()), { timeoutMs: 20_000, intervalMs: 200 });
    await waitUntil('the pod stopped', async () => (await running()).length === 0, { timeoutMs: 10_000, intervalMs: 100 });
    assert.deepEqual(kubelet!.staticPods(), []);
  });
});

describe('kite server runs the static pods of <data-dir>/manifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-static-cli-'));
  let server: KiteServer | undefined;

  after(async () => {
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('mirrors a manifest found at start, and stops it when the manifest goes', async () => {
    mkdirSync(join(dir, 'manifests'), { recursive: true });
    const file = join(dir, 'manifests', 'web.yaml');
    writeFileSync(file, manifest(join(dir, 'pid')));
    server = await startKiteServer(dir, { kubelet: true, extraArgs: ['--node-name', 'cli-node', '--file-check-frequency', '1s'] });
    let last: Pod | undefined;
    await waitUntil('the mirror pod Running', async () => {
      const r = await kubectl(server!.kubeconfig, ['get', 'pod', 'web-cli-node', '-o', 'json']);
      last = r.code === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
      return last?.status?.phase === 'Running';
    }, { timeoutMs: 30_000, intervalMs: 200, describe: () => JSON.stringify(last?.status) });
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8').trim());
    assert.ok(alive(pid));
    // the kubelet API serves the static pod under its mirror's name
    assert.equal((await kubectlOk(server.kubeconfig, ['logs', 'web-cli-node'])).trim(), 'static pod up');
    unlinkSync(file);
    await waitUntil('the mirror pod gone', async () => (await kubectl(server!.kubeconfig, ['get', 'pod', 'web-cli-node'])).code !== 0, { timeoutMs: 20_000, intervalMs: 200 });
    await waitUntil('the process gone', () => !alive(pid), { timeoutMs: 10_000, intervalMs: 100 });
  });
});
