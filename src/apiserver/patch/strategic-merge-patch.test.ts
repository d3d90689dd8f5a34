// Tests for applyStrategicMergePatch: Kubernetes' own cases (table), directives and error kinds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { JsonObject } from './json-value.js';
import { PatchError } from './patch-error.js';
import { patchMetaFromPaths } from './patch-meta.js';
import { type SchemaNode, patchMetaFromSchemas } from './schema-patch-meta.js';
import { KUBERNETES_SMP_CASES } from './strategic-merge-patch.k8s-cases.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const ref = (name: string): SchemaNode => ({ $ref: `#/definitions/${name}` });
const mergeList = (item: SchemaNode, strategy = 'merge'): SchemaNode => ({
  items: item,
  'x-kubernetes-patch-strategy': strategy,
  'x-kubernetes-patch-merge-key': 'name',
});
const intMergeList: SchemaNode = { items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' };

/** The MergeItem / RetainKeysMergeItem test types of apimachinery's strategicpatch tests. */
const MERGE_ITEM_SCHEMAS: Record<string, SchemaNode> = {
  mergeItem: {
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      mergingList: mergeList(ref('mergeItem')),
      nonMergingList: { items: ref('mergeItem') },
      mergingIntList: intMergeList,
      nonMergingIntList: { items: { type: 'integer' } },
      mergeItemPtr: { ...ref('mergeItem'), 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
      simpleMap: { additionalProperties: { type: 'string' } },
      replacingItem: { 'x-kubernetes-patch-strategy': 'replace' },
      retainKeysMap: { ...ref('retainKeysMergeItem'), 'x-kubernetes-patch-strategy': 'retainKeys' },
      retainKeysMergingList: mergeList(ref('mergeItem'), 'merge,retainKeys'),
    },
  },
  retainKeysMergeItem: {
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      simpleMap: { additionalProperties: { type: 'string' } },
      mergingIntList: intMergeList,
      mergingList: mergeList(ref('mergeItem')),
      nonMergingList: { items: ref('mergeItem') },
    },
  },
};
const meta = patchMetaFromSchemas(MERGE_ITEM_SCHEMAS, 'mergeItem');

function smp(original: JsonObject, patch: JsonObject): JsonObject {
  return applyStrategicMergePatch(original, patch, meta);
}

function refused(fn: () => unknown, kind: PatchError['kind'], message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PatchError, String(e));
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe('strategic merge patch: Kubernetes test cases', () => {
  for (const c of KUBERNETES_SMP_CASES) {
    it(c.name, () => {
      if (c.error !== undefined) {
        const expected = c.error;
        assert.throws(() => smp(c.original, c.patch), (e: unknown) => e instanceof PatchError && e.message.includes(expected));
      } else {
        assert.deepEqual(smp(c.original, c.patch), c.expected);
      }
    });
  }
});

