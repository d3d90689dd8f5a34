import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTaints } from './node-agent.js';

describe('parseTaints', () => {
  it('parses the kubelet --register-with-taints syntax', () => {
    assert.deepEqual(parseTaints('dedicated=gpu:NoSchedule, node-role.kubernetes.io/control-plane:NoExecute'), [
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoExecute' },
    ]);
    assert.deepEqual(parseTaints(''), []);
  });

  it('refuses a taint without a valid effect or key', () => {
    assert.throws(() => parseTaints('k=v'), /effect/);
    assert.throws(() => parseTaints('k=v:Sometimes'), /effect/);
    assert.throws(() => parseTaints('=v:NoSchedule'), /key/);
  });
});
