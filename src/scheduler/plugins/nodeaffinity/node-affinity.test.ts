import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { NodeAffinity } from './node-affinity.js';

const info = (labels: Record<string, string>, name = 'n') => new NodeInfo(makeNode({ name, labels }));
const required = (...terms: object[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } }) as never;

describe('NodeAffinity filter', () => {
  const p = new NodeAffinity();
  const ok = (pod: ReturnType<typeof makePod>, node: NodeInfo) => p.filter(new CycleState(), pod, node) === undefined;

  it('requires nodeSelector labels', () => {
    assert.equal(ok(makePod({ nodeSelector: { zone: 'a' } }), info({ zone: 'a' })), true);
    const s = p.filter(new CycleState(), makePod({ nodeSelector: { zone: 'a' } }), info({ zone: 'b' }))!;
    assert.equal(s.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(s.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
  });
  it('ORs terms and ANDs expressions; every operator', () => {
    const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
    assert.equal(ok(makePod({ affinity: required(expr('zone', 'In', ['a', 'b'])) }), info({ zone: 'b' })), true);
    assert.equal(ok(makePod({ affinity: required(expr('zone', 'NotIn', ['a'])) }), info({})), true);
    assert.equal(ok(makePod({ affinity: required(expr('zone', 'Exists')) }), info({})), false);
    assert.equal(ok(makePod({ affinity: required(expr('zone', 'DoesNotExist')) }), info({})), true);
    assert.equal(ok(makePod({ affinity: required(expr('cores', 'Gt', ['4'])) }), info({ cores: '8' })), true);
    assert.equal(ok(makePod({ affinity: required(expr('cores', 'Lt', ['4'])) }), info({ cores: '8' })), false);
    assert.equal(ok(makePod({ affinity: required(expr('zone', 'In', ['x']), expr('disk', 'Exists')) }), info({ disk: 'ssd' })), true);
    assert.equal(ok(makePod({ affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'Exists' }] }) }), info({ zone: 'a' })), false);
    // An empty term matches nothing.
    assert.equal(ok(makePod({ affinity: required({}) }), info({ zone: 'a' })), false);
  });
  it('matchFields on metadata.name, and PreFilter narrows to those nodes', () => {
    const pod = makePod({ affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }) });
    assert.equal(ok(pod, info({}, 'n1')), true);
    assert.equal(ok(pod, info({}, 'n2')), false);
    const out = p.preFilter(new CycleState(), pod) as { result?: { nodeNames?: Set<string> } };
    assert.deepEqual([...out.result!.nodeNames!], ['n1']);
  });
});

describe('NodeAffinity score', () => {
  it('sums matching preferred weights, normalized to 100', () => {
    const p = new NodeAffinity();
    const pod = makePod({
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 2, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
            { weight: 8, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          ],
        },
      },
    });
    const nodes = [info({ zone: 'a' }, 'a'), info({ disk: 'ssd' }, 'b'), info({ zone: 'a', disk: 'ssd' }, 'c'), info({}, 'd')];
    const scores = nodes.map((n) => ({ name: n.name, score: p.score(new CycleState(), pod, n) }));
    assert.deepEqual(scores.map((s) => s.score), [2, 8, 10, 0]);
    p.normalizeScore(new CycleState(), pod, scores);
    assert.deepEqual(scores.map((s) => s.score), [20, 80, 100, 0]);
  });
});
