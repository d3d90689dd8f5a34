// VolumeBinding's PreFilter and Filter over in-memory listers, and Reserve's assumed bindings.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { FakeClock } from '../../../util/clock.js';
import { silentLogger } from '../../../util/log.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interfaces.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { VolumeBinding } from './volume-binding.js';

const classes: StorageClass[] = [
  { metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'local' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'now' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'Immediate' },
];
const onNode = (node: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } });
const pv = (name: string, o: { node?: string; claim?: string } = {}): PersistentVolume => ({
  metadata: { name },
  spec: {
    capacity: { storage: '1Gi' },
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'manual',
    hostPath: { path: `/tmp/${name}` },
    ...(o.node ? { nodeAffinity: onNode(o.node) } : {}),
    ...(o.claim ? { claimRef: { namespace: 'default', name: o.claim, uid: `uid-${o.claim}` } } : {}),
  },
  status: { phase: o.claim ? 'Bound' : 'Available' },
});
const pvc = (name: string, cls: string, volumeName?: string): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(volumeName ? { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } } : {}) },
  spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(volumeName ? { volumeName } : {}) },
});

function plugin(claims: PersistentVolumeClaim[], volumes: PersistentVolume[]): VolumeBinding {
  const handle: Handle = {
    clock: new FakeClock(),
    logger: silentLogger,
    snapshot: () => ({ list: () => [], get: () => undefined }),
    volumeListers: {
      claim: (ns, name) => claims.find((c) => c.metadata?.namespace === ns && c.metadata?.name === name),
      volumes: () => volumes,
      storageClass: (name) => classes.find((c) => c.metadata?.name === name),
    },
  };
  return new VolumeBinding(handle, 1000);
}
const node = (name: string) => new NodeInfo(makeNode({ name, labels: { 'kubernetes.io/hostname': name } }));
const podWith = (...claimNames: string[]) => {
  const pod = makePod({ name: 'p' });
  pod.spec!.volumes = claimNames.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } }));
  return pod;
};

describe('VolumeBinding PreFilter', () => {
  it('skips pods without claims and rejects missing or unbound immediate claims', () => {
    const p = plugin([pvc('imm', 'now')], []);
    assert.equal((p.preFilter(new CycleState(), makePod()) as { code: string }).code, 'Skip');
    const missing = p.preFilter(new CycleState(), podWith('nope'))!;
    assert.deepEqual([missing.code, missing.reasons], ['UnschedulableAndUnresolvable', ['persistentvolumeclaim "nope" not found']]);
    const imm = p.preFilter(new CycleState(), podWith('imm'))!;
    assert.deepEqual([imm.code, imm.reasons], ['UnschedulableAndUnresolvable', ['pod has unbound immediate PersistentVolumeClaims']]);
  });
});

describe('VolumeBinding Filter', () => {
  const run = (p: VolumeBinding, pod: ReturnType<typeof podWith>, nodeName: string) => {
    const state = new CycleState();
    assert.equal(p.preFilter(state, pod), undefined);
    return { state, status: p.filter(state, pod, node(nodeName)) };
  };

  it('requires a bound volume\'s node affinity to admit the node', () => {
    const p = plugin([pvc('data', 'manual', 'pv1')], [pv('pv1', { node: 'n1', claim: 'data' })]);
    assert.equal(run(p, podWith('data'), 'n1').status, undefined);
    const s = run(p, podWith('data'), 'n2').status!;
    assert.deepEqual([s.code, s.reasons], ['UnschedulableAndUnresolvable', ['node(s) had volume node affinity conflict']]);
  });

  it('finds an available volume on the node for a WaitForFirstConsumer claim, or rejects the node', () => {
    const p = plugin([pvc('wait', 'manual')], [pv('pv1', { node: 'n1' })]);
    assert.equal(run(p, podWith('wait'), 'n1').status, undefined);
    const s = run(p, podWith('wait'), 'n2').status!;
    assert.deepEqual([s.code, s.reasons], ['UnschedulableAndUnresolvable', ["node(s) didn't find available persistent volumes to bind"]]);
  });

  it('lets a class with a provisioner provision anywhere, and honours a selected node', () => {
    const p = plugin([pvc('dyn', 'local')], []);
    assert.equal(run(p, podWith('dyn'), 'n2').status, undefined);
    const placed = pvc('dyn2', 'local');
    placed.metadata!.annotations = { 'volume.kubernetes.io/selected-node': 'n1' };
    const q = plugin([placed], []);
    assert.equal(run(q, podWith('dyn2'), 'n1').status, undefined);
    assert.equal(run(q, podWith('dyn2'), 'n2').status?.code, 'UnschedulableAndUnresolvable');
  });

  it('Reserve assumes a static binding so another pod cannot take the same volume; Unreserve frees it', () => {
    const claims = [pvc('a', 'manual'), pvc('b', 'manual')];
    const p = plugin(claims, [pv('pv1', { node: 'n1' })]);
    const first = run(p, podWith('a'), 'n1');
    assert.equal(first.status, undefined);
    assert.equal(p.reserve(first.state, podWith('a'), 'n1'), undefined);
    assert.equal(run(p, podWith('b'), 'n1').status?.code, 'UnschedulableAndUnresolvable', 'pv1 is assumed for claim a');
    p.unreserve(first.state);
    assert.equal(run(p, podWith('b'), 'n1').status, undefined);
  });
});
