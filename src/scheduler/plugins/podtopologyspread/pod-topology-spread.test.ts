import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interfaces.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, PodTopologySpread } from './pod-topology-spread.js';

const fooPod = (name: string, extra: Partial<Pod['spec']> = {}, labels: Record<string, string> = { foo: '' }): Pod => {
  const p = makePod({ name });
  return { ...p, metadata: { ...p.metadata, labels }, spec: { ...p.spec!, ...extra } };
};
const spread = (topologyKey: string, maxSkew: number, when: 'DoNotSchedule' | 'ScheduleAnyway', extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  topologyKey,
  maxSkew,
  whenUnsatisfiable: when,
  labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
  ...extra,
});
const node = (name: string, labels: Record<string, string>, pods: Pod[] = [], taints?: { key: string; effect: string }[]) => new NodeInfo(makeNode({ name, labels, ...(taints ? { taints } : {}) }), ...pods);
const handleOf = (nodes: NodeInfo[]): Handle => ({ snapshot: () => ({ list: () => nodes, get: (n: string) => nodes.find((x) => x.name === n) }) }) as unknown as Handle;

function filterAll(pod: Pod, nodes: NodeInfo[]): (string | undefined)[] {
  const p = new PodTopologySpread(undefined, handleOf(nodes));
  const state = new CycleState();
  const pre = p.preFilter(state, pod, nodes);
  if (pre?.status?.isSkip()) return nodes.map(() => undefined);
  return nodes.map((n) => p.filter(state, pod, n)?.reasons[0]);
}

// Four nodes over two zones (kube's filtering_test.go layout).
const cluster = (counts: number[], extra: (i: number) => Record<string, string> = () => ({})) =>
  ['node-a', 'node-b', 'node-x', 'node-y'].map((n, i) =>
    node(n, { zone: i < 2 ? 'zone1' : 'zone2', ...extra(i) }, Array.from({ length: counts[i]! }, (_, j) => fooPod(`p-${n}-${j}`, { nodeName: n }))),
  );

