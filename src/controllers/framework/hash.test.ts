import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, computeHash, fnv32a, safeEncodeString } from './hash.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('pod-template-hash', () => {
  it('FNV-32a matches the reference vectors', () => {
    assert.equal(fnv32a(enc('')), 0x811c9dc5);
    assert.equal(fnv32a(enc('a')), 0xe40c292c);
    assert.equal(fnv32a(enc('foobar')), 0xbf9cf968);
  });

  it('SafeEncodeString maps characters into the vowel-free alphabet', () => {
    // '0' is 48: 48 % 27 = 21 → '4'; '9' is 57: 57 % 27 = 3 → 'f'
    assert.equal(safeEncodeString('09'), '4f');
  });

  it('is stable across key order and empty values, changes with the template and the collision count', () => {
    const t1 = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } };
    const t2 = { spec: { containers: [{ image: 'v1', name: 'c', env: [] }] }, metadata: { annotations: {}, labels: { tier: 'x', app: 'web' } } };
    assert.equal(canonicalJson(t1), canonicalJson(t2));
    assert.equal(computeHash(t1), computeHash(t2));
    const h = computeHash(t1);
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.notEqual(computeHash({ ...t1, spec: { containers: [{ name: 'c', image: 'v2' }] } }), h);
    assert.notEqual(computeHash(t1, 1), h);
    assert.notEqual(computeHash(t1, 1), computeHash(t1, 2));
    assert.notEqual(computeHash(t1, 0), h, 'a collision count of 0 still feeds the hash, as in Kubernetes');
  });
});
