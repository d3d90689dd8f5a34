// The kubelet on containerd, end to end: a private containerd (test/support/containerd-process.ts,
// in its own network namespace) and a real `kite server --runtime containerd` (scheduler and
// kubelet) whose kubelet reaches containerd's socket and dials its streaming server inside that
// namespace; pods from a locally built busybox image driven by the real kubectl: Pending → Running
// with a pod IP on the CNI bridge, an exec readiness probe, two pods talking by IP (httpd + wget),
// a container over its memory limit ending OOMKilled and restarting, image pull policies
// (ErrImageNeverPull; Always from a registry with basic auth through imagePullSecrets), the CRI log
// file, and a deleted pod leaving no sandbox or container in containerd.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { RestClient } from '../src/client/rest/index.js';
import type { ContainerRuntime } from '../src/runtime/runtime.js';
import { silentLogger } from '../src/util/log.js';
import { startContainerd, type ContainerdProcess } from './support/containerd-process.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { PodWatch } from './support/pod-watch.js';
import { waitPod as waitForPod } from './support/pods.js';
import { REGISTRY_PASSWORD, REGISTRY_USER, startRegistry, type RegistryProcess } from './support/registry-process.js';
import { waitUntil } from './support/wait-until.js';

const NODE = 'containerd-node';
const BUSYBOX = 'kite.local/busybox:1';