describe('PodTopologySpread filter', () => {
  it('maxSkew 1 by zone: only the emptier zone fits', () => {
    const pod = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'DoNotSchedule')] });
    // zone1 has 3, zone2 has 1.
    assert.deepEqual(filterAll(pod, cluster([2, 1, 1, 0])), [ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH, undefined, undefined]);
  });
  it('AddPod/RemovePod (preemption what-ifs) move the global minimum on a cloned state only', () => {
    const pod = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'DoNotSchedule')] });
    const nodes = cluster([1, 0, 0, 0]); // zone1 1, zone2 0
    const p = new PodTopologySpread(undefined, handleOf(nodes));
    const state = new CycleState();
    p.preFilter(state, pod, nodes);
    assert.equal(p.filter(state, pod, nodes[0]!)?.reasons[0], ERR_REASON_CONSTRAINTS_NOT_MATCH); // 1 + 1 - 0 > 1
    const what = state.clone();
    p.addPod(what, pod, fooPod('x', { nodeName: 'node-x' }), nodes[2]!); // zone2 1: min 1
    assert.equal(p.filter(what, pod, nodes[0]!), undefined);
    p.removePod(what, pod, fooPod('x', { nodeName: 'node-x' }), nodes[2]!);
    assert.equal(p.filter(what, pod, nodes[0]!)?.reasons[0], ERR_REASON_CONSTRAINTS_NOT_MATCH);
    assert.equal(p.filter(state, pod, nodes[2]!), undefined);
  });
  it('a pod that does not match its own selector adds no self count', () => {
    const pod = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'DoNotSchedule')] }, { bar: '' });
    assert.deepEqual(filterAll(pod, cluster([2, 1, 1, 0])), [ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH, undefined, undefined]);
    assert.deepEqual(filterAll(pod, cluster([1, 0, 1, 0])), [undefined, undefined, undefined, undefined]);
  });
  it('two constraints (zone and hostname) both apply', () => {
    const pod = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'DoNotSchedule'), spread('kubernetes.io/hostname', 1, 'DoNotSchedule')] });
    // zone1: 3 (2+1), zone2: 3 (1+2); hostname min 1.
    assert.deepEqual(filterAll(pod, cluster([2, 1, 1, 2])), [ERR_REASON_CONSTRAINTS_NOT_MATCH, undefined, undefined, ERR_REASON_CONSTRAINTS_NOT_MATCH]);
  });
  it('nodes without the topology label are unresolvable', () => {
    const pod = fooPod('in', { topologySpreadConstraints: [spread('rack', 1, 'DoNotSchedule')] });
    assert.deepEqual(filterAll(pod, cluster([0, 0, 0, 0])), [ERR_REASON_NODE_LABEL_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH]);
  });
  it('minDomains: fewer domains than minDomains makes the global minimum 0', () => {
    const pod = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'DoNotSchedule', { minDomains: 3 })] });
    assert.deepEqual(filterAll(pod, cluster([1, 0, 1, 0])), [ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH]);
    const two = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'DoNotSchedule', { minDomains: 2 })] });
    assert.deepEqual(filterAll(two, cluster([1, 0, 1, 0])), [undefined, undefined, undefined, undefined]);
  });
  it('nodeAffinityPolicy Honor (default) ignores domains the pod cannot go to; Ignore counts them', () => {
    const c = spread('zone', 1, 'DoNotSchedule');
    const nodes = cluster([0, 0, 2, 0], (i): Record<string, string> => (i < 2 ? { ok: 'yes' } : {}));
    nodes.push(node('node-z', { zone: 'zone3', ok: 'yes' }));
    const honor = fooPod('in', { topologySpreadConstraints: [c], nodeSelector: { ok: 'yes' } });
    // zone2 (the only one with pods) is excluded: zone1 and zone3 both 0.
    assert.deepEqual(filterAll(honor, nodes)[0], undefined);
    const ignore = fooPod('in', { topologySpreadConstraints: [{ ...c, nodeAffinityPolicy: 'Ignore' }], nodeSelector: { ok: 'yes' } });
    assert.deepEqual(filterAll(ignore, nodes)[0], undefined);
    assert.deepEqual(filterAll(ignore, nodes)[2], ERR_REASON_CONSTRAINTS_NOT_MATCH);
  });
  it('nodeTaintsPolicy Honor excludes tainted nodes from the domains', () => {
    const taint = [{ key: 'k', effect: 'NoSchedule' }];
    const nodes = [node('a', { zone: 'z1' }, [fooPod('x', { nodeName: 'a' })]), node('b', { zone: 'z2' }, [], taint)];
    const ignore = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'DoNotSchedule')] });
    assert.deepEqual(filterAll(ignore, nodes), [ERR_REASON_CONSTRAINTS_NOT_MATCH, undefined]);
    const honor = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' })] });
    assert.deepEqual(filterAll(honor, nodes), [undefined, undefined]);
  });
  it('matchLabelKeys narrows the selector with the pod own label values', () => {
    const c = spread('zone', 1, 'DoNotSchedule', { matchLabelKeys: ['rev'] });
    const old = (n: string, nodeName: string) => fooPod(n, { nodeName }, { foo: '', rev: '1' });
    const nodes = [node('a', { zone: 'z1' }, [old('o1', 'a'), old('o2', 'a')]), node('b', { zone: 'z2' })];
    assert.deepEqual(filterAll(fooPod('in', { topologySpreadConstraints: [c] }, { foo: '', rev: '2' }), nodes), [undefined, undefined]);
    assert.deepEqual(filterAll(fooPod('in', { topologySpreadConstraints: [c] }, { foo: '', rev: '1' }), nodes), [ERR_REASON_CONSTRAINTS_NOT_MATCH, undefined]);
  });
  it('skips pods without DoNotSchedule constraints', () => {
    const p = new PodTopologySpread();
    assert.equal(p.preFilter(new CycleState(), fooPod('in'), [])?.status?.isSkip(), true);
  });
});

