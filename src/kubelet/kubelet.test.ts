import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { fakeKubelet, testPod } from './test-support.js';
import { resolveTimings } from './timings.js';

const node: Node = {
  metadata: { name: 'node-a', uid: 'node-uid', labels: { 'kubernetes.io/hostname': 'node-a', disk: 'ssd' } },
  spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }] },
  status: { allocatable: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi', pods: '110' } },
};
const tolerate = [{ key: 'dedicated', operator: 'Equal' as const, value: 'x', effect: 'NoExecute' as const }];

function setup() {
  const { clock, runtime, api, kubelet } = fakeKubelet({ node: () => node, timings: resolveTimings({ backoffInitialMs: 1_000, backoffMaxMs: 4_000, backoffResetMs: 60_000 }) });
  const add = async (pod: Pod) => {
    api.addPod(pod);
    kubelet.podUpdated(api.pod('default', pod.metadata!.name!)!);
    await kubelet.idle();
  };
  const sync = async (name: string) => {
    const pod = api.pod('default', name);
    if (pod) kubelet.podUpdated(pod);
    await kubelet.idle();
  };
  const status = (name: string) => api.pod('default', name)?.status;
  return { clock, runtime, api, kubelet, add, sync, status };
}

const pod = (name: string, spec: Partial<Pod['spec']> = {}) => testPod(name, { tolerations: tolerate, ...spec });

