// Tests for applyJsonPatch: RFC 6902 operations, Kubernetes' json-patch v4 quirks, error kinds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_JSON_PATCH_OPERATIONS, applyJsonPatch } from './json-patch.js';
import type { JsonValue } from './json-value.js';
import { PatchError } from './patch-error.js';

const doc = {
  metadata: { name: 'web', labels: { app: 'web', 'a/b': 'x', 'm~n': 'y' } },
  spec: { replicas: 1, ports: [80, 443] },
};

interface Case {
  name: string;
  patch: JsonValue;
  expected: JsonValue;
}

const OK_CASES: Case[] = [
  { name: 'add a member', patch: [{ op: 'add', path: '/spec/paused', value: true }], expected: { ...doc, spec: { ...doc.spec, paused: true } } },
  { name: 'add replaces an existing member', patch: [{ op: 'add', path: '/spec/replicas', value: 3 }], expected: { ...doc, spec: { ...doc.spec, replicas: 3 } } },
  { name: 'add inserts into an array', patch: [{ op: 'add', path: '/spec/ports/1', value: 8080 }], expected: { ...doc, spec: { ...doc.spec, ports: [80, 8080, 443] } } },
  { name: 'add appends with -', patch: [{ op: 'add', path: '/spec/ports/-', value: 8443 }], expected: { ...doc, spec: { ...doc.spec, ports: [80, 443, 8443] } } },
  { name: 'add at index == length appends', patch: [{ op: 'add', path: '/spec/ports/2', value: 1 }], expected: { ...doc, spec: { ...doc.spec, ports: [80, 443, 1] } } },
  { name: 'remove a member with escaped pointer', patch: [{ op: 'remove', path: '/metadata/labels/a~1b' }, { op: 'remove', path: '/metadata/labels/m~0n' }], expected: { ...doc, metadata: { name: 'web', labels: { app: 'web' } } } },
  { name: 'remove an element', patch: [{ op: 'remove', path: '/spec/ports/0' }], expected: { ...doc, spec: { ...doc.spec, ports: [443] } } },
  { name: 'negative index counts from the end (json-patch v4)', patch: [{ op: 'remove', path: '/spec/ports/-1' }], expected: { ...doc, spec: { ...doc.spec, ports: [80] } } },
  { name: 'replace a member', patch: [{ op: 'replace', path: '/metadata/name', value: 'api' }], expected: { ...doc, metadata: { ...doc.metadata, name: 'api' } } },
  { name: 'replace of a missing member adds it (Kubernetes behaviour)', patch: [{ op: 'replace', path: '/spec/paused', value: false }], expected: { ...doc, spec: { ...doc.spec, paused: false } } },
  { name: 'replace the whole document', patch: [{ op: 'replace', path: '', value: { a: 1 } }], expected: { a: 1 } },
  { name: 'move', patch: [{ op: 'move', from: '/spec/replicas', path: '/metadata/replicas' }], expected: { metadata: { ...doc.metadata, replicas: 1 }, spec: { ports: [80, 443] } } },
  { name: 'move within an array', patch: [{ op: 'move', from: '/spec/ports/0', path: '/spec/ports/-' }], expected: { ...doc, spec: { ...doc.spec, ports: [443, 80] } } },
  { name: 'copy makes an independent value', patch: [{ op: 'copy', from: '/spec/ports', path: '/spec/more' }, { op: 'add', path: '/spec/more/-', value: 1 }], expected: { ...doc, spec: { ...doc.spec, more: [80, 443, 1] } } },
  { name: 'test then replace', patch: [{ op: 'test', path: '/spec/replicas', value: 1 }, { op: 'replace', path: '/spec/replicas', value: 2 }], expected: { ...doc, spec: { ...doc.spec, replicas: 2 } } },
  { name: 'test compares structurally', patch: [{ op: 'test', path: '/metadata/labels', value: { 'm~n': 'y', app: 'web', 'a/b': 'x' } }], expected: doc },
  { name: 'test of a missing member against null passes (json-patch v4)', patch: [{ op: 'test', path: '/spec/nothing', value: null }], expected: doc },
  { name: 'an empty patch', patch: [], expected: doc },
  { name: 'a null patch', patch: null, expected: doc },
];

