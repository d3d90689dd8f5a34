import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { schedulerHarness } from '../../testing/harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { DefaultPreemption, numCandidates } from './default-preemption.js';
import { pickOneNodeForPreemption } from './pick-node.js';
import { moreImportantPod, splitByPdbViolation } from './victims.js';

function setup(pdbs: PodDisruptionBudget[] = []) {
  const evicted: string[] = [];
  const cleared: string[] = [];
  const api = {
    evict: async (victim: Pod) => void evicted.push(victim.metadata!.name!),
    clearNomination: async (pod: Pod) => void cleared.push(pod.metadata!.name!),
  };
  const t = schedulerHarness({ pdbs, plugins: { DefaultPreemption: (args, handle) => new DefaultPreemption(args, handle, api, () => 0) } });
  const nominations = () => t.conditions.map((c) => ({ pod: c.pod, ...(c.nominatedNodeName ? { node: c.nominatedNodeName } : {}), message: c.condition.message ?? '' }));
  return { ...t, evicted, cleared, nominations };
}

const started = (pod: Pod, iso: string): Pod => ({ ...pod, status: { ...pod.status, startTime: iso } });

describe('DefaultPreemption', () => {
  it('evicts the lower-priority pod on the node whose victims matter least, and nominates the preemptor there', async () => {
    const t = setup();
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '2' }));
    t.s.onNodeAdd(makeNode({ name: 'b', cpu: '2' }));
    t.addPod(makePod({ name: 'low', nodeName: 'a', priority: 1, requests: { cpu: '2' } }));
    t.addPod(makePod({ name: 'mid', nodeName: 'b', priority: 5, requests: { cpu: '2' } }));
    t.addPod(makePod({ name: 'high', priority: 10, requests: { cpu: '1' } }));
    await t.cycle();
    assert.equal(t.bindings.length, 0);
    assert.deepEqual(t.evicted, ['low']);
    assert.deepEqual(t.nominations().at(-1), { pod: 'high', node: 'a', message: '0/2 nodes are available: 2 Insufficient cpu.' });
    assert.deepEqual(t.events.find((e) => e.reason === 'Preempted'), { reason: 'Preempted', message: 'Preempted by pod uid-high on node a', name: 'low' });
    assert.deepEqual(t.s.nominator.podsForNode('a').map((p) => p.metadata?.name), ['high']);
  });

  it('keeps back every pod the preemptor still fits beside, the most important first', async () => {
    const t = setup();
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '3' }));
    t.addPod(started(makePod({ name: 'old', nodeName: 'a', priority: 1, requests: { cpu: '1' } }), '2026-01-01T00:00:00Z'));
    t.addPod(started(makePod({ name: 'new', nodeName: 'a', priority: 1, requests: { cpu: '1' } }), '2026-06-01T00:00:00Z'));
    t.addPod(makePod({ name: 'lowest', nodeName: 'a', priority: 0, requests: { cpu: '1' } }));
    t.addPod(makePod({ name: 'high', priority: 10, requests: { cpu: '2' } }));
    await t.cycle();
    // Two must go: the reprieve keeps "old" (priority 1, started first) and evicts the rest.
    assert.deepEqual(t.evicted.sort(), ['lowest', 'new']);
  });

  it('prefers victims no PodDisruptionBudget protects', async () => {
    const pdb: PodDisruptionBudget = { metadata: { name: 'keep', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } };
    const t = setup([pdb]);
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '1' }));
    t.s.onNodeAdd(makeNode({ name: 'b', cpu: '1' }));
    const db = makePod({ name: 'db', nodeName: 'a', priority: 1, requests: { cpu: '1' } });
    db.metadata!.labels = { app: 'db' };
    t.addPod(db);
    t.addPod(makePod({ name: 'web', nodeName: 'b', priority: 1, requests: { cpu: '1' } }));
    t.addPod(makePod({ name: 'high', priority: 10, requests: { cpu: '1' } }));
    await t.cycle();
    assert.deepEqual(t.evicted, ['web']);
    assert.equal(t.nominations().at(-1)?.node, 'b');
  });

  it('does not preempt with preemptionPolicy Never, nor where preemption cannot help', async () => {
    const t = setup();
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '1' }));
    t.s.onNodeAdd(makeNode({ name: 'b', cpu: '4', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }));
    t.addPod(makePod({ name: 'low', nodeName: 'a', priority: 1, requests: { cpu: '1' } }));
    const never = makePod({ name: 'never', priority: 10, requests: { cpu: '1' } });
    never.spec!.preemptionPolicy = 'Never';
    t.addPod(never);
    await t.cycle();
    assert.deepEqual(t.evicted, []);
    assert.equal(t.nominations().at(-1)?.message, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: db}. preemption: not eligible due to preemptionPolicy=Never..');
    t.addPod(makePod({ name: 'equal', priority: 1, requests: { cpu: '1' } }));
    await t.cycle();
    assert.deepEqual(t.evicted, []);
    assert.equal(
      t.nominations().at(-1)?.message,
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: db}. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..',
    );
  });

  it('counts a nominated pod of higher priority against its node: a lower-priority pod does not take the room', async () => {
    const t = setup();
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '2' }));
    const nominated: Pod = { ...makePod({ name: 'nominated', priority: 10, requests: { cpu: '2' } }), status: { nominatedNodeName: 'a' } };
    t.s.nominator.add(nominated);
    t.addPod(makePod({ name: 'later', priority: 5, requests: { cpu: '1' } }));
    await t.cycle();
    assert.equal(t.bindings.length, 0);
    // With equal or higher priority the nomination does not hold it back.
    t.addPod(makePod({ name: 'urgent', priority: 20, requests: { cpu: '1' } }));
    await t.cycle();
    assert.deepEqual(t.bindings.map((b) => b.metadata.name), ['urgent']);
  });
});