describe('Kubelet', () => {
  it('runs a pod and reports Running with the status fields Kubernetes reports', async () => {
    const { runtime, add, status } = setup();
    await add(pod('web'));
    const c = runtime.running('main');
    assert.ok(c, 'container running');
    assert.match(c.logPath, /^\/data\/pods\/logs\/default_web_uid-web\/main\/0\.log$/);
    const s = status('web')!;
    assert.equal(s.phase, 'Running');
    assert.equal(s.hostIP, '192.168.0.10');
    assert.deepEqual(s.hostIPs, [{ ip: '192.168.0.10' }]);
    assert.match(s.podIP ?? '', /^10\.88\.0\.\d+$/);
    assert.ok(s.startTime);
    const cs = s.containerStatuses![0]!;
    assert.equal(cs.name, 'main');
    assert.equal(cs.ready, true);
    assert.equal(cs.started, true);
    assert.equal(cs.restartCount, 0);
    assert.equal(cs.containerID, `fake://${c.id}`);
    assert.equal(cs.imageID, 'sha256:busybox');
    assert.ok(cs.state?.running?.startedAt);
    const cond = Object.fromEntries((s.conditions ?? []).map((x) => [x.type, x.status]));
    assert.deepEqual(cond, { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
  });

  it('finds containers, their previous instance and logs, and the sandbox (for the kubelet API)', async () => {
    const { runtime, add, sync, kubelet } = setup();
    await add(pod('logs'));
    runtime.exit(runtime.running('main')!.id, 1);
    await sync('logs');
    const where = await kubelet.lookup.findContainer('default', 'logs', 'main');
    assert.equal(where?.containerId, runtime.running('main')!.id);
    assert.match(where?.logPath ?? '', /default_logs_uid-logs\/main\/1\.log$/);
    assert.match(where?.previousLogPath ?? '', /default_logs_uid-logs\/main\/0\.log$/);
    assert.equal(await kubelet.lookup.findPodSandbox('default', 'logs'), [...runtime.sandboxes.keys()][0]);
    assert.equal(await kubelet.lookup.findContainer('default', 'nope', 'main'), undefined);
    assert.deepEqual(kubelet.lookup.listPods().map((p) => p.metadata?.name), ['logs']);
  });

  it('posts status only when it changed, and a sync against a running pod starts nothing', async () => {
    const { runtime, api, add, sync } = setup();
    await add(pod('web'));
    const patches = api.calls.filter((c) => c.startsWith('patchPodStatus')).length;
    const calls = runtime.calls.length;
    await sync('web');
    await sync('web');
    assert.equal(api.calls.filter((c) => c.startsWith('patchPodStatus')).length, patches);
    assert.equal(runtime.calls.length, calls);
  });

  it('restartPolicy Never: exit 1 fails the pod, its sandbox stops, the status stays', async () => {
    const { runtime, add, sync, status } = setup();
    await add(pod('job', { restartPolicy: 'Never' }));
    runtime.exit(runtime.running('main')!.id, 1);
    await sync('job');
    const s = status('job')!;
    assert.equal(s.phase, 'Failed');
    assert.equal(s.containerStatuses![0]!.state?.terminated?.exitCode, 1);
    assert.equal(s.containerStatuses![0]!.state?.terminated?.reason, 'Error');
    assert.equal([...runtime.sandboxes.values()][0]!.status.state, 'notready');
    await sync('job');
    assert.equal(runtime.byName('main').length, 1, 'not restarted');
    const ready = s.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.reason, 'ContainersNotReady');
    assert.equal(ready.message, 'containers with unready status: [main]');
  });

  it('restartPolicy OnFailure: exit 0 succeeds; exit 1 restarts', async () => {
    const { runtime, add, sync, status } = setup();
    await add(pod('ok', { restartPolicy: 'OnFailure' }));
    runtime.exit(runtime.running('main')!.id, 0);
    await sync('ok');
    assert.equal(status('ok')!.phase, 'Succeeded');
    assert.equal(status('ok')!.containerStatuses![0]!.state?.terminated?.reason, 'Completed');
    assert.equal(status('ok')!.conditions!.find((c) => c.type === 'Ready')!.reason, 'PodCompleted');
  });

  it('restartPolicy Always: restarts at once, then CrashLoopBackOff with lastState, then restarts after the backoff', async () => {
    const { clock, runtime, add, sync, status, kubelet } = setup();
    await add(pod('crash'));
    runtime.exit(runtime.running('main')!.id, 2);
    await sync('crash');
    let s = status('crash')!.containerStatuses![0]!;
    assert.ok(s.state?.running, 'restarted at once');
    assert.equal(s.restartCount, 1);
    assert.equal(s.lastState?.terminated?.exitCode, 2);
    runtime.exit(runtime.running('main')!.id, 2);
    await sync('crash');
    s = status('crash')!.containerStatuses![0]!;
    assert.equal(s.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(s.state?.waiting?.message, 'back-off 1s restarting failed container=main pod=crash_default(uid-crash)');
    assert.equal(s.lastState?.terminated?.exitCode, 2);
    assert.equal(s.restartCount, 1);
    assert.equal(status('crash')!.phase, 'Running');
    await clock.step(1_000);
    await kubelet.idle();
    s = status('crash')!.containerStatuses![0]!;
    assert.ok(s.state?.running, 'restarted after the backoff');
    assert.equal(s.restartCount, 2);
    assert.equal(runtime.byName('main').length, 2, 'one exited instance kept');
  });

  it('runs init containers in order, each after the previous exits 0, then the app containers', async () => {
    const { runtime, add, sync, status } = setup();
    await add(
      pod('init', {
        initContainers: [
          { name: 'first', image: 'busybox' },
          { name: 'second', image: 'busybox' },
        ],
      }),
    );
    assert.ok(runtime.running('first'));
    assert.equal(runtime.byName('second').length, 0);
    let s = status('init')!;
    assert.equal(s.phase, 'Pending');
    assert.equal(s.containerStatuses![0]!.state?.waiting?.reason, 'PodInitializing');
    assert.equal(s.conditions!.find((c) => c.type === 'Initialized')!.message, 'containers with incomplete status: [first second]');
    runtime.exit(runtime.running('first')!.id, 0);
    await sync('init');
    assert.ok(runtime.running('second'));
    assert.equal(runtime.byName('main').length, 0);
    runtime.exit(runtime.running('second')!.id, 0);
    await sync('init');
    assert.ok(runtime.running('main'));
    s = status('init')!;
    assert.equal(s.phase, 'Running');
    assert.deepEqual(
      s.initContainerStatuses!.map((c) => c.state?.terminated?.reason),
      ['Completed', 'Completed'],
    );
  });

  it('a sidecar (init container with restartPolicy Always) starts first, keeps running, restarts, and stops when the pod completes', async () => {
    const { runtime, add, sync, status } = setup();
    await add(
      pod('sidecar', {
        restartPolicy: 'Never',
        initContainers: [
          { name: 'proxy', image: 'busybox', restartPolicy: 'Always' },
          { name: 'setup', image: 'busybox' },
        ],
      }),
    );
    assert.ok(runtime.running('proxy'));
    await sync('sidecar');
    assert.ok(runtime.running('setup'), 'the next init container starts once the sidecar runs');
    runtime.exit(runtime.running('setup')!.id, 0);
    await sync('sidecar');
    assert.ok(runtime.running('main'));
    let s = status('sidecar')!;
    assert.equal(s.phase, 'Running');
    assert.equal(s.conditions!.find((c) => c.type === 'Initialized')!.status, 'True');
    assert.equal(s.initContainerStatuses![0]!.state?.running !== undefined, true);
    runtime.exit(runtime.running('proxy')!.id, 1);
    await sync('sidecar');
    assert.ok(runtime.running('proxy'), 'the sidecar restarts although the pod restartPolicy is Never');
    runtime.exit(runtime.running('main')!.id, 0);
    await sync('sidecar');
    s = status('sidecar')!;
    assert.equal(s.phase, 'Succeeded');
    assert.equal(runtime.running('proxy'), undefined, 'the sidecar is stopped with the pod');
  });

  it('activeDeadlineSeconds: the pod fails with DeadlineExceeded and its containers stop', async () => {
    const { clock, runtime, add, status, kubelet } = setup();
    await add(pod('deadline', { activeDeadlineSeconds: 30 }));
    assert.equal(status('deadline')!.phase, 'Running');
    await clock.step(30_000);
    await kubelet.idle();
    const s = status('deadline')!;
    assert.equal(s.phase, 'Failed');
    assert.equal(s.reason, 'DeadlineExceeded');
    assert.equal(s.message, 'Pod was active on the node longer than the specified deadline');
    assert.equal(runtime.running('main'), undefined);
  });

  it('a new sandbox runs the init containers again, restart counts carrying on', async () => {
    const { runtime, add, sync, status } = setup();
    await add(pod('resandbox', { initContainers: [{ name: 'first', image: 'busybox' }] }));
    runtime.exit(runtime.running('first')!.id, 0);
    await sync('resandbox');
    assert.ok(runtime.running('main'));
    // the sandbox dies (its containers with it)
    await runtime.stopPodSandbox([...runtime.sandboxes.keys()][0]!);
    await sync('resandbox');
    assert.equal(runtime.sandboxes.size, 2);
    assert.ok(runtime.running('first'), 'the init container runs again in the new sandbox');
    assert.equal(runtime.running('first')!.metadata.attempt, 1);
    assert.equal(runtime.running('main'), undefined, 'the app waits for the init containers');
    runtime.exit(runtime.running('first')!.id, 0);
    await sync('resandbox');
    assert.equal(runtime.running('main')!.metadata.attempt, 1);
    assert.equal(status('resandbox')!.containerStatuses![0]!.restartCount, 1);
  });

  it('a failed init container with restartPolicy Never fails the pod', async () => {
    const { runtime, add, sync, status } = setup();
    await add(pod('initfail', { restartPolicy: 'Never', initContainers: [{ name: 'first', image: 'busybox' }] }));
    runtime.exit(runtime.running('first')!.id, 3);
    await sync('initfail');
    assert.equal(status('initfail')!.phase, 'Failed');
    assert.equal(runtime.byName('main').length, 0);
  });

  it('ErrImageNeverPull and CreateContainerConfigError as waiting reasons', async () => {
    const { add, status } = setup();
    await add(pod('never', { containers: [{ name: 'main', image: 'absent:1', imagePullPolicy: 'Never' }] }));
    const w = status('never')!.containerStatuses![0]!.state?.waiting;
    assert.equal(w?.reason, 'ErrImageNeverPull');
    assert.equal(w?.message, 'Container image "absent:1" is not present with pull policy of Never');
    await add(pod('cfg', { containers: [{ name: 'main', image: 'busybox', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }] }));
    assert.equal(status('cfg')!.containerStatuses![0]!.state?.waiting?.reason, 'CreateContainerConfigError');
    assert.equal(status('cfg')!.phase, 'Pending');
  });

  it('a failed pull: ErrImagePull, then ImagePullBackOff, then a retry after the backoff', async () => {
    const { clock, runtime, add, sync, status, kubelet } = setup();
    runtime.failPull.push(new Error('registry unreachable'));
    await add(pod('pull', { containers: [{ name: 'main', image: 'remote/app:1' }] }));
    let w = status('pull')!.containerStatuses![0]!.state?.waiting;
    assert.equal(w?.reason, 'ErrImagePull');
    assert.equal(w?.message, 'Failed to pull image "remote/app:1": registry unreachable');
    await sync('pull');
    w = status('pull')!.containerStatuses![0]!.state?.waiting;
    assert.deepEqual([w?.reason, w?.message], ['ImagePullBackOff', 'Back-off pulling image "remote/app:1"']);
    await clock.step(1_000);
    await kubelet.idle();
    assert.ok(runtime.running('main'), 'pulled and started after the backoff');
  });

  it('pulls per imagePullPolicy', async () => {
    const { runtime, add } = setup();
    await add(pod('p1', { containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent' }] }));
    assert.ok(!runtime.calls.includes('pullImage busybox'));
    await add(pod('p2', { containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'Always' }] }));
    assert.ok(runtime.calls.includes('pullImage busybox'));
  });

  it('rejects pods that do not fit, do not match node affinity, or do not tolerate NoExecute taints', async () => {
    const { runtime, add, status } = setup();
    await add(pod('big', { containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '3' } } }] }));
    assert.equal(status('big')!.phase, 'Failed');
    assert.equal(status('big')!.reason, 'OutOfcpu');
    assert.equal(status('big')!.message, "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000");
    await add(pod('sel', { nodeSelector: { disk: 'hdd' } }));
    assert.equal(status('sel')!.reason, 'NodeAffinity');
    await add(testPod('taint'));
    assert.equal(status('taint')!.reason, 'Taint');
    assert.equal(runtime.sandboxes.size, 0);
  });

  it('counts admitted pods against allocatable', async () => {
    const { add, status } = setup();
    const half = { containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '1500m' } } }] };
    await add(pod('a', half));
    await add(pod('b', half));
    assert.equal(status('a')!.phase, 'Running');
    assert.equal(status('b')!.reason, 'OutOfcpu');
  });

  it('terminates a deleted pod: stops containers with the grace period, removes the sandbox, deletes the object', async () => {
    const { runtime, api, kubelet, add } = setup();
    await add(pod('gone'));
    const current = api.pod('default', 'gone')!;
    kubelet.podUpdated({ ...current, metadata: { ...current.metadata, deletionTimestamp: '2026-01-01T00:00:10Z', deletionGracePeriodSeconds: 7 } });
    await kubelet.idle();
    assert.ok(runtime.calls.includes('stopContainer main 7'));
    assert.equal(runtime.sandboxes.size, 0);
    assert.equal(runtime.containers.size, 0);
    assert.equal(api.pod('default', 'gone'), undefined);
    assert.ok(api.calls.includes('deletePod gone'));
  });

  it('runs preStop before stopping, and posts the terminated status before deleting', async () => {
    const { runtime, api, kubelet, add } = setup();
    await add(pod('hooked', { containers: [{ name: 'main', image: 'busybox', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo bye'] } } } }] }));
    const current = api.pod('default', 'hooked')!;
    kubelet.podUpdated({ ...current, metadata: { ...current.metadata, deletionTimestamp: '2026-01-01T00:00:10Z', deletionGracePeriodSeconds: 5 } });
    await kubelet.idle();
    const hook = runtime.calls.indexOf('execSync main sh -c echo bye');
    const stop = runtime.calls.indexOf('stopContainer main 5');
    assert.ok(hook >= 0 && stop > hook, runtime.calls.join('\n'));
    const patches = api.calls.filter((c) => c.startsWith('patchPodStatus hooked') || c.startsWith('deletePod hooked'));
    assert.deepEqual(patches.slice(-2), ['patchPodStatus hooked', 'deletePod hooked']);
  });

  it('removes runtime pods whose pod the API no longer has', async () => {
    const { runtime, kubelet, add } = setup();
    await add(pod('orphan'));
    kubelet.podDeleted(testPod('orphan'));
    await kubelet.idle();
    assert.equal(runtime.sandboxes.size, 0);
    // a sandbox from before a restart, with no pod at all
    await runtime.runPodSandbox({
      metadata: { name: 'x', namespace: 'default', uid: 'uid-x', attempt: 0 },
      hostname: 'x',
      logDirectory: '/tmp',
      portMappings: [],
      labels: { 'io.kubernetes.pod.uid': 'uid-x' },
      annotations: { 'io.kubernetes.pod.terminationGracePeriod': '3' },
      hostNetwork: false,
    });
    await kubelet.housekeeping();
    await kubelet.idle();
    assert.equal(runtime.sandboxes.size, 0);
  });

  it('keeps restarting while the API server is down and posts the status when it is back', async () => {
    const { runtime, api, add, sync, status } = setup();
    await add(pod('offline'));
    api.down = true;
    runtime.exit(runtime.running('main')!.id, 1);
    await sync('offline');
    assert.ok(runtime.running('main'), 'restarted without the API');
    api.down = false;
    await sync('offline');
    assert.equal(status('offline')!.containerStatuses![0]!.restartCount, 1);
  });
});
