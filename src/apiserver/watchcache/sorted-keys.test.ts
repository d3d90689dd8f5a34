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

it('keeps order and size across many chunks (random adds and removes against a sorted array)', () => {
  const keys = new SortedKeys();
  const model = new Set<string>();
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let step = 0; step < 20_000; step++) {
    const key = `/p/ns-${rand(7)}/k-${rand(3000)}`;
    if (rand(4) === 0) {
      keys.remove(key);
      model.delete(key);
    } else {
      keys.add(key);
      model.add(key);
    }
  }
  const sorted = [...model].sort();
  assert.equal(keys.size, sorted.length);
  assert.deepEqual([...keys.withPrefix('/p/')], sorted);
  assert.deepEqual([...keys.withPrefix('/p/ns-3/')], sorted.filter((k) => k.startsWith('/p/ns-3/')));
  assert.deepEqual([...keys.withPrefix('/p/ns-3/k-1')], sorted.filter((k) => k.startsWith('/p/ns-3/k-1')));
  keys.reset(sorted.slice(0, 1500).reverse());
  assert.deepEqual([...keys.withPrefix('/')], sorted.slice(0, 1500));
  for (const k of sorted.slice(0, 1500)) keys.remove(k);
  assert.equal(keys.size, 0);
  assert.deepEqual([...keys.withPrefix('/')], []);
  keys.add('/a');
  assert.deepEqual([...keys.withPrefix('/')], ['/a']);
});
