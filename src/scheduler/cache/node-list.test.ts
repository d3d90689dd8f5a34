import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeList } from './node-list.js';

function order(list: NodeList, after = 0): string[] {
  const out: string[] = [];
  for (let i = list.head(); i && i.generation > after; i = i.next) out.push(i.name);
  return out;
}

describe('NodeList', () => {
  it('keeps items most recently updated first, each with the generation of its last change', () => {
    const list = new NodeList();
    list.touch('a');
    list.touch('b');
    list.touch('c');
    assert.deepEqual(order(list), ['c', 'b', 'a']);
    const g = list.currentGeneration();
    list.touch('a');
    assert.deepEqual(order(list), ['a', 'c', 'b']);
    assert.deepEqual(order(list, g), ['a'], 'only what changed after g');
    list.delete('c');
    assert.deepEqual(order(list), ['a', 'b']);
    assert.ok(list.currentGeneration() > g + 1, 'a deletion is a new generation');
    assert.deepEqual([...list.entries()].map(([n]) => n), ['a', 'b'], 'insertion order');
    list.delete('a');
    list.delete('b');
    assert.equal(list.head(), undefined);
  });
});
