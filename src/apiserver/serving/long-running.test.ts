import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLongRunningRegistry } from './long-running.js';

test('endAll ends registered requests once; unregistered ones are skipped; late ones end at once', async () => {
  const registry = createLongRunningRegistry();
  const ended: string[] = [];
  registry.register(() => ended.push('a'));
  const unregisterB = registry.register(() => ended.push('b'));
  registry.register(() => {
    throw new Error('a failing end() does not stop the others');
  });
  registry.register(() => ended.push('c'));
  unregisterB();
  assert.equal(registry.size, 3);
  registry.endAll();
  registry.endAll();
  assert.deepEqual(ended, ['a', 'c']);
  assert.equal(registry.size, 0);
  assert.equal(registry.closing, true);
  registry.register(() => ended.push('late'));
  await Promise.resolve();
  assert.deepEqual(ended, ['a', 'c', 'late']);
});
