import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { TaintToleration } from './taint-toleration.js';
import { toleratesTaint } from '../helper/taints.js';

describe('TaintToleration', () => {
  const p = new TaintToleration();
  const tainted = (effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule') => new NodeInfo(makeNode({ name: 'n', taints: [{ key: 'dedicated', value: 'db', effect }] }));

  it('rejects NoSchedule and NoExecute taints the pod does not tolerate, in kube-scheduler words', () => {
    for (const effect of ['NoSchedule', 'NoExecute'] as const) {
      const s = p.filter(new CycleState(), makePod(), tainted(effect))!;
      assert.equal(s.code, 'UnschedulableAndUnresolvable');
      assert.deepEqual(s.reasons, ['node(s) had untolerated taint {dedicated: db}']);
    }
    assert.equal(p.filter(new CycleState(), makePod(), tainted('PreferNoSchedule')), undefined);
  });

  it('accepts matching tolerations (Equal, Exists, empty key with Exists, empty effect)', () => {
    const tol = [
      { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Exists' },
      { operator: 'Exists' },
      { key: 'dedicated', value: 'db' },
    ];
    for (const t of tol) assert.equal(p.filter(new CycleState(), makePod({ tolerations: [t] }), tainted('NoSchedule')), undefined, JSON.stringify(t));
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'web' }, { key: 'dedicated', value: 'db', effect: 'NoSchedule' }), false);
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, { key: 'dedicated', effect: 'NoSchedule' }), false);
  });

  it('scores fewer intolerable PreferNoSchedule taints higher (reverse-normalized)', () => {
    const pod = makePod({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }] });
    const nodes = [
      new NodeInfo(makeNode({ name: 'none' })),
      new NodeInfo(makeNode({ name: 'one', taints: [{ key: 'b', effect: 'PreferNoSchedule' }] })),
      new NodeInfo(makeNode({ name: 'two', taints: [{ key: 'b', effect: 'PreferNoSchedule' }, { key: 'c', effect: 'PreferNoSchedule' }, { key: 'a', effect: 'PreferNoSchedule' }] })),
    ];
    const s = new CycleState();
    p.preScore(s, pod);
    const scores = nodes.map((n) => ({ name: n.name, score: p.score(s, pod, n) }));
    assert.deepEqual(scores.map((x) => x.score), [0, 1, 2]);
    p.normalizeScore(s, pod, scores);
    assert.deepEqual(scores.map((x) => x.score), [100, 50, 0]);
  });
});
