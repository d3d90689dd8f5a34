import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../openapi/types.js';
import { SchemaValidator } from './schema-validator.js';

const schema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string', minLength: 2, maxLength: 10, pattern: '^[a-z]+$' },
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
        color: { type: 'string', enum: ['red', 'blue'] },
        port: { 'x-kubernetes-int-or-string': true },
        when: { type: 'string', format: 'date-time' },
        owner: { type: 'string', nullable: true },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
        items: { type: 'array', minItems: 1, items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

const v = new SchemaValidator(schema);
const messages = (value: unknown) => v.validate(value).map((e) => e.toString());
const ok = { spec: { image: 'nginx', items: [{ name: 'a' }] } };

describe('CRD schema validation', () => {
  it('accepts a valid object', () => {
    assert.deepEqual(messages(ok), []);
    assert.deepEqual(messages({ spec: { ...ok.spec, port: 80, owner: null, when: '2026-01-02T03:04:05Z', labels: { a: 'b' } } }), []);
    assert.deepEqual(messages({ spec: { ...ok.spec, port: 'http' } }), []);
  });

  it('reports types as kube-openapi does', () => {
    assert.deepEqual(messages({ spec: { ...ok.spec, replicas: 'string' } }), [
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    assert.deepEqual(messages({ spec: { ...ok.spec, replicas: 1.5 } }), [
      'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    ]);
    assert.deepEqual(messages({ spec: { ...ok.spec, port: true } }), [
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ]);
    assert.deepEqual(messages({ spec: 'x' }), ['spec: Invalid value: "string": spec in body must be of type object: "string"']);
  });

  it('reports required fields, enums, bounds, patterns and formats', () => {
    assert.deepEqual(messages({ spec: { items: [{}] } }), ['spec.image: Required value', 'spec.items[0].name: Required value']);
    assert.deepEqual(messages({ spec: { ...ok.spec, color: 'pink' } }), ['spec.color: Unsupported value: "pink": supported values: "red", "blue"']);
    assert.deepEqual(messages({ spec: { ...ok.spec, replicas: 20 } }), [
      'spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10',
    ]);
    assert.deepEqual(messages({ spec: { ...ok.spec, replicas: 0 } }), [
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    ]);
    assert.deepEqual(messages({ spec: { ...ok.spec, ratio: 1 } }), ['spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1']);
    assert.deepEqual(messages({ spec: { ...ok.spec, image: 'NGINX' } }), [
      `spec.image: Invalid value: "NGINX": spec.image in body should match '^[a-z]+$'`,
    ]);
    assert.deepEqual(messages({ spec: { ...ok.spec, image: 'n' } }), [
      'spec.image: Invalid value: "n": spec.image in body should be at least 2 chars long',
    ]);
    assert.deepEqual(messages({ spec: { ...ok.spec, image: 'abcdefghijk' } }), ['spec.image: Too long: may not be more than 10 bytes']);
    assert.deepEqual(messages({ spec: { ...ok.spec, tags: ['a', 'b', 'c'] } }), ['spec.tags: Too many: 3: must have at most 2 items']);
    assert.deepEqual(messages({ spec: { ...ok.spec, items: [] } }), ['spec.items: Invalid value: 0: spec.items in body should have at least 1 items']);
    assert.deepEqual(messages({ spec: { ...ok.spec, when: 'tomorrow' } }), [
      'spec.when: Invalid value: "tomorrow": spec.when in body must be of type date-time: "tomorrow"',
    ]);
    assert.deepEqual(messages({ spec: { ...ok.spec, labels: { a: 1 } } }), [
      'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
    ]);
  });

  it('validates a status on its own path', () => {
    assert.deepEqual(
      v.validate({ status: { ready: 'yes' } }).map((e) => e.field),
      ['status.ready'],
    );
  });

  it('ratchets unchanged invalid values on update', () => {
    const old = { spec: { image: 'NGINX', replicas: 20, items: [{ name: 'a' }] } };
    const next = { spec: { image: 'NGINX', replicas: 20, color: 'red', items: [{ name: 'a' }] } };
    assert.deepEqual(v.validateUpdate(next, old), []);
    const changed = { spec: { image: 'NGINX', replicas: 30, items: [{ name: 'a' }] } };
    assert.deepEqual(
      v.validateUpdate(changed, old).map((e) => e.field),
      ['spec.replicas'],
    );
  });
});