describe('applyJsonPatch', () => {
  for (const c of OK_CASES) {
    it(c.name, () => assert.deepEqual(applyJsonPatch(doc, c.patch), c.expected));
  }

  it('does not modify the document or the patch', () => {
    const before = structuredClone(doc);
    const value = { x: [1] };
    const out = applyJsonPatch(doc, [{ op: 'add', path: '/spec/v', value }]) as { spec: { v: { x: number[] } } };
    out.spec.v.x.push(2);
    assert.deepEqual(doc, before);
    assert.deepEqual(value, { x: [1] });
  });

  it('does not let "__proto__" reach the prototype', () => {
    const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__']);
  });
});

interface ErrorCase {
  name: string;
  patch: JsonValue;
  kind: PatchError['kind'];
  message: RegExp;
}

const ERROR_CASES: ErrorCase[] = [
  { name: 'patch not an array', patch: { op: 'add' }, kind: 'bad-request', message: /cannot unmarshal object/ },
  { name: 'operation not an object', patch: [1], kind: 'bad-request', message: /cannot unmarshal number/ },
  { name: 'failing test', patch: [{ op: 'test', path: '/spec/replicas', value: 2 }], kind: 'invalid', message: /testing value \/spec\/replicas failed/ },
  { name: 'add under a missing parent', patch: [{ op: 'add', path: '/status/phase', value: 'x' }], kind: 'invalid', message: /add operation does not apply: doc is missing path: "\/status\/phase"/ },
  { name: 'remove a missing member', patch: [{ op: 'remove', path: '/spec/paused' }], kind: 'invalid', message: /Unable to remove nonexistent key: paused/ },
  { name: 'remove beyond the array', patch: [{ op: 'remove', path: '/spec/ports/2' }], kind: 'invalid', message: /invalid index/ },
  { name: 'add beyond the array', patch: [{ op: 'add', path: '/spec/ports/5', value: 1 }], kind: 'invalid', message: /invalid index/ },
  { name: 'add with a bad index', patch: [{ op: 'add', path: '/spec/ports/x', value: 1 }], kind: 'invalid', message: /not a proper array index/ },
  { name: 'replace beyond the array', patch: [{ op: 'replace', path: '/spec/ports/9', value: 1 }], kind: 'invalid', message: /doc is missing key/ },
  { name: 'move from a missing member', patch: [{ op: 'move', from: '/spec/nope', path: '/spec/x' }], kind: 'invalid', message: /nonexistent key: nope/ },
  { name: 'copy from a missing member', patch: [{ op: 'copy', from: '/spec/nope', path: '/spec/x' }], kind: 'invalid', message: /missing from path/ },
  { name: 'missing path', patch: [{ op: 'add', value: 1 }], kind: 'invalid', message: /missing path field/ },
  { name: 'unknown op', patch: [{ op: 'merge', path: '/a' }], kind: 'invalid', message: /Unexpected kind: merge/ },
  { name: 'path not a pointer', patch: [{ op: 'add', path: 'spec/x', value: 1 }], kind: 'invalid', message: /missing path/ },
  { name: 'too many operations', patch: Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '', value: {} })), kind: 'too-large', message: /maximum operations/ },
];

describe('applyJsonPatch errors', () => {
  for (const c of ERROR_CASES) {
    it(c.name, () => {
      assert.throws(() => applyJsonPatch(doc, c.patch), (e: unknown) => {
        assert.ok(e instanceof PatchError);
        assert.equal(e.kind, c.kind);
        assert.match(e.message, c.message);
        return true;
      });
    });
  }

  it('maps kinds to Kubernetes status codes', () => {
    const codes = ERROR_CASES.slice(0, 3).map((c) => {
      try {
        applyJsonPatch(doc, c.patch);
      } catch (e) {
        return e instanceof PatchError ? [e.code, e.reason] : [];
      }
      return [];
    });
    assert.deepEqual(codes, [[400, 'BadRequest'], [400, 'BadRequest'], [422, 'Invalid']]);
  });

  it('applies nothing when a later operation fails', () => {
    const live = { a: 1 };
    assert.throws(() => applyJsonPatch(live, [{ op: 'replace', path: '/a', value: 2 }, { op: 'test', path: '/a', value: 1 }]));
    assert.deepEqual(live, { a: 1 });
  });
});
