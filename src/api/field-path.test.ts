import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childOf, path, pathString } from './field-path.js';

test('paths render like field.Path.String()', () => {
  const root = path('root');
  assert.equal(root.toString(), 'root');
  const p = root.child('first').child('second').index(0).child('third').index(93);
  assert.equal(p.toString(), 'root.first.second[0].third[93]');
  assert.equal(p.root().toString(), 'root');
  assert.equal(path('root').key('key').toString(), 'root[key]');
  assert.equal(path('spec').child('containers').index(0).child('name').toString(), 'spec.containers[0].name');
  assert.equal(path('metadata').child('labels').key('foo').toString(), 'metadata.labels[foo]');
});

test('multiple names nest', () => {
  assert.equal(path('root', 'first').child('second', 'third').index(0).toString(), 'root.first.second.third[0]');
});

test('paths are immutable', () => {
  const base = path('spec');
  base.child('a');
  assert.equal(base.toString(), 'spec');
});

test('absent paths', () => {
  assert.equal(childOf(undefined, 'key').toString(), 'key');
  assert.equal(childOf(path('x'), 'key').toString(), 'x.key');
  assert.equal(pathString(undefined), '<nil>');
  assert.equal(pathString('a.b'), 'a.b');
});
