import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { planSlices, type EndpointGroup } from './slice-reconciler.js';

const ep = (n: number, ready = true): Endpoint => ({ addresses: [`10.0.0.${n}`], conditions: { ready }, targetRef: { kind: 'Pod', name: `p${n}`, uid: `u${String(n).padStart(3, '0')}` } });
const ports = [{ name: 'http', port: 8080, protocol: 'TCP' }];
const template = (g: EndpointGroup): EndpointSlice => ({ metadata: { generateName: 'svc-' }, addressType: g.addressType, ports: g.ports, endpoints: [] });
const slice = (name: string, endpoints: Endpoint[], p = ports): EndpointSlice => ({ metadata: { name, uid: `uid-${name}` }, addressType: 'IPv4', ports: p, endpoints });

describe('planSlices', () => {
  it('chunks new endpoints into slices of at most the maximum', () => {
    const plan = planSlices([], [{ addressType: 'IPv4', ports, endpoints: Array.from({ length: 250 }, (_, i) => ep(i)) }], 100, template);
    assert.deepEqual(plan.create.map((s) => s.endpoints.length), [100, 100, 50]);
    assert.deepEqual([plan.update.length, plan.delete.length], [0, 0]);
  });

  it('leaves unchanged slices alone, keeps endpoints where they are and fills free room first', () => {
    const a = slice('a', [ep(1), ep(2)]);
    assert.deepEqual(planSlices([a], [{ addressType: 'IPv4', ports, endpoints: [ep(2), ep(1)] }], 100, template), { create: [], update: [], delete: [] });
    const plan = planSlices([slice('a', [ep(1), ep(2)]), slice('b', [ep(3)])], [{ addressType: 'IPv4', ports, endpoints: [ep(1), ep(2, false), ep(3), ep(4)] }], 3, template);
    assert.deepEqual(plan.update.map((s) => [s.metadata?.name, s.endpoints.map((e) => `${e.targetRef?.name}:${e.conditions?.ready}`)]), [
      ['a', ['p1:true', 'p2:false', 'p4:true']],
    ]);
    assert.deepEqual([plan.create.length, plan.delete.length], [0, 0]);
  });

  it('deletes slices left empty and those of a port set no longer wanted, reusing room before creating', () => {
    const old = slice('old', [ep(1)], [{ name: 'http', port: 80, protocol: 'TCP' }]);
    const gone = slice('gone', [ep(9)]);
    const plan = planSlices([old, gone], [{ addressType: 'IPv4', ports, endpoints: [ep(1)] }], 100, template);
    // The slice of the old port set goes; the emptied slice of the right port set takes p1 (one write, not two).
    assert.deepEqual(plan.delete.map((s) => s.metadata?.name), ['old']);
    assert.deepEqual(plan.update.map((s) => [s.metadata?.name, s.endpoints.map((e) => e.targetRef?.name)]), [['gone', ['p1']]]);
    assert.equal(plan.create.length, 0);
    const emptied = planSlices([slice('a', [ep(1)]), slice('b', [ep(2)])], [{ addressType: 'IPv4', ports, endpoints: [ep(1)] }], 100, template);
    assert.deepEqual(emptied.delete.map((s) => s.metadata?.name), ['b']);
  });

  it('keeps one empty placeholder slice for a service without endpoints', () => {
    const plan = planSlices([slice('a', [ep(1)])], [], 100, template);
    assert.deepEqual(plan.delete.map((s) => s.metadata?.name), ['a']);
    assert.equal(plan.create.length, 1);
    assert.deepEqual(plan.create[0]!.endpoints, []);
    const placeholder: EndpointSlice = { metadata: { name: 'p', uid: 'u' }, addressType: 'IPv4', ports: [], endpoints: [] };
    assert.deepEqual(planSlices([placeholder], [], 100, template), { create: [], update: [], delete: [] });
  });
});
