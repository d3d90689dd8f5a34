// Tests for PatchMeta builders: OpenAPI-style schemas, path tables and strategy parsing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NO_PATCH_META, lookupPatchMeta, parsePatchStrategy, patchMetaFromPaths } from './patch-meta.js';
import { type SchemaNode, patchMetaFromSchemas } from './schema-patch-meta.js';

// A slice of Kubernetes' published OpenAPI: v3 style (allOf-wrapped $ref) and v2 style mixed.
const DEFS: Record<string, SchemaNode> = {
  'io.k8s.api.core.v1.Pod': {
    properties: {
      metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] },
      spec: { $ref: '#/definitions/io.k8s.api.core.v1.PodSpec' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    properties: {
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
      ownerReferences: {
        type: 'array',
        items: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference' }] },
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': { properties: { uid: { type: 'string' } } },
  'io.k8s.api.core.v1.PodSpec': {
    properties: {
      containers: {
        type: 'array',
        items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' },
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      volumes: {
        type: 'array',
        items: { $ref: '#/definitions/io.k8s.api.core.v1.Volume' },
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
      },
      tolerations: { type: 'array', items: { type: 'object' } },
    },
  },
  'io.k8s.api.core.v1.Container': {
    properties: {
      name: { type: 'string' },
      env: {
        type: 'array',
        items: { $ref: '#/definitions/io.k8s.api.core.v1.EnvVar' },
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
    },
  },
  'io.k8s.api.core.v1.EnvVar': { properties: { name: { type: 'string' }, value: { type: 'string' } } },
  'io.k8s.api.core.v1.Volume': { properties: { name: { type: 'string' } } },
};

describe('patchMetaFromSchemas', () => {
  const pod = patchMetaFromSchemas(DEFS, 'io.k8s.api.core.v1.Pod');

  it('reads strategy and merge key of list fields through $ref, allOf and items', () => {
    assert.deepEqual(lookupPatchMeta(pod, ['spec', 'containers']), { strategy: 'merge', mergeKey: 'name' });
    assert.deepEqual(lookupPatchMeta(pod, ['spec', 'containers', 'env']), { strategy: 'merge', mergeKey: 'name' });
    assert.deepEqual(lookupPatchMeta(pod, ['spec', 'volumes']), { strategy: 'merge,retainKeys', mergeKey: 'name' });
    assert.deepEqual(lookupPatchMeta(pod, ['metadata', 'ownerReferences']), { strategy: 'merge', mergeKey: 'uid' });
    assert.deepEqual(lookupPatchMeta(pod, ['metadata', 'finalizers']), { strategy: 'merge' });
  });

  it('has no metadata for plain fields, free-form maps and unknown fields', () => {
    assert.deepEqual(lookupPatchMeta(pod, ['spec', 'tolerations']), {});
    assert.deepEqual(lookupPatchMeta(pod, ['metadata', 'labels', 'app']), {});
    assert.deepEqual(lookupPatchMeta(pod, ['spec', 'nope', 'deeper']), {});
    assert.deepEqual(lookupPatchMeta(pod, []), {});
  });

  it('handles recursive schemas lazily', () => {
    const defs: Record<string, SchemaNode> = {
      Node: { properties: { children: { items: { $ref: '#/definitions/Node' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'id' } } },
    };
    const meta = patchMetaFromSchemas(defs, 'Node');
    assert.deepEqual(lookupPatchMeta(meta, ['children', 'children', 'children']), { strategy: 'merge', mergeKey: 'id' });
  });

  it('rejects unknown roots, unresolvable refs and unknown strategies', () => {
    assert.throws(() => patchMetaFromSchemas(DEFS, 'Missing'), /not found/);
    const broken = patchMetaFromSchemas({ A: { properties: { b: { $ref: '#/definitions/B' } } } }, 'A');
    assert.throws(() => broken.child('b').field('x'), /unable to resolve/);
    const odd = patchMetaFromSchemas({ A: { properties: { l: { 'x-kubernetes-patch-strategy': 'append' } } } }, 'A');
    assert.throws(() => odd.field('l'), /unexpected patch strategy/);
  });
});

describe('patchMetaFromPaths and parsePatchStrategy', () => {
  it('looks fields up by dotted path', () => {
    const meta = patchMetaFromPaths({ 'spec.containers': { strategy: 'merge', mergeKey: 'name' } });
    assert.deepEqual(lookupPatchMeta(meta, ['spec', 'containers']), { strategy: 'merge', mergeKey: 'name' });
    assert.deepEqual(lookupPatchMeta(meta, ['spec', 'other']), {});
    assert.deepEqual(lookupPatchMeta(NO_PATCH_META, ['spec', 'containers']), {});
  });

  it('normalizes strategies', () => {
    assert.equal(parsePatchStrategy('merge'), 'merge');
    assert.equal(parsePatchStrategy('retainKeys,merge'), 'merge,retainKeys');
    assert.equal(parsePatchStrategy('replace'), 'replace');
    assert.equal(parsePatchStrategy('retainKeys'), 'retainKeys');
    assert.throws(() => parsePatchStrategy('merge,replace'));
  });
});
