import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SortedKeys } from './sorted-keys.js';

it('lists the keys of a prefix in order, through adds and removes', () => {
  const keys = new SortedKeys();
  keys.reset(['/p/b/2', '/p/a/1', '/p/b/1', '/p/bb/1']);
  keys.add('/p/b/0');
  keys.add('/p/b/0');
  keys.remove('/p/b/1');
  keys.remove('/p/zz');
  assert.deepEqual([...keys.withPrefix('/p/b/')], ['/p/b/0', '/p/b/2']);
  assert.deepEqual([...keys.withPrefix('/p/')], ['/p/a/1', '/p/b/0', '/p/b/2', '/p/bb/1']);
  assert.deepEqual([...keys.withPrefix('/q/')], []);
  assert.equal(keys.size, 4);
});