describe('strategic merge patch: semantics', () => {
  it('merges maps recursively and deletes keys set to null', () => {
    assert.deepEqual(
      smp({ name: 'a', simpleMap: { x: '1', y: '2' } }, { simpleMap: { y: null, z: '3' }, value: 'v' }),
      { name: 'a', simpleMap: { x: '1', z: '3' }, value: 'v' },
    );
  });

  it('replaces lists without a merge strategy', () => {
    assert.deepEqual(
      smp({ nonMergingList: [{ name: 'a' }, { name: 'b' }] }, { nonMergingList: [{ name: 'c' }] }),
      { nonMergingList: [{ name: 'c' }] },
    );
  });

  it('merges list items by merge key, appending new ones', () => {
    assert.deepEqual(
      smp(
        { mergingList: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] },
        { mergingList: [{ name: 'b', other: 'x' }, { name: 'c' }] },
      ),
      { mergingList: [{ name: 'a', value: '1' }, { name: 'b', value: '2', other: 'x' }, { name: 'c' }] },
    );
  });

  it('unions primitive merge lists keeping order and dropping duplicates', () => {
    assert.deepEqual(smp({ mergingIntList: [1, 2] }, { mergingIntList: [2, 3] }), { mergingIntList: [1, 2, 3] });
  });

  it('honours $patch: delete and $patch: replace on list items', () => {
    const live = { mergingList: [{ name: 'a' }, { name: 'b' }] };
    assert.deepEqual(smp(live, { mergingList: [{ name: 'a', $patch: 'delete' }] }), { mergingList: [{ name: 'b' }] });
    assert.deepEqual(smp(live, { mergingList: [{ $patch: 'replace' }, { name: 'z' }] }), { mergingList: [{ name: 'z' }] });
  });

  it('honours $patch: replace and $patch: delete on maps', () => {
    const live = { simpleMap: { a: '1', b: '2' }, name: 'n' };
    assert.deepEqual(smp(live, { simpleMap: { $patch: 'replace', c: '3' } }), { simpleMap: { c: '3' }, name: 'n' });
    assert.deepEqual(smp(live, { simpleMap: { $patch: 'delete' } }), { simpleMap: {}, name: 'n' });
    assert.deepEqual(smp(live, { $patch: 'replace', value: 'only' }), { value: 'only' });
  });

  it('removes items listed in $deleteFromPrimitiveList', () => {
    assert.deepEqual(
      smp({ mergingIntList: [1, 2, 3, 2] }, { '$deleteFromPrimitiveList/mergingIntList': [2] }),
      { mergingIntList: [1, 3] },
    );
  });

  it('clears fields missing from $retainKeys', () => {
    assert.deepEqual(
      smp({ retainKeysMap: { name: 'a', value: 'b', other: 'c' } }, { retainKeysMap: { $retainKeys: ['name', 'other'], other: 'd' } }),
      { retainKeysMap: { name: 'a', other: 'd' } },
    );
  });

  it('replaces a map field whose strategy is replace', () => {
    assert.deepEqual(smp({ replacingItem: { a: 1, b: 2 } }, { replacingItem: { c: 3 } }), { replacingItem: { c: 3 } });
  });

  it('strips directives and nulls from values that are new to the object', () => {
    assert.deepEqual(
      smp({}, { mergingList: [{ name: 'a' }, { name: 'b', $patch: 'delete' }], simpleMap: { a: null, b: '1' } }),
      { mergingList: [{ name: 'a' }], simpleMap: { b: '1' } },
    );
  });

  it('merges unknown fields as plain maps and replaces their lists', () => {
    assert.deepEqual(
      smp({ extra: { a: { x: 1 }, l: [1, 2] } }, { extra: { a: { y: 2 }, l: [3] } }),
      { extra: { a: { x: 1, y: 2 }, l: [3] } },
    );
  });

  it('does not modify its inputs', () => {
    const original = { mergingList: [{ name: 'a', value: '1' }] };
    const patch = { mergingList: [{ name: 'a', value: '2' }] };
    const before = structuredClone({ original, patch });
    smp(original, patch);
    assert.deepEqual({ original, patch }, before);
  });

  it('works with a path-table PatchMeta', () => {
    const table = patchMetaFromPaths({ 'spec.ports': { strategy: 'merge', mergeKey: 'port' } });
    assert.deepEqual(
      applyStrategicMergePatch(
        { spec: { ports: [{ port: 80, name: 'http' }] } },
        { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
        table,
      ),
      { spec: { ports: [{ port: 80, name: 'http', targetPort: 8080 }, { port: 443 }] } },
    );
  });
});

describe('strategic merge patch: errors', () => {
  it('refuses a patch that is not an object (400)', () => {
    refused(() => applyStrategicMergePatch({}, [1]), 'bad-request');
  });

  it('refuses malformed directives with 400', () => {
    refused(() => smp({}, { $retainKeys: 'name' }), 'bad-request', /retainKeys/);
    refused(() => smp({ value: 'a' }, { $retainKeys: ['name'], value: 'b' }), 'bad-request', /retainKeys/);
    refused(() => smp({}, { '$deleteFromPrimitiveListmergingIntList': [1] }), 'bad-request', /primitive list/);
    refused(() => smp({}, { $setElementOrder: [1] }), 'bad-request', /setElementOrder/);
  });

  it('refuses lists of lists with 422', () => {
    refused(() => smp({ mergingIntList: [[1]] }, { mergingIntList: [[2]] }), 'invalid', /lists of lists/);
  });

  it('reports merge-list problems as Kubernetes does (500 with the message)', () => {
    refused(() => smp({ mergingList: [{ name: 'a' }] }, { mergingList: [{ value: 'x' }] }), 'internal', /does not contain declared merge key: name/);
    refused(() => smp({ mergingList: [{ name: 'a' }] }, { mergingList: [{ name: 'a', $patch: 'merge' }] }), 'internal', /cannot yet be specified/);
    refused(() => smp({ simpleMap: { a: '1' } }, { simpleMap: { $patch: 'bogus' } }), 'internal', /unknown patch type/);
    refused(() => smp({ mergingIntList: [1] }, { mergingIntList: ['a'] }), 'internal', /not identical/);
  });
});
