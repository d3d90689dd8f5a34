import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState } from '../../framework/cycle-state.js';
import { makePod } from '../../testing/wrappers.js';
import { DefaultBinder, type Binding } from './default-binder.js';

describe('DefaultBinder', () => {
  it('posts a Binding to the node', async () => {
    const seen: Binding[] = [];
    const b = new DefaultBinder(async (binding) => void seen.push(binding));
    assert.equal(await b.bind(new CycleState(), makePod({ name: 'p', namespace: 'ns' }), 'n1'), undefined);
    assert.deepEqual(seen, [{ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'ns', uid: 'uid-p' }, target: { kind: 'Node', name: 'n1' } }]);
  });
  it('returns an Error status when the API call fails', async () => {
    const b = new DefaultBinder(() => Promise.reject(new Error('conflict')));
    const s = (await b.bind(new CycleState(), makePod(), 'n1'))!;
    assert.equal(s.code, 'Error');
    assert.deepEqual(s.reasons, ['conflict']);
  });
});
