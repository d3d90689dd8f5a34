// The kubelet side of eviction: extra admit handlers (the eviction manager's) reject before the
// predicates, and evict() stops a running pod and leaves it Failed/Evicted with DisruptionTarget.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { admitUnderPressure } from './eviction/admit.js';
import { runtimePodUsage } from './eviction/pod-stats.js';
import type { PressureCondition } from './eviction/thresholds.js';
import { fakeKubelet, testPod } from './test-support.js';

const node: Node = { metadata: { name: 'node-a', uid: 'node-uid' }, status: { allocatable: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi', pods: '110' } } };

function setup(conditions: PressureCondition[]) {
  const { runtime, api, kubelet } = fakeKubelet({ node: () => node, admitHandlers: [(pod: Pod) => admitUnderPressure(pod, conditions)] });
  const add = async (pod: Pod) => {
    api.addPod(pod);
    kubelet.podUpdated(api.pod('default', pod.metadata!.name!)!);
    await kubelet.idle();
  };
  return { runtime, api, kubelet, add, status: (name: string) => api.pod('default', name)?.status };
}

describe('Kubelet eviction', () => {
  it('the eviction admit handler rejects a pod under disk pressure', async () => {
    const { add, status } = setup(['DiskPressure']);
    await add(testPod('refused'));
    assert.equal(status('refused')?.phase, 'Failed');
    assert.equal(status('refused')?.reason, 'Evicted');
    assert.equal(status('refused')?.message, 'Pod was rejected: The node had condition: [DiskPressure]. ');
  });

  it('evict() stops the pod and leaves it Failed, Evicted, with a DisruptionTarget condition', async () => {
    const { add, status, kubelet, runtime } = setup([]);
    await add(testPod('victim'));
    assert.equal(status('victim')?.phase, 'Running');
    const usage = await runtimePodUsage(runtime);
    const uid = kubelet.activePods()[0]!.metadata!.uid!;
    assert.deepEqual(usage.get(uid)?.containers.map((c) => c.name), ['main']);

    await kubelet.evict(kubelet.activePods()[0]!, 'The node was low on resource: memory. ', 0);
    await kubelet.idle();
    const s = status('victim')!;
    assert.equal(s.phase, 'Failed');
    assert.equal(s.reason, 'Evicted');
    assert.equal(s.message, 'The node was low on resource: memory. ');
    const disruption = s.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([disruption?.status, disruption?.reason, disruption?.message], ['True', 'TerminationByKubelet', 'The node was low on resource: memory. ']);
    assert.equal(runtime.running('main'), undefined);
    assert.deepEqual(kubelet.activePods(), []);
  });
});
