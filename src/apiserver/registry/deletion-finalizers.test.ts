// deletionFinalizers: the orphan / foregroundDeletion finalizers a delete leaves on an object.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deletionFinalizers } from './deletion-finalizers.js';

describe('deletionFinalizers', () => {
  it('adds the finalizer the policy names and drops the other', () => {
    assert.deepEqual(deletionFinalizers(['a'], 'Orphan'), ['a', 'orphan']);
    assert.deepEqual(deletionFinalizers(['a', 'orphan'], 'Foreground'), ['a', 'foregroundDeletion']);
    assert.deepEqual(deletionFinalizers(['foregroundDeletion', 'a'], 'Background'), ['a']);
  });
  it('without a policy keeps a GC finalizer already there, else follows the kind default', () => {
    assert.deepEqual(deletionFinalizers(['foregroundDeletion', 'a'], undefined), ['foregroundDeletion', 'a']);
    assert.deepEqual(deletionFinalizers([], undefined), []);
    assert.deepEqual(deletionFinalizers([], undefined, 'OrphanDependents'), ['orphan']);
    assert.deepEqual(deletionFinalizers([], 'Background', 'OrphanDependents'), []);
    assert.deepEqual(deletionFinalizers(['x'], 'Foreground', 'Unsupported'), ['x']);
  });
});
