import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { resolveContainer } from './default-container.js';

const pod = (containers: string[], annotations?: Record<string, string>, init: string[] = []): Pod => ({
  metadata: { name: 'web', ...(annotations ? { annotations } : {}) },
  spec: { containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
});

test('the only container is the default', () => {
  assert.equal(resolveContainer(pod(['app']), undefined), 'app');
});

test('a named container must exist', () => {
  assert.equal(resolveContainer(pod(['a', 'b']), 'b'), 'b');
  assert.throws(() => resolveContainer(pod(['a', 'b']), 'c'), /container c is not valid for pod web/);
});

test('the default-container annotation picks one of several', () => {
  assert.equal(resolveContainer(pod(['a', 'b'], { 'kubectl.kubernetes.io/default-container': 'b' }), undefined), 'b');
});

test('several containers and no choice: 400 listing every container', () => {
  assert.throws(
    () => resolveContainer(pod(['a', 'b'], undefined, ['init']), undefined),
    (err: Error & { code?: number }) => err.code === 400 && err.message === 'a container name must be specified for pod web, choose one of: [init a b]',
  );
});
