import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interfaces.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, InterPodAffinity } from './inter-pod-affinity.js';

const labeled = (pod: Pod, labels: Record<string, string>): Pod => ({ ...pod, metadata: { ...pod.metadata, labels } });
const term = (labels: Record<string, string>, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: labels }, topologyKey, ...extra });
const zoneNode = (name: string, zone: string | undefined, pods: Pod[] = []) => new NodeInfo(makeNode({ name, labels: zone ? { zone } : {} }), ...pods);
const handleOf = (nodes: NodeInfo[]): Handle => ({ snapshot: () => ({ list: () => nodes, get: (n: string) => nodes.find((x) => x.name === n) }) }) as unknown as Handle;

function filterAll(pod: Pod, nodes: NodeInfo[], args?: Record<string, unknown>): (string | undefined)[] {
  const p = new InterPodAffinity(args, handleOf(nodes));
  const state = new CycleState();
  const pre = p.preFilter(state, pod, nodes);
  if (pre?.status?.isSkip()) return nodes.map(() => undefined);
  return nodes.map((n) => p.filter(state, pod, n)?.reasons[0]);
}

describe('InterPodAffinity filter', () => {
  const web = labeled(makePod({ name: 'web' }), { app: 'web' });

  it('required anti-affinity by zone rejects nodes in a zone with a matching pod', () => {
    const pod = labeled(makePod({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'zone')] } } }), { app: 'x' });
    const nodes = [zoneNode('a1', 'a', [web]), zoneNode('a2', 'a'), zoneNode('b1', 'b'), zoneNode('none', undefined)];
    assert.deepEqual(filterAll(pod, nodes), [ERR_REASON_ANTI_AFFINITY, ERR_REASON_ANTI_AFFINITY, undefined, undefined]);
  });

  it('counts a node\'s matching pods again once the node changes', () => {
    const pod = labeled(makePod({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'zone')] } } }), { app: 'x' });
    const affine = labeled(makePod({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'zone')] } } }), { app: 'web' });
    const nodes = [zoneNode('a1', 'a'), zoneNode('b1', 'b')];
    assert.deepEqual(filterAll(pod, nodes), [undefined, undefined]);
    assert.deepEqual(filterAll(affine, nodes), [undefined, undefined], 'no matching pod anywhere: the first of its group');
    nodes[1]!.addPod(web);
    assert.deepEqual(filterAll(pod, nodes), [undefined, ERR_REASON_ANTI_AFFINITY]);
    assert.deepEqual(filterAll(affine, nodes), [ERR_REASON_AFFINITY, undefined]);
    nodes[1]!.removePod(web);
    assert.deepEqual(filterAll(pod, nodes), [undefined, undefined]);
  });

  it('required affinity needs a matching pod in the topology domain, and the topology label', () => {
    const pod = makePod({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'zone')] } } });
    const nodes = [zoneNode('a1', 'a', [web]), zoneNode('a2', 'a'), zoneNode('b1', 'b'), zoneNode('none', undefined)];
    assert.deepEqual(filterAll(pod, nodes), [undefined, undefined, ERR_REASON_AFFINITY, ERR_REASON_AFFINITY]);
  });

  it('the first pod of a self-affine group may go anywhere with the topology label', () => {
    const pod = labeled(makePod({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'zone')] } } }), { app: 'web' });
    assert.deepEqual(filterAll(pod, [zoneNode('a1', 'a'), zoneNode('none', undefined)]), [undefined, ERR_REASON_AFFINITY]);
    // Not self-matching: nowhere.
    const other = makePod({ affinity: pod.spec!.affinity! });
    assert.deepEqual(filterAll(other, [zoneNode('a1', 'a')]), [ERR_REASON_AFFINITY]);
  });

  it("existing pods' anti-affinity rejects the incoming pod in their domain", () => {
    const existing = makePod({ name: 'guard', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'zone')] } } });
    const nodes = [zoneNode('a1', 'a', [existing]), zoneNode('a2', 'a'), zoneNode('b1', 'b')];
    assert.deepEqual(filterAll(labeled(makePod(), { app: 'web' }), nodes), [ERR_REASON_EXISTING_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, undefined]);
    assert.deepEqual(filterAll(labeled(makePod(), { app: 'db' }), nodes), [undefined, undefined, undefined]);
  });

  it('namespaces: the pod own namespace by default, listed namespaces, empty namespaceSelector = all', () => {
    const other = { ...web, metadata: { ...web.metadata, namespace: 'other' } };
    const nodes = [zoneNode('a1', 'a', [other]), zoneNode('b1', 'b')];
    const anti = (extra: Partial<PodAffinityTerm>) => makePod({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'zone', extra)] } } });
    assert.deepEqual(filterAll(anti({}), nodes), [undefined, undefined]);
    assert.deepEqual(filterAll(anti({ namespaces: ['other'] }), nodes), [ERR_REASON_ANTI_AFFINITY, undefined]);
    assert.deepEqual(filterAll(anti({ namespaceSelector: {} }), nodes), [ERR_REASON_ANTI_AFFINITY, undefined]);
    const withLister = new InterPodAffinity(undefined, handleOf(nodes), (ns): Record<string, string> => (ns === 'other' ? { team: 'x' } : {}));
    const state = new CycleState();
    const pod = anti({ namespaceSelector: { matchLabels: { team: 'x' } } });
    withLister.preFilter(state, pod, nodes);
    assert.equal(withLister.filter(state, pod, nodes[0]!)?.reasons[0], ERR_REASON_ANTI_AFFINITY);
  });

  it('skips when neither side has required terms', () => {
    const p = new InterPodAffinity();
    const out = p.preFilter(new CycleState(), makePod(), [zoneNode('a1', 'a', [web])]);
    assert.equal(out?.status?.isSkip(), true);
  });
});

