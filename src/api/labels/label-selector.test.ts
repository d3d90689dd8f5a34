import { test } from 'node:test';
import assert from 'node:assert/strict';
import { path } from '../field-errors.js';
import { validateLabelSelector } from '../validation/labels.js';
import { LabelSelectorError } from './errors.js';
import { labelSelectorFromSet, labelSelectorMatches, selectorFromLabelSelector } from './label-selector.js';

test('nil selects nothing, empty selects everything', () => {
  assert.ok(!selectorFromLabelSelector(undefined).matches({}));
  assert.ok(!selectorFromLabelSelector(null).matches({ a: 'b' }));
  assert.ok(selectorFromLabelSelector({}).matches({ a: 'b' }));
  assert.ok(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).empty);
});

test('matchLabels and matchExpressions become requirements (TestLabelSelectorAsSelector)', () => {
  const s = selectorFromLabelSelector({
    matchLabels: { foo: 'bar' },
    matchExpressions: [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }],
  });
  assert.equal(s.toString(), 'baz in (norf,qux),foo=bar');
  assert.ok(s.matches({ foo: 'bar', baz: 'qux' }));
  assert.ok(!s.matches({ foo: 'bar', baz: 'x' }));
  assert.equal(selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }).toString(), 'a notin (x)');
  assert.equal(selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }).toString(), 'a');
  assert.equal(selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }).toString(), '!a');
  assert.ok(labelSelectorMatches({ matchLabels: { app: 'web' } }, { app: 'web', tier: 'fe' }));
  assert.deepEqual(labelSelectorFromSet({ a: 'b' }), { matchLabels: { a: 'b' } });
  assert.equal(labelSelectorFromSet(undefined), undefined);
});

test('invalid selectors throw with field errors', () => {
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), (e: unknown) => {
    assert.ok(e instanceof LabelSelectorError);
    assert.equal(e.message, '"Bogus" is not a valid label selector operator');
    assert.equal(e.fieldErrors[0]!.field, 'matchExpressions[0].operator');
    return true;
  });
  assert.throws(() => selectorFromLabelSelector({ matchLabels: { foo: 'bar baz' } }), (e: unknown) => {
    assert.ok(e instanceof LabelSelectorError);
    assert.equal(e.fieldErrors[0]!.field, 'values[0][foo]');
    return true;
  });
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), LabelSelectorError);
});

test('validateLabelSelector (metav1 validation)', () => {
  const p = path('spec', 'selector');
  assert.deepEqual(validateLabelSelector({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['d'] }] }, {}, p), []);
  assert.deepEqual(validateLabelSelector(undefined, {}, p), []);
  const errs = validateLabelSelector({
    matchExpressions: [
      { key: 'a', operator: 'In' },
      { key: 'b', operator: 'Exists', values: ['x'] },
      { key: 'c', operator: 'Bogus' },
      { key: 'd', operator: 'In', values: ['bad value'] },
    ],
  }, {}, p).map(String);
  assert.equal(errs[0], "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  assert.equal(errs[1], "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  assert.equal(errs[2], 'spec.selector.matchExpressions[2].operator: Invalid value: "Bogus": not a valid selector operator');
  assert.ok(errs[3]!.startsWith('spec.selector.matchExpressions[3].values[0]: Invalid value: "bad value": a valid label must be'));
  assert.equal(errs.length, 4);
  assert.equal(validateLabelSelector({ matchExpressions: [{ key: 'c', operator: 'Bogus' }] }, { allowUnknownOperatorInRequirement: true }, p).length, 0);
  assert.equal(validateLabelSelector({ matchExpressions: [{ key: 'd', operator: 'In', values: ['bad value'] }] }, { allowInvalidLabelValueInSelector: true }, p).length, 0);
  assert.equal(validateLabelSelector({ matchLabels: { 'bad key': 'x' } }, {}, p)[0]!.field, 'spec.selector.matchLabels');
});
