import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGENT_HEAP_FLAGS, applyHeapFlags } from './heap-tuning.js';

describe('applyHeapFlags', () => {
  it('sets the flags node was not started with; a flag given to node wins', () => {
    assert.deepEqual(applyHeapFlags(AGENT_HEAP_FLAGS, ['--heap-growing-percent=20'], ''), ['--semi-space-growth-factor=1']);
    assert.deepEqual(applyHeapFlags(AGENT_HEAP_FLAGS, [], '--max-old-space-size=512 --semi_space_growth_factor=2'), ['--heap-growing-percent=50']);
    assert.deepEqual(applyHeapFlags(AGENT_HEAP_FLAGS, [], ''), [...AGENT_HEAP_FLAGS]);
  });
});