describe('InterPodAffinity score', () => {
  function scoreAll(pod: Pod, nodes: NodeInfo[], args?: Record<string, unknown>): number[] {
    const p = new InterPodAffinity(args, handleOf(nodes));
    const state = new CycleState();
    const pre = p.preScore(state, pod, nodes);
    const scores = nodes.map((n) => ({ name: n.name, score: pre?.isSkip() ? 0 : p.score(state, pod, n) }));
    if (!pre?.isSkip()) p.normalizeScore(state, pod, scores);
    return scores.map((s) => s.score);
  }
  const web = labeled(makePod({ name: 'web' }), { app: 'web' });
  const db = labeled(makePod({ name: 'db' }), { app: 'db' });

  it('preferred affinity and anti-affinity weights, min–max normalized', () => {
    const pod = makePod({
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term({ app: 'web' }, 'zone') }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, podAffinityTerm: term({ app: 'db' }, 'zone') }] },
      },
    });
    // zone a: +5, zone b: -3, zone c: 0 → normalized (x+3)/8*100.
    const nodes = [zoneNode('a1', 'a', [web]), zoneNode('b1', 'b', [db]), zoneNode('c1', 'c')];
    assert.deepEqual(scoreAll(pod, nodes), [100, 0, 37]);
  });

  it("existing pods' required affinity counts with hardPodAffinityWeight, and their preferred anti-affinity", () => {
    const hard = makePod({ name: 'hard', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'x' }, 'zone')] } } });
    const pod = labeled(makePod(), { app: 'x' });
    assert.deepEqual(scoreAll(pod, [zoneNode('a1', 'a', [hard]), zoneNode('b1', 'b')]), [100, 0]);
    assert.deepEqual(scoreAll(pod, [zoneNode('a1', 'a', [hard]), zoneNode('b1', 'b')], { hardPodAffinityWeight: 0 }), [0, 0]);
    const soft = makePod({ name: 'soft', affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term({ app: 'x' }, 'zone') }] } } });
    assert.deepEqual(scoreAll(pod, [zoneNode('a1', 'a', [soft]), zoneNode('b1', 'b')]), [0, 100]);
    assert.deepEqual(scoreAll(pod, [zoneNode('a1', 'a', [soft]), zoneNode('b1', 'b')], { ignorePreferredTermsOfExistingPods: true }), [0, 0]);
  });
});
