// The kubelet against a real `kite server` (scheduler and kubelet on the process runtime) with the
// real kubectl: the node registers Ready and renews its Lease; pods go Pending → Running with the
// status Kubernetes reports; restart policies with exit codes; CrashLoopBackOff; init containers
// in order; kubectl delete terminates gracefully and leaves no process behind.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';
import { alive, waitPod as waitForPod } from './support/pods.js';

const NODE = 'kubelet-test-node';


describe('kubelet against a real kite server', () => {
  let server: KiteServer;
  const dir = mkdtempSync(join(tmpdir(), 'kite-kubelet-'));
  const work = mkdtempSync(join(tmpdir(), 'kite-kubelet-work-'));
  const waitPod = (name: string, what: string, check: (p: Pod) => boolean, timeoutMs?: number) => waitForPod(server!.kubeconfig, name, what, check, timeoutMs);
  const k = (args: string[], input?: string) => kubectlOk(server.kubeconfig, args, input === undefined ? {} : { input });
  const apply = (pod: object) => k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...pod }));
  const sh = (name: string, script: string, extra: object = {}) => ({
    metadata: { name },
    spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }], ...extra },
  });

  before(async () => {
    // the PV binder hands local-path claims to the node's provisioner
    server = await startKiteServer(dir, { scheduler: true, kubelet: true, controllers: true, extraArgs: ['--node-name', NODE, '--node-lease-duration-seconds', '4', '--controllers', 'persistentvolume-binder'] });
  });

  after(async () => {
    if (server) {
      await kubectl(server.kubeconfig, ['delete', 'pods', '--all', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
      await stopKiteServer(server);
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('registers the node Ready with its facts and renews its Lease', async () => {
    let node: { metadata: { labels: Record<string, string> }; status: { conditions: { type: string; status: string; reason: string; message: string }[]; nodeInfo: Record<string, string>; capacity: Record<string, string>; addresses: { type: string; address: string }[] } } | undefined;
    await waitUntil('node Ready', async () => {
      node = JSON.parse(await k(['get', 'node', NODE, '-o', 'json']));
      return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    }, { timeoutMs: 20_000, intervalMs: 200 });
    const ready = node!.status.conditions.find((c) => c.type === 'Ready')!;
    assert.equal(ready.reason, 'KubeletReady');
    assert.equal(ready.message, 'kubelet is posting ready status');
    assert.equal(node!.metadata.labels['kubernetes.io/hostname'], NODE);
    assert.equal(node!.metadata.labels['kubernetes.io/os'], 'linux');
    assert.equal(node!.status.nodeInfo['containerRuntimeVersion'], 'kite-process://0.1.0');
    assert.match(node!.status.nodeInfo['kubeletVersion'] ?? '', /^v1\.32\./);
    assert.equal(node!.status.capacity['pods'], '110');
    assert.deepEqual(node!.status.addresses.map((a) => a.type), ['InternalIP', 'Hostname']);
    const lease = async () => JSON.parse(await k(['get', 'lease', '-n', 'kube-node-lease', NODE, '-o', 'json'])) as Lease;
    let first: Lease | undefined;
    await waitUntil('the lease created', async () => !!(first = await lease()), { timeoutMs: 10_000, intervalMs: 200 });
    const created = first!;
    assert.equal(created.spec?.holderIdentity, NODE);
    assert.equal(created.metadata?.ownerReferences?.[0]?.kind, 'Node');
    await waitUntil('the lease renewed', async () => (await lease()).spec?.renewTime !== created.spec?.renewTime, { timeoutMs: 10_000, intervalMs: 200 });
  });

  it('runs a pod: Pending → Running with the status fields Kubernetes reports', async () => {
    await apply(sh('web', 'echo started; exec sleep 3600'));
    const pod = await waitPod('web', 'Running and ready', (p) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready === true);
    const s = pod.status!;
    assert.equal(pod.spec?.nodeName, NODE);
    assert.equal(s.hostIP, '127.0.0.1');
    assert.equal(s.podIP, '127.0.0.1');
    assert.deepEqual(s.podIPs, [{ ip: '127.0.0.1' }]);
    assert.ok(s.startTime);
    const cs = s.containerStatuses![0]!;
    assert.equal(cs.name, 'main');
    assert.equal(cs.started, true);
    assert.equal(cs.restartCount, 0);
    assert.match(cs.containerID ?? '', /^kite-process:\/\/\w+/);
    assert.ok(cs.imageID);
    assert.ok(cs.state?.running?.startedAt);
    const types = (s.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type).sort();
    assert.deepEqual(types, ['ContainersReady', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled', 'Ready']);
    const table = await k(['get', 'pod', 'web']);
    assert.match(table, /web\s+1\/1\s+Running\s+0/);
    // the server's own kubelet serves its API: logs and exec through the API server
    assert.equal(await k(['logs', 'web']), 'started\n');
    assert.equal(await k(['exec', 'web', '--', 'sh', '-c', 'echo exec-ok']), 'exec-ok\n');
    await waitUntil('the kubelet recorded Pulled, Created and Started events', async () => {
      const events = JSON.parse(await k(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'json'])) as { items: { reason: string; source?: { component?: string } }[] };
      const reasons = events.items.filter((e) => e.source?.component === 'kubelet').map((e) => e.reason);
      return ['Pulled', 'Created', 'Started'].every((r) => reasons.includes(r));
    }, { timeoutMs: 10_000, intervalMs: 200 });
  });

  it('restartPolicy Never: exit 3 → Failed with the exit code; exit 0 → Succeeded', async () => {
    await apply(sh('never-fail', 'exit 3', { restartPolicy: 'Never' }));
    await apply(sh('never-ok', 'exit 0', { restartPolicy: 'Never' }));
    const failed = await waitPod('never-fail', 'Failed', (p) => p.status?.phase === 'Failed');
    const t = failed.status!.containerStatuses![0]!.state?.terminated;
    assert.equal(t?.exitCode, 3);
    assert.equal(t?.reason, 'Error');
    assert.ok(t?.finishedAt);
    const ok = await waitPod('never-ok', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    assert.equal(ok.status!.containerStatuses![0]!.state?.terminated?.reason, 'Completed');
    assert.equal(ok.status!.containerStatuses![0]!.restartCount, 0);
  });

  it('restartPolicy OnFailure restarts on failure and Always restarts on success, into CrashLoopBackOff', async () => {
    await apply(sh('onfailure', 'echo failing-run; exit 1', { restartPolicy: 'OnFailure' }));
    await apply(sh('always', 'exit 0'));
    for (const name of ['onfailure', 'always']) {
      const p = await waitPod(name, 'CrashLoopBackOff', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff');
      const cs = p.status!.containerStatuses![0]!;
      assert.ok(cs.restartCount >= 1, `${name} restarted`);
      assert.equal(cs.lastState?.terminated?.exitCode, name === 'always' ? 0 : 1);
      assert.match(cs.state!.waiting!.message ?? '', /^back-off \d+s restarting failed container=main pod=/);
      assert.equal(p.status?.phase, 'Running');
    }
    assert.match(await k(['get', 'pod', 'always']), /CrashLoopBackOff/);
    // waiting in CrashLoopBackOff, --previous is the run that last ended (lastState.terminated)
    assert.equal(await k(['logs', 'onfailure', '--previous']), 'failing-run\n');
  });

  it('runs init containers in order before the app container', async () => {
    const file = join(work, 'order');
    const step = (n: string) => ({ name: n, image: 'busybox', command: ['sh', '-c', `echo ${n} >> ${file}`] });
    await apply({
      metadata: { name: 'init' },
      spec: {
        initContainers: [step('first'), step('second')],
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', `echo main >> ${file}; exec sleep 3600`] }],
      },
    });
    const p = await waitPod('init', 'Running', (x) => x.status?.phase === 'Running');
    assert.deepEqual(p.status!.initContainerStatuses!.map((c) => c.state?.terminated?.reason), ['Completed', 'Completed']);
    await waitUntil('main wrote', () => readFileSync(file, 'utf8').includes('main'), { timeoutMs: 5_000 });
    assert.equal(readFileSync(file, 'utf8'), 'first\nsecond\nmain\n');
  });

  it('env from a ConfigMap with $(VAR) expansion; a missing key waits as CreateContainerConfigError; a readiness probe gates Ready', async () => {
    const out = join(work, 'env');
    const flag = join(work, 'ready-flag');
    await apply({
      metadata: { name: 'needs-config' },
      spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 3600'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting' } } }] }] },
    });
    const waiting = await waitPod('needs-config', 'CreateContainerConfigError', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
    assert.match(waiting.status!.containerStatuses![0]!.state!.waiting!.message ?? '', /configmap "cfg" not found/);
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { greeting: 'hello' } }));
    await waitPod('needs-config', 'Running', (p) => p.status?.phase === 'Running', 30_000);
    await apply({
      metadata: { name: 'probed' },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', `echo "$(MSG) world" > ${out}; exec sleep 3600`],
            env: [{ name: 'G', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting' } } }, { name: 'MSG', value: '$(G)' }],
            readinessProbe: { exec: { command: ['test', '-f', flag] }, periodSeconds: 1 },
          },
        ],
      },
    });
    const running = await waitPod('probed', 'Running', (p) => p.status?.phase === 'Running');
    assert.equal(running.status!.containerStatuses![0]!.ready, false, 'not ready before the probe passes');
    await waitUntil('env written', () => readFileSync(out, 'utf8') === 'hello world\n', { timeoutMs: 5_000 });
    writeFileSync(flag, '');
    const ready = await waitPod('probed', 'Ready', (p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
    assert.equal(ready.status!.containerStatuses![0]!.ready, true);
  });

  it('volumes: an emptyDir shared by an init container and the app, a configMap as files', async () => {
    const out = join(work, 'volumes');
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files' }, data: { greeting: 'hi from a configmap' } }));
    await apply({
      metadata: { name: 'vols' },
      spec: {
        volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'config', configMap: { name: 'files' } }],
        initContainers: [{ name: 'prepare', image: 'busybox', command: ['sh', '-c', 'echo prepared > "$KITE_ROOT/scratch/x"'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', `cat "$KITE_ROOT/scratch/x" "$KITE_ROOT/config/greeting" > ${out}; exec sleep 3600`],
            volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }, { name: 'config', mountPath: '/config', readOnly: true }],
          },
        ],
      },
    });
    await waitPod('vols', 'Running', (p) => p.status?.phase === 'Running');
    await waitUntil('main read its volumes', () => { try { return readFileSync(out, 'utf8') === 'prepared\nhi from a configmap'; } catch { return false; } }, { timeoutMs: 5_000 });
  });

  it('a local-path claim is provisioned on this node and mounted', async () => {
    const out = join(work, 'claim');
    await k(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { storageClassName: 'local-path', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
    }));
    await apply({
      metadata: { name: 'claimer' },
      spec: {
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', `echo kept > "$KITE_ROOT/data/f" && cp "$KITE_ROOT/data/f" ${out}; exec sleep 3600`], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      },
    });
    await waitPod('claimer', 'Running', (p) => p.status?.phase === 'Running', 30_000);
    await waitUntil('the claim written', () => { try { return readFileSync(out, 'utf8') === 'kept\n'; } catch { return false; } }, { timeoutMs: 5_000 });
    assert.match(await k(['get', 'pvc', 'data', '-o', 'jsonpath={.status.phase}']), /Bound/);
  });

  it('kubectl delete pod: graceful termination (SIGTERM first), no process left', async () => {
    const pidFile = join(work, 'pid');
    const termFile = join(work, 'term');
    // "$$$$": the kubelet's $(VAR) expansion turns "$$" into "$", as Kubernetes does
    await apply(sh('graceful', `echo $$$$ > ${pidFile}; trap 'echo term > ${termFile}; exit 0' TERM; while true; do sleep 0.2; done`));
    await waitPod('graceful', 'Running', (x) => x.status?.phase === 'Running');
    await waitUntil('pid written', () => readFileSync(pidFile, 'utf8').trim() !== '', { timeoutMs: 5_000 });
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(alive(pid));
    await k(['delete', 'pod', 'graceful', '--wait=true', '--timeout=30s']);
    assert.equal(readFileSync(termFile, 'utf8').trim(), 'term', 'the container got SIGTERM');
    await waitUntil('process gone', () => !alive(pid), { timeoutMs: 5_000 });
    const r = await kubectl(server.kubeconfig, ['get', 'pod', 'graceful']);
    assert.notEqual(r.code, 0);
  });
});
