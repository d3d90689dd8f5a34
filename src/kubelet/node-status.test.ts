import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTime } from '../api/meta.js';
import { FakeClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import type { HostInfo } from './host-info.js';
import { osImageFrom } from './host-info.js';
import { NodeLease } from './node-lease.js';
import { NodeStatusReporter } from './node-status.js';
import { FakeKubeletApi } from './test-support.js';

const host: HostInfo = {
  hostname: 'box',
  cpuCount: 4,
  memoryBytes: 8 * 1024 ** 3,
  ephemeralStorageBytes: 100 * 1024 ** 3,
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  operatingSystem: 'linux',
  architecture: 'amd64',
  machineID: 'm1',
  systemUUID: 'u1',
  bootID: 'b1',
};

function reporter(api: FakeKubeletApi, clock: FakeClock, extra: { taints?: { key: string; effect: 'NoSchedule' }[]; pressure?: () => ReadonlySet<string>; events?: string[] } = {}) {
  return new NodeStatusReporter({
    api,
    clock,
    logger: silentLogger,
    identity: {
      nodeName: 'node-a',
      nodeIP: '10.0.0.5',
      labels: { 'node-role.kubernetes.io/control-plane': '' },
      taints: extra.taints ?? [],
      kubeletPort: 10250,
      containerRuntimeVersion: 'fake://0.0.1',
    },
    host: () => host,
    ...(extra.pressure ? { pressure: extra.pressure } : {}),
    ...(extra.events ? { recordNodeEvent: (reason: string, message: string) => extra.events!.push(`${reason}: ${message}`) } : {}),
    updateMs: 10_000,
    reportMs: 300_000,
    images: async () => [
      { names: ['docker.io/library/small:1'], sizeBytes: 10 },
      { names: ['docker.io/library/big:1'], sizeBytes: 1000 },
    ],
  });
}

describe('NodeStatusReporter', () => {
  it('reports the eviction manager\'s pressure conditions with the kubelet\'s reasons, and back', async () => {
    const clock = new FakeClock();
    const api = new FakeKubeletApi();
    let pressure = new Set(['DiskPressure', 'PIDPressure']);
    const events: string[] = [];
    const r = reporter(api, clock, { pressure: () => pressure, events });
    await r.start();
    const conditions = () => Object.fromEntries((api.nodes.get('node-a')?.status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}: ${c.message}`]));
    assert.deepEqual(conditions(), {
      MemoryPressure: 'False KubeletHasSufficientMemory: kubelet has sufficient memory available',
      DiskPressure: 'True KubeletHasDiskPressure: kubelet has disk pressure',
      PIDPressure: 'True KubeletHasInsufficientPID: kubelet has insufficient PID available',
      Ready: 'True KubeletReady: kubelet is posting ready status',
    });
    assert.deepEqual(events.splice(0), [
      'NodeHasSufficientMemory: Node node-a status is now: NodeHasSufficientMemory',
      'NodeHasDiskPressure: Node node-a status is now: NodeHasDiskPressure',
      'NodeHasInsufficientPID: Node node-a status is now: NodeHasInsufficientPID',
      'NodeReady: Node node-a status is now: NodeReady',
    ]);
    pressure = new Set(['MemoryPressure']);
    await clock.step(10_000);
    await r.sync();
    assert.deepEqual(conditions(), {
      MemoryPressure: 'True KubeletHasInsufficientMemory: kubelet has insufficient memory available',
      DiskPressure: 'False KubeletHasNoDiskPressure: kubelet has no disk pressure',
      PIDPressure: 'False KubeletHasSufficientPID: kubelet has sufficient PID available',
      Ready: 'True KubeletReady: kubelet is posting ready status',
    });
    assert.deepEqual(events.map((e) => e.split(':')[0]), ['NodeHasInsufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']);
    await r.stop();
  });

  it('registers the node with labels, capacity, addresses, nodeInfo and ready conditions', async () => {
    const clock = new FakeClock();
    const api = new FakeKubeletApi();
    const r = reporter(api, clock, { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    await r.start();
    const n = api.nodes.get('node-a')!;
    assert.equal(n.metadata?.labels?.['kubernetes.io/hostname'], 'node-a');
    assert.equal(n.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(n.metadata?.labels?.['kubernetes.io/arch'], 'amd64');
    assert.equal(n.metadata?.labels?.['node-role.kubernetes.io/control-plane'], '');
    assert.deepEqual(n.spec?.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    assert.deepEqual(n.status?.capacity, { cpu: '4', memory: '8388608Ki', 'ephemeral-storage': '104857600Ki', pods: '110' });
    assert.equal(n.status?.allocatable?.['memory'], `${8388608 - 102400}Ki`);
    assert.deepEqual(n.status?.addresses, [
      { type: 'InternalIP', address: '10.0.0.5' },
      { type: 'Hostname', address: 'node-a' },
    ]);
    assert.equal(n.status?.nodeInfo?.containerRuntimeVersion, 'fake://0.0.1');
    assert.equal(n.status?.nodeInfo?.kubeletVersion, 'v1.32.0-kite.0.1.0');
    assert.equal(n.status?.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
    assert.deepEqual(n.status?.images?.map((i) => i.names?.[0]), ['docker.io/library/big:1', 'docker.io/library/small:1']);
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True');
    assert.equal(ready?.reason, 'KubeletReady');
    assert.equal(ready?.message, 'kubelet is posting ready status');
    assert.deepEqual(
      n.status?.conditions?.map((c) => [c.type, c.reason]),
      [
        ['MemoryPressure', 'KubeletHasSufficientMemory'],
        ['DiskPressure', 'KubeletHasNoDiskPressure'],
        ['PIDPressure', 'KubeletHasSufficientPID'],
        ['Ready', 'KubeletReady'],
      ],
    );
    await r.stop();
  });

  it('updates an existing node, and posts status only on change or after the report period', async () => {
    const clock = new FakeClock();
    const api = new FakeKubeletApi();
    api.nodes.set('node-a', { metadata: { name: 'node-a', uid: 'old', labels: { keep: 'me' }, resourceVersion: '1' } });
    const r = reporter(api, clock);
    await r.start();
    assert.equal(api.nodes.get('node-a')!.metadata?.labels?.['keep'], 'me');
    assert.equal(api.nodes.get('node-a')!.metadata?.labels?.['kubernetes.io/hostname'], 'node-a');
    const posts = () => api.calls.filter((c) => c === 'patchNodeStatus').length;
    assert.equal(posts(), 1);
    const firstBeat = api.nodes.get('node-a')!.status!.conditions![0]!.lastHeartbeatTime;
    await clock.step(10_000);
    await r.sync();
    assert.equal(posts(), 1, 'unchanged: not posted');
    await clock.step(300_000);
    await r.sync();
    assert.ok(posts() >= 2, 'posted after the report period');
    const c = api.nodes.get('node-a')!.status!.conditions![0]!;
    assert.notEqual(c.lastHeartbeatTime, firstBeat);
    assert.equal(c.lastTransitionTime, firstBeat, 'transition time kept');
    await r.stop();
  });
});

describe('NodeStatusReporter readiness', () => {
  it('reports Ready False with KubeletNotReady while the runtime is down, and True again after', async () => {
    const clock = new FakeClock();
    const api = new FakeKubeletApi();
    let problem: string | undefined = 'container runtime is down: no socket';
    const r = new NodeStatusReporter({
      api,
      clock,
      logger: silentLogger,
      identity: { nodeName: 'n', nodeIP: '10.0.0.5', labels: {}, taints: [], kubeletPort: 10250, containerRuntimeVersion: 'fake://1' },
      host: () => host,
      updateMs: 10_000,
      reportMs: 300_000,
      readinessProblem: async () => problem,
    });
    await r.start();
    let ready = api.nodes.get('n')!.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'KubeletNotReady', 'container runtime is down: no socket']);
    problem = undefined;
    await clock.step(10_000);
    await r.sync();
    ready = api.nodes.get('n')!.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.status, 'True');
    assert.equal(ready.lastTransitionTime, formatTime(clock.now()));
    await r.stop();
  });
});

describe('NodeLease', () => {
  it('creates the lease owned by the node and renews it', async () => {
    const clock = new FakeClock();
    const api = new FakeKubeletApi();
    const lease = new NodeLease({
      api,
      clock,
      logger: silentLogger,
      nodeName: 'node-a',
      node: () => ({ metadata: { name: 'node-a', uid: 'nuid' } }),
      renewMs: 10_000,
      leaseDurationSeconds: 40,
    });
    lease.start();
    await lease.renew();
    const l = api.leases.get('kube-node-lease/node-a')!;
    assert.equal(l.spec?.holderIdentity, 'node-a');
    assert.equal(l.spec?.leaseDurationSeconds, 40);
    assert.deepEqual(l.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: 'nuid' }]);
    const first = l.spec?.renewTime;
    await clock.step(10_000);
    await lease.renew();
    assert.notEqual(api.leases.get('kube-node-lease/node-a')!.spec?.renewTime, first);
    assert.match(String(api.leases.get('kube-node-lease/node-a')!.spec?.renewTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await lease.stop();
  });
});

describe('host info', () => {
  it('reads PRETTY_NAME from os-release', () => {
    assert.equal(osImageFrom('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(osImageFrom(''), 'Linux');
  });
});
