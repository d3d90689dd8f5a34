import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../openapi/types.js';
import { normalize, prune, unknownFieldPaths } from './structural.js';

const schema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', default: 'auto' },
        owner: { type: 'string', nullable: true },
        note: { type: 'string' },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer', default: 5 } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        empty: { type: 'object' },
        settings: { type: 'object', default: {}, properties: { level: { type: 'integer', default: 3 } } },
      },
    },
  },
};

describe('structural pruning and defaulting', () => {
  it('prunes unknown fields and reports their paths', () => {
    const obj = {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'a', bogus: 1 },
      top: 1,
      spec: {
        replicas: 2,
        unknown: true,
        extra: { anything: [1], known: { a: 'x', b: 'pruned' } },
        items: [{ name: 'a', junk: 1 }],
        labels: { k: 'v' },
        template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', zzz: 1 }, spec: { free: 1 }, other: 1 },
        empty: { gone: 1 },
      },
    };
    assert.deepEqual(prune(obj, schema), [
      'metadata.bogus',
      'top',
      'spec.unknown',
      'spec.extra.known.b',
      'spec.items[0].junk',
      'spec.template.metadata.zzz',
      'spec.template.other',
      'spec.empty.gone',
    ]);
    assert.deepEqual(obj, {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'a' },
      spec: {
        replicas: 2,
        extra: { anything: [1], known: { a: 'x' } },
        items: [{ name: 'a' }],
        labels: { k: 'v' },
        template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { free: 1 } },
        empty: {},
      },
    });
  });

  it('reports unknown fields without changing the object', () => {
    const obj = { spec: { nope: 1 } };
    assert.deepEqual(unknownFieldPaths(obj, schema), ['spec.nope']);
    assert.deepEqual(obj, { spec: { nope: 1 } });
  });

  it('drops non-nullable nulls and applies defaults', () => {
    const obj: Record<string, unknown> = { spec: { replicas: null, owner: null, note: null, items: [{ name: 'a' }] } };
    normalize(obj, schema);
    assert.deepEqual(obj, {
      spec: { replicas: 1, mode: 'auto', owner: null, items: [{ name: 'a', size: 5 }], settings: { level: 3 } },
    });
  });

  it('keeps everything with preserveUnknownFields', () => {
    const obj = { spec: { whatever: 1 } };
    assert.deepEqual(normalize(obj, schema, true), []);
    assert.equal((obj.spec as Record<string, unknown>).whatever, 1);
  });
});