describe('kubelet on containerd, inside kite server', () => {
  let containerd: ContainerdProcess;
  let runtime: ContainerRuntime;
  let server: KiteServer;
  let registry: RegistryProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kite-kubelet-ctrd-'));
  const waitPod = (name: string, what: string, check: (p: Pod) => boolean, timeoutMs = 30_000) => waitForPod(server.kubeconfig, name, what, check, timeoutMs);
  const k = (args: string[], input?: string) => kubectlOk(server.kubeconfig, args, input === undefined ? {} : { input });
  const apply = (pod: object) => k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...pod }));
  const sh = (name: string, script: string, container: object = {}, spec: object = {}) => ({
    metadata: { name, labels: { test: name } },
    spec: {
      terminationGracePeriodSeconds: 2,
      containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...container }],
      ...spec,
    },
  });
  const logFile = (pod: Pod, container: string, restart = 0) =>
    join(server.dataDir, 'pods', 'logs', `${pod.metadata!.namespace}_${pod.metadata!.name}_${pod.metadata!.uid}`, container, `${restart}.log`);
  const main = (p: Pod) => p.status?.containerStatuses?.find((c) => c.name === 'main');

  before(async () => {
    containerd = await startContainerd();
    containerd.addImage({ name: BUSYBOX });
    runtime = containerd.runtime();
    server = await startKiteServer(join(dir, 'server'), {
      scheduler: true,
      kubelet: true,
      extraArgs: [
        '--node-name', NODE,
        '--runtime', 'containerd',
        '--containerd-endpoint', `unix://${containerd.address}`,
        '--containerd-netns', containerd.netns,
        '--cgroup-root', containerd.cgroupParent,
      ],
    });
    await waitUntil('the node to be Ready', async () => {
      const node = JSON.parse(await k(['get', 'node', NODE, '-o', 'json'])) as { status?: { conditions?: { type: string; status: string }[] } };
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    }, { timeoutMs: 30_000, intervalMs: 200 });
  });

  after(async () => {
    if (server) {
      await kubectl(server.kubeconfig, ['delete', 'pods', '--all', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
      await stopKiteServer(server);
    }
    await registry?.stop();
    await containerd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports containerd and its images in the node status', async () => {
    const node = JSON.parse(await k(['get', 'node', NODE, '-o', 'json'])) as { status: { nodeInfo: Record<string, string>; images?: { names: string[] }[] } };
    assert.match(node.status.nodeInfo['containerRuntimeVersion'] ?? '', /^containerd:\/\/1\.\d+/);
    await waitUntil('the busybox image in status.images', async () => {
      const n = JSON.parse(await k(['get', 'node', NODE, '-o', 'json'])) as typeof node;
      return n.status.images?.some((i) => i.names.includes(BUSYBOX)) ?? false;
    }, { timeoutMs: 30_000, intervalMs: 500 });
  });

  it('runs a pod Pending → Running with a pod IP on the bridge; an exec probe makes it Ready; a peer reaches it by IP', async () => {
    const rest = RestClient.fromKubeconfig(server.kubeconfig, { logger: silentLogger });
    const phases: string[] = [];
    const watch = await PodWatch.start(rest, 'default', 'test=web', (pods) => {
      const phase = pods.get('web')?.status?.phase;
      if (phase && phases.at(-1) !== phase) phases.push(phase);
      return undefined;
    });
    try {
      await apply(
        sh('web', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www', {
          readinessProbe: { exec: { command: ['wget', '-q', '-O-', 'http://127.0.0.1:8080/'] }, periodSeconds: 1 },
        }),
      );
      const web = await waitPod('web', 'Running and Ready', (p) => p.status?.phase === 'Running' && main(p)?.ready === true);
      await waitUntil('the watch to see Running', () => phases.includes('Running'), { timeoutMs: 5_000 });
      assert.deepEqual(phases, ['Pending', 'Running']);
      const prefix = containerd.subnet.replace(/0\/24$/, '');
      assert.ok(web.status?.podIP?.startsWith(prefix), `pod IP ${web.status?.podIP} is on the bridge's ${containerd.subnet}`);
      assert.deepEqual(web.status?.podIPs, [{ ip: web.status?.podIP }]);
      assert.equal(web.status?.hostIP, '127.0.0.1');
      assert.match(main(web)?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
      assert.equal(main(web)?.image, BUSYBOX);

      // (no wget -T: Debian's busybox-static 1.35 wget segfaults with it)
      await apply(
        sh('client', `for i in $(seq 1 50); do wget -q -O- http://${web.status!.podIP}:8080/ && exit 0; sleep 0.2; done; exit 1`, {}, { restartPolicy: 'Never' }),
      );
      const client = await waitPod('client', 'Succeeded', (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed');
      const log = readFileSync(logFile(client, 'main'), 'utf8');
      assert.equal(client.status?.phase, 'Succeeded', log);
      assert.match(log, /^\S+Z stdout F hello from web$/m, 'the CRI log file under the kubelet data dir has the answer');
      assert.equal(main(client)?.state?.terminated?.reason, 'Completed');
    } finally {
      assert.deepEqual(await watch.stop(), []);
      rest.close();
    }
  });

  it('ends a container over its memory limit OOMKilled and restarts it', async () => {
    await apply(sh('hog', 'echo start; dd if=/dev/zero of=/dev/null bs=128M count=4', { resources: { limits: { memory: '16Mi' } } }));
    const hog = await waitPod(
      'hog',
      'restarted after an OOM kill',
      (p) => (main(p)?.restartCount ?? 0) >= 1 && main(p)?.lastState?.terminated?.reason === 'OOMKilled',
      60_000,
    );
    assert.equal(main(hog)?.lastState?.terminated?.exitCode, 137);
    assert.match(readFileSync(logFile(hog, 'main', 0), 'utf8'), /stdout F start$/m);
  });

  it('follows imagePullPolicy: Never without the image is ErrImageNeverPull', async () => {
    await apply(sh('never', 'true', { image: 'kite.local/absent:1', imagePullPolicy: 'Never' }));
    const never = await waitPod('never', 'ErrImageNeverPull', (p) => main(p)?.state?.waiting?.reason === 'ErrImageNeverPull');
    assert.equal(main(never)?.state?.waiting?.message, 'Container image "kite.local/absent:1" is not present with pull policy of Never');
    assert.equal(never.status?.phase, 'Pending');
  });

  it('pulls with Always from a registry with basic auth through imagePullSecrets, and fails without them', async () => {
    registry = await startRegistry(containerd);
    const pushed = containerd.addImage({ name: 'kite.local/pushed:1', cmd: ['sh', '-c', 'echo pulled-and-running; sleep 3600'] });
    const ref = registry.push(pushed.name, 'kite/pushed:1');
    await runtime.removeImage(pushed.name);
    await runtime.removeImage(ref);
    assert.equal(await runtime.imageStatus(ref), undefined);
    await k(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${registry.host}`, `--docker-username=${REGISTRY_USER}`, `--docker-password=${REGISTRY_PASSWORD}`]);
    const container = { name: 'main', image: ref, imagePullPolicy: 'Always' };
    await apply({ metadata: { name: 'anonymous' }, spec: { terminationGracePeriodSeconds: 2, containers: [container] } });
    await apply({ metadata: { name: 'authorised' }, spec: { terminationGracePeriodSeconds: 2, imagePullSecrets: [{ name: 'regcred' }], containers: [container] } });
    const authorised = await waitPod('authorised', 'Running', (p) => p.status?.phase === 'Running', 60_000);
    assert.equal(main(authorised)?.imageID, `${registry.host}/kite/pushed@${pushed.manifestDigest}`, 'the repo digest, as Kubernetes reports it');
    await waitUntil('the pulled image to log', () => existsSync(logFile(authorised, 'main')) && readFileSync(logFile(authorised, 'main'), 'utf8').includes('pulled-and-running'));
    const anonymous = await waitPod('anonymous', 'a failed pull', (p) => ['ErrImagePull', 'ImagePullBackOff'].includes(main(p)?.state?.waiting?.reason ?? ''));
    assert.equal(anonymous.status?.phase, 'Pending');
  });

  it('deleting a pod leaves no sandbox or container behind in containerd', async () => {
    await apply(sh('doomed', 'sleep 3600'));
    const doomed = await waitPod('doomed', 'Running', (p) => p.status?.phase === 'Running');
    const selector = { 'io.kubernetes.pod.uid': doomed.metadata!.uid! };
    assert.equal((await runtime.listPodSandbox({ labelSelector: selector })).length, 1);
    assert.equal((await runtime.listContainers({ labelSelector: selector })).length, 1);
    await k(['delete', 'pod', 'doomed', '--wait=true', '--timeout=30s']);
    await waitUntil('containerd to have nothing of the pod', async () =>
      (await runtime.listPodSandbox({ labelSelector: selector })).length === 0 && (await runtime.listContainers({ labelSelector: selector })).length === 0,
    { timeoutMs: 10_000, intervalMs: 200 });
  });
});
