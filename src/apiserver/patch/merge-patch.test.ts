// Tests for applyMergePatch: the RFC 7386 appendix examples and json-patch v4 details.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { JsonValue } from './json-value.js';
import { applyMergePatch } from './merge-patch.js';
import { PatchError } from './patch-error.js';

// RFC 7386 Appendix A (target, patch, result); the non-object targets of the RFC are replaced too.
const RFC_CASES: [JsonValue, JsonValue, JsonValue][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('applyMergePatch', () => {
  RFC_CASES.forEach(([target, patch, result], i) => {
    it(`RFC 7386 example ${i + 1}`, () => assert.deepEqual(applyMergePatch(target, patch), result));
  });

  it('merges labels and removes one (a typical kubectl patch --type merge)', () => {
    const live = { metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } }, spec: { replicas: 1 } };
    assert.deepEqual(applyMergePatch(live, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 3 } }), {
      metadata: { name: 'web', labels: { app: 'web', env: 'prod' } },
      spec: { replicas: 3 },
    });
  });

  it('prunes nulls inside new values, also inside arrays (json-patch v4)', () => {
    assert.deepEqual(applyMergePatch({}, { a: [{ b: null, c: 1 }, null] }), { a: [{ c: 1 }, null] });
  });

  it('does not modify its inputs', () => {
    const live = { a: { b: 1 } };
    const patch = { a: { c: 2 } };
    applyMergePatch(live, patch);
    assert.deepEqual(live, { a: { b: 1 } });
    assert.deepEqual(patch, { a: { c: 2 } });
  });

  for (const bad of [null, 'x', 3, true] as JsonValue[]) {
    it(`refuses the patch ${JSON.stringify(bad)} with 400`, () => {
      assert.throws(() => applyMergePatch({}, bad), (e: unknown) => e instanceof PatchError && e.kind === 'bad-request' && e.code === 400);
    });
  }
});
