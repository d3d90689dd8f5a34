import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, PodSpec } from 'kubernetes-types/core/v1.js';
import { daemonTolerations, nodeShouldRunDaemonPod, pinToNode, targetNodeOf } from './eligibility.js';

const node = (name: string, labels: Record<string, string> = {}, taints: NonNullable<Node['spec']>['taints'] = []): Node => ({ metadata: { name, labels }, spec: { taints } });
const ds = (spec: Partial<PodSpec> = {}): DaemonSet => ({
  metadata: { name: 'agent' },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c' }], ...spec } } },
});

describe('DaemonSet node eligibility', () => {
  it('adds the default daemon tolerations (network-unavailable only for hostNetwork), replacing equal ones', () => {
    const keys = daemonTolerations({ containers: [] }).map((t) => `${t.key}:${t.effect}`);
    assert.deepEqual(keys, [
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    assert.ok(daemonTolerations({ containers: [], hostNetwork: true }).some((t) => t.key === 'node.kubernetes.io/network-unavailable'));
    const own = daemonTolerations({ containers: [], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }, { key: 'x', operator: 'Exists' }] });
    assert.equal(own.filter((t) => t.key === 'node.kubernetes.io/not-ready').length, 1);
    assert.equal(own.find((t) => t.key === 'node.kubernetes.io/not-ready')?.tolerationSeconds, undefined, 'no tolerationSeconds on the default');
    assert.ok(own.some((t) => t.key === 'x'));
  });

  it('follows nodeSelector and required node affinity', () => {
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { disk: 'ssd' }), ds({ nodeSelector: { disk: 'ssd' } })), { shouldRun: true, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a'), ds({ nodeSelector: { disk: 'ssd' } })), { shouldRun: false, shouldContinueRunning: false });
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } };
    assert.equal(nodeShouldRunDaemonPod(node('a', { zone: 'z1' }), ds({ affinity })).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod(node('a', { zone: 'z2' }), ds({ affinity })).shouldRun, false);
  });

  it('weighs taints: NoSchedule stops new pods only, NoExecute removes them, tolerations and defaults allow', () => {
    const noSchedule = node('a', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    assert.deepEqual(nodeShouldRunDaemonPod(noSchedule, ds()), { shouldRun: false, shouldContinueRunning: true });
    const noExecute = node('a', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    assert.deepEqual(nodeShouldRunDaemonPod(noExecute, ds()), { shouldRun: false, shouldContinueRunning: false });
    assert.equal(nodeShouldRunDaemonPod(noExecute, ds({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db' }] })).shouldRun, true);
    const cordoned = node('a', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]);
    assert.equal(nodeShouldRunDaemonPod(cordoned, ds()).shouldRun, true, 'the default tolerations cover cordoned and not-ready nodes');
  });

  it('pins a pod to its node through required node affinity on metadata.name, and reads the target back', () => {
    const spec = pinToNode({ containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }] } } } }, 'n1');
    assert.deepEqual(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] });
    assert.equal(targetNodeOf({ spec }), 'n1');
    assert.equal(targetNodeOf({ spec: { ...spec, nodeName: 'n2' } }), 'n2');
    assert.equal(targetNodeOf({ spec: { containers: [] } }), undefined);
  });
});