describe('preemption helpers', () => {
  it('numCandidates: 10 % of the nodes, at least 100, at most all', () => {
    assert.equal(numCandidates(50), 50);
    assert.equal(numCandidates(500), 100);
    assert.equal(numCandidates(5000), 500);
  });

  it('moreImportantPod: priority, then earlier start', () => {
    const a = started(makePod({ priority: 2 }), '2026-02-01T00:00:00Z');
    const b = started(makePod({ priority: 1 }), '2026-01-01T00:00:00Z');
    const c = started(makePod({ priority: 2 }), '2026-03-01T00:00:00Z');
    assert.ok(moreImportantPod(a, b, 0));
    assert.ok(moreImportantPod(a, c, 0));
    assert.ok(!moreImportantPod(c, a, 0));
  });

  it('splits pods by whether evicting them would violate a PodDisruptionBudget', () => {
    const pdb: PodDisruptionBudget = { metadata: { name: 'x', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } } }, status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } };
    const p1 = makePod({ name: 'p1' });
    const p2 = makePod({ name: 'p2' });
    const other = makePod({ name: 'other', namespace: 'elsewhere' });
    for (const p of [p1, p2, other]) p.metadata!.labels = { app: 'x' };
    const { violating, nonViolating } = splitByPdbViolation([p1, p2, other], [pdb]);
    assert.deepEqual(violating.map((p) => p.metadata?.name), ['p2']);
    assert.deepEqual(nonViolating.map((p) => p.metadata?.name), ['p1', 'other']);
  });

  it('picks the node by PDB violations, highest victim priority, priority sum, victim count, then latest start', () => {
    const v = (prios: number[], pdb = 0, start = '2026-01-01T00:00:00Z') => ({ pods: prios.map((p) => started(makePod({ priority: p }), start)), numPdbViolations: pdb });
    assert.equal(pickOneNodeForPreemption(new Map([['a', v([1], 1)], ['b', v([5])]]), 0), 'b');
    assert.equal(pickOneNodeForPreemption(new Map([['a', v([5])], ['b', v([3, 3])]]), 0), 'b');
    assert.equal(pickOneNodeForPreemption(new Map([['a', v([3, 3])], ['b', v([3, 1])]]), 0), 'b');
    assert.equal(pickOneNodeForPreemption(new Map([['a', v([3, 3, 1])], ['b', v([3, 1, 3])]]), 0), 'a');
    assert.equal(pickOneNodeForPreemption(new Map([['a', v([3], 0, '2026-01-01T00:00:00Z')], ['b', v([3], 0, '2026-05-01T00:00:00Z')]]), 0), 'b');
    assert.equal(pickOneNodeForPreemption(new Map(), 0), undefined);
  });
});
