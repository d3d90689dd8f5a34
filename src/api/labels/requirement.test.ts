import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabelSelectorError } from './errors.js';
import { Operator, Requirement, newRequirement, parseInt64, requirementErrors } from './requirement.js';

test('constructor validation (TestRequirementConstructor)', () => {
  const cases: Array<[string, string, string[], Array<[string, string, unknown]>]> = [
    ['x1', 'in', [], [['FieldValueInvalid', 'values', []]]],
    ['x2', 'notin', [], [['FieldValueInvalid', 'values', []]]],
    ['x3', 'in', ['foo'], []],
    ['x4', 'notin', ['foo'], []],
    ['x5', '=', ['bar', 'foo'], [['FieldValueInvalid', 'values', ['bar', 'foo']]]],
    ['x6', 'exists', [], []],
    ['x7', '!', [], []],
    ['x8', 'exists', ['foo'], [['FieldValueInvalid', 'values', ['foo']]]],
    ['x9', 'in', ['bar'], []],
    ['x11', 'gt', ['1'], []],
    ['x12', 'lt', ['6'], []],
    ['x13', 'gt', [], [['FieldValueInvalid', 'values', []]]],
    ['x14', 'gt', ['bar'], [['FieldValueInvalid', 'values[0]', 'bar']]],
    ['x15', 'lt', ['bar'], [['FieldValueInvalid', 'values[0]', 'bar']]],
    ['a'.repeat(254), 'exists', [], [['FieldValueInvalid', 'key', 'a'.repeat(254)]]],
    ['x16', '=', ['a'.repeat(254)], [['FieldValueInvalid', 'values[0][x16]', 'a'.repeat(254)]]],
    ['x17', '=', ['a b'], [['FieldValueInvalid', 'values[0][x17]', 'a b']]],
    ['x18', 'unsupportedOp', [], [['FieldValueNotSupported', 'operator', 'unsupportedOp']]],
  ];
  for (const [key, op, vals, want] of cases) {
    const got = requirementErrors(key, op, vals).map((e) => [e.type, e.field, e.badValue]);
    assert.deepEqual(got, want, key);
    if (want.length) assert.throws(() => newRequirement(key, op, vals), LabelSelectorError);
    else assert.ok(newRequirement(key, op, vals) instanceof Requirement);
  }
});

test('constructor messages', () => {
  assert.throws(() => newRequirement('x', 'in', []), { message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty" });
  assert.throws(() => newRequirement('x', '=', ['a', 'b']), { message: 'values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value' });
  assert.throws(() => newRequirement('x', 'bogus', []), { message: 'operator: Unsupported value: "bogus": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"' });
  assert.throws(() => newRequirement('x', 'gt', ['a', 'b']), {
    message: "[values: Invalid value: []string{\"a\", \"b\"}: for 'Gt', 'Lt' operators, exactly one value is required, values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer, values[1]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer]",
  });
});

test('toString (TestToString)', () => {
  const r = (k: string, op: Operator, v: string[] = []): string => newRequirement(k, op, v).toString();
  assert.equal(r('x', Operator.In, ['abc', 'def']), 'x in (abc,def)');
  assert.equal(r('x', Operator.In, ['def', 'abc']), 'x in (abc,def)');
  assert.equal(r('y', Operator.NotIn, ['jkl']), 'y notin (jkl)');
  assert.equal(r('z', Operator.Exists), 'z');
  assert.equal(r('z', Operator.DoesNotExist), '!z');
  assert.equal(r('z', Operator.NotIn, ['']), 'z notin ()');
  assert.equal(r('x', Operator.Equals, ['abc']), 'x=abc');
  assert.equal(r('y', Operator.DoubleEquals, ['jkl']), 'y==jkl');
  assert.equal(r('z', Operator.NotEquals, ['a']), 'z!=a');
  assert.equal(r('x', Operator.GreaterThan, ['2']), 'x>2');
  assert.equal(r('y', Operator.LessThan, ['8']), 'y<8');
});

test('matching (TestRequirementSelectorMatching)', () => {
  const m = (k: string, op: Operator, v: string[], l: Record<string, string>): boolean => newRequirement(k, op, v).matches(l);
  assert.equal(m('x', Operator.In, ['foo'], { x: 'foo', y: 'baz' }), true);
  assert.equal(m('y', Operator.NotIn, ['alpha'], { x: 'foo', y: 'baz' }), true);
  assert.equal(m('y', Operator.In, ['alpha'], { x: 'foo', y: 'baz' }), false);
  assert.equal(m('x', Operator.NotIn, [''], { y: '' }), true);
  assert.equal(m('y', Operator.Exists, [], { y: '' }), true);
  assert.equal(m('x', Operator.DoesNotExist, [], { y: '' }), true);
  assert.equal(m('y', Operator.DoesNotExist, [], { y: '' }), false);
  assert.equal(m('x', Operator.In, [''], { y: 'baz' }), false);
  assert.equal(m('z', Operator.GreaterThan, ['1'], { z: '2' }), true);
  assert.equal(m('z', Operator.GreaterThan, ['1'], { z: 'v2' }), false);
  // '-5' is not a valid label value, so NewRequirement rejects it; matching still handles signs
  assert.throws(() => newRequirement('z', Operator.LessThan, ['-5']), LabelSelectorError);
  assert.equal(new Requirement('z', Operator.LessThan, ['-5']).matches({ z: '-9223372036854775808' }), true);
  assert.equal(m('z', Operator.GreaterThan, ['1'], { z: '9223372036854775808' }), false, 'out of int64 range');
  assert.equal(new Requirement('z', Operator.GreaterThan, ['x']).matches({ z: '2' }), false);
  assert.equal(new Requirement('', '' as Operator, []).matches({ x: 'foo' }), false);
});

test('parseInt64', () => {
  assert.equal(parseInt64('+12'), 12n);
  assert.equal(parseInt64('-9223372036854775808'), -(2n ** 63n));
  assert.equal(parseInt64('9223372036854775808'), undefined);
  assert.equal(parseInt64('1.0'), undefined);
  assert.equal(parseInt64(''), undefined);
});
