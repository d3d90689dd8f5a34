import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { NodeName } from './node-name.js';

describe('NodeName', () => {
  const p = new NodeName();
  const info = new NodeInfo(makeNode({ name: 'n1' }));
  it('fits any node without spec.nodeName, only the named one with it', () => {
    assert.equal(p.filter(new CycleState(), makePod(), info), undefined);
    assert.equal(p.filter(new CycleState(), makePod({ nodeName: 'n1' }), info), undefined);
    const s = p.filter(new CycleState(), makePod({ nodeName: 'n2' }), info)!;
    assert.equal(s.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(s.reasons, ["node(s) didn't match the requested node name"]);
  });
});
