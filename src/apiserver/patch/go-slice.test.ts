// Tests for GoSlice: removals shift the backing array, appends reuse freed slots, then copy out.

import assert from 'node:assert/strict';
import { it } from 'node:test';

import { GoSlice } from './go-slice.js';

it('replays in-place slice edits on the backing array', () => {
  const s = new GoSlice(['a', 'b', 'c']);
  s.removeAt(0);
  assert.deepEqual(s.items(), ['b', 'c']);
  assert.deepEqual(s.view, ['b', 'c', 'c']);
  s.push('d');
  assert.deepEqual(s.view, ['b', 'c', 'd']);
  s.push('e');
  assert.deepEqual(s.items(), ['b', 'c', 'd', 'e']);
  assert.deepEqual(s.view, ['b', 'c', 'd']);
  s.reset(['x']);
  assert.deepEqual(s.items(), ['x']);
});
