import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as field from './field-errors.js';
import { FieldErrorType, MAX_BAD_VALUE_LENGTH, aggregateMessage, path, renderBadValue, toStatusCauses } from './field-errors.js';
import { goQuote } from './go-format.js';

const f = path('f');

test('constructors set the Kubernetes error type', () => {
  assert.equal(field.invalid(f, 'v', 'd').type, 'FieldValueInvalid');
  assert.equal(field.notSupported(f, 'v').type, 'FieldValueNotSupported');
  assert.equal(field.duplicate(f, 'v').type, 'FieldValueDuplicate');
  assert.equal(field.notFound(f, 'v').type, 'FieldValueNotFound');
  assert.equal(field.required(f, 'd').type, 'FieldValueRequired');
  assert.equal(field.forbidden(f, 'd').type, 'FieldValueForbidden');
  assert.equal(field.tooLong(f, 'v', 3).type, 'FieldValueTooLong');
  assert.equal(field.tooMany(f, 3, 2).type, 'FieldValueTooMany');
  assert.equal(field.internalError(f, new Error('e')).type, FieldErrorType.Internal);
  assert.equal(field.typeInvalid(f, 1, 'd').type, 'FieldValueTypeInvalid');
});

test('messages match Go Error()', () => {
  assert.equal(field.required(path('spec', 'containers').index(0).child('name')).toString(), 'spec.containers[0].name: Required value');
  assert.equal(
    field.required(path('metadata', 'name'), 'name or generateName is required').toString(),
    'metadata.name: Required value: name or generateName is required',
  );
  assert.equal(field.invalid(path('metadata', 'name'), 'Foo', 'bad').toString(), 'metadata.name: Invalid value: "Foo": bad');
  assert.equal(field.invalid(path('spec', 'replicas'), -1, 'must be greater than or equal to 0').toString(),
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  assert.equal(field.invalid(f, true, 'd').toString(), 'f: Invalid value: true: d');
  assert.equal(field.invalid(f, null, 'd').toString(), 'f: Invalid value: null: d');
  assert.equal(field.invalid(undefined, undefined, '').toString(), '<nil>: Invalid value: null');
  assert.equal(field.invalid(f, ['a', 'b'], 'd').toString(), 'f: Invalid value: []string{"a", "b"}: d');
  assert.equal(field.invalid(f, 'a"b', '').toString(), 'f: Invalid value: "a\\"b"');
  assert.equal(
    field.notSupported(path('spec', 'restartPolicy'), 'x', ['Always', 'OnFailure', 'Never']).toString(),
    'spec.restartPolicy: Unsupported value: "x": supported values: "Always", "OnFailure", "Never"',
  );
  assert.equal(field.notSupported(f, 'x').toString(), 'f: Unsupported value: "x"');
  assert.equal(field.duplicate(f, 'x').toString(), 'f: Duplicate value: "x"');
  assert.equal(field.notFound(f, 'x').toString(), 'f: Not found: "x"');
  assert.equal(field.forbidden(f, 'not allowed on this type').toString(), 'f: Forbidden: not allowed on this type');
  assert.equal(field.tooLong(path('metadata', 'annotations'), '', 262144).toString(),
    'metadata.annotations: Too long: may not be more than 262144 bytes');
  assert.equal(field.tooLong(f, '', -1).toString(), 'f: Too long: value is too long');
  assert.equal(field.tooMany(f, 5, 3).toString(), 'f: Too many: 5: must have at most 3 items');
  assert.equal(field.tooMany(f, -1, -1).toString(), 'f: Too many: has too many items');
  assert.equal(field.internalError(f, new Error('boom')).toString(), 'f: Internal error: boom');
});

test('values with their own toString render through it (fmt.Stringer)', () => {
  class Q { toString(): string { return '100m'; } }
  assert.equal(field.invalid(f, new Q(), 'd').toString(), 'f: Invalid value: 100m: d');
  assert.equal(field.invalid(f, { a: 1 }, 'd').toString(), 'f: Invalid value: {"a":1}: d');
});

test('aggregate message de-duplicates and brackets several', () => {
  const a = field.required(path('a'));
  const b = field.required(path('b'));
  assert.equal(aggregateMessage([]), '');
  assert.equal(aggregateMessage([a]), 'a: Required value');
  assert.equal(aggregateMessage([a, a]), 'a: Required value');
  assert.equal(aggregateMessage([a, b, a]), '[a: Required value, b: Required value]');
});

test('status causes carry type, body and field', () => {
  assert.deepEqual(toStatusCauses([field.invalid(path('field[0].name'), 'bar', 'detail')]), [
    { reason: 'FieldValueInvalid', message: 'Invalid value: "bar": detail', field: 'field[0].name' },
  ]);
});

test('FieldErrorListError carries the list', () => {
  const e = new field.FieldErrorListError([field.required(path('a'))]);
  assert.ok(e instanceof Error);
  assert.equal(e.message, 'a: Required value');
  assert.equal(e.errors.length, 1);
});

test('renderBadValue of a long string quotes only what it keeps, with the same result as quoting all of it', () => {
  const full = (s: string) => {
    const q = goQuote(s);
    return q.length > MAX_BAD_VALUE_LENGTH ? `${q.slice(0, MAX_BAD_VALUE_LENGTH)}...(truncated)` : q;
  };
  const units = ['x', 'ü', '😀', '\n', '\x01', '"', '\u200b', '\ud800'];
  for (let n = MAX_BAD_VALUE_LENGTH - 3; n <= MAX_BAD_VALUE_LENGTH + 3; n++) {
    for (const a of units) {
      for (const b of units) {
        // every character kind just before, at and after the cut, surrogate pairs across it included
        const s = a.repeat(n).slice(0, n) + b.repeat(4);
        assert.equal(renderBadValue(s), full(s), JSON.stringify([n, a, b]));
      }
    }
  }
  const huge = 'ü😀'.repeat(400_000);
  assert.equal(renderBadValue(huge), full(huge));
});