describe('PodTopologySpread score', () => {
  function scoreAll(p: PodTopologySpread, pod: Pod, nodes: NodeInfo[], filtered = nodes): number[] {
    const state = new CycleState();
    const pre = p.preScore(state, pod, filtered);
    if (pre?.isSkip()) return filtered.map(() => 0);
    const scores = filtered.map((n) => ({ name: n.name, score: p.score(state, pod, n) }));
    p.normalizeScore(state, pod, scores);
    return scores.map((s) => s.score);
  }
  // kube's scoring_test.go: "one constraint on node, all nodes have the same number of matching pods".
  it('hostname: fewer matching pods score higher', () => {
    const nodes = ['a', 'b', 'c', 'd'].map((n, i) => node(n, {}, Array.from({ length: [0, 1, 2, 3][i]! }, (_, j) => fooPod(`${n}${j}`, { nodeName: n }))));
    const pod = fooPod('in', { topologySpreadConstraints: [spread('kubernetes.io/hostname', 1, 'ScheduleAnyway')] });
    const p = new PodTopologySpread(undefined, handleOf(nodes));
    // raw: cnt·log(6); max = 3·1.79 = 5.37 → round 5; scores 0,2,4,5 → 100·(5+0−s)/5.
    assert.deepEqual(scoreAll(p, pod, nodes), [100, 60, 20, 0]);
  });
  it('nodes missing a topology key get 0', () => {
    const nodes = [node('a', { zone: 'z1' }), node('b', { zone: 'z2' }, [fooPod('x', { nodeName: 'b' })]), node('c', {})];
    const pod = fooPod('in', { topologySpreadConstraints: [spread('zone', 1, 'ScheduleAnyway')] });
    const p = new PodTopologySpread(undefined, handleOf(nodes));
    assert.deepEqual(scoreAll(p, pod, nodes), [100, 0, 0]);
  });
  it('system default constraints apply only with a selector from the owners', () => {
    const nodes = [node('a', { 'topology.kubernetes.io/zone': 'z1' }), node('b', { 'topology.kubernetes.io/zone': 'z2' }, [fooPod('x', { nodeName: 'b' })])];
    const pod = fooPod('in');
    assert.equal(new PodTopologySpread(undefined, handleOf(nodes)).preScore(new CycleState(), pod, nodes)?.isSkip(), true);
    const withOwners = new PodTopologySpread(undefined, handleOf(nodes), () => ({ matchLabels: { foo: '' } }));
    const scores = scoreAll(withOwners, pod, nodes);
    assert.ok(scores[0]! > scores[1]!, `${scores}`);
  });
  it('validates args', () => {
    assert.throws(() => new PodTopologySpread({ defaultingType: 'System', defaultConstraints: [spread('zone', 1, 'ScheduleAnyway', { labelSelector: undefined })] }));
    const p = new PodTopologySpread({ defaultingType: 'List', defaultConstraints: [{ topologyKey: 'zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] }, undefined, () => ({ matchLabels: { foo: '' } }));
    const nodes = [node('a', { zone: 'z1' }, [fooPod('x', { nodeName: 'a' })]), node('b', { zone: 'z2' })];
    assert.deepEqual(filterAllWith(p, fooPod('in'), nodes), [ERR_REASON_CONSTRAINTS_NOT_MATCH, undefined]);
  });
});

function filterAllWith(p: PodTopologySpread, pod: Pod, nodes: NodeInfo[]): (string | undefined)[] {
  const state = new CycleState();
  p.preFilter(state, pod, nodes);
  return nodes.map((n) => p.filter(state, pod, n)?.reasons[0]);
}
