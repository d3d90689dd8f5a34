import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabelSelectorError } from './errors.js';
import { Operator, Requirement, newRequirement } from './requirement.js';
import { Selector, everything, nothing, selectorFromSet, validatedSelectorFromSet } from './selector.js';
import { parseSelector } from './parse.js';

test('everything and nothing', () => {
  assert.ok(everything().empty);
  assert.ok(everything().matches({ a: 'b' }));
  assert.ok(everything().matches(undefined));
  assert.equal(everything().toString(), '');
  assert.ok(!nothing().empty);
  assert.ok(!nothing().matches({}));
  assert.equal(nothing().toString(), '');
  const stillNothing = nothing().add(newRequirement('a', Operator.Exists, []));
  assert.ok(!stillNothing.matches({ a: 'x' }));
  assert.equal(stillNothing.requirements.length, 0);
});

test('selectors from sets (TestSetMatches, TestSetIsEmpty)', () => {
  const labels = { foo: 'bar', baz: 'blah' };
  assert.ok(selectorFromSet({}).matches(labels));
  assert.ok(selectorFromSet({ foo: 'bar' }).matches(labels));
  assert.ok(selectorFromSet({ baz: 'blah' }).matches(labels));
  assert.ok(selectorFromSet({ foo: 'bar', baz: 'blah' }).matches(labels));
  assert.ok(selectorFromSet(undefined).empty);
  assert.ok(selectorFromSet({}).empty);
  assert.equal(selectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
  assert.throws(() => validatedSelectorFromSet({ 'a b': '1' }), LabelSelectorError);
  assert.equal(validatedSelectorFromSet({ a: '1' }).toString(), 'a=1');
});

test('add sorts by key', () => {
  const s = everything().add(newRequirement('z', Operator.Exists, []), newRequirement('a', Operator.Equals, ['1']));
  assert.equal(s.toString(), 'a=1,z');
  assert.equal(s.requirements.length, 2);
  assert.ok(!s.empty);
});

test('requiresExactMatch (TestRequiresExactMatch)', () => {
  const sel = (...r: Requirement[]): Selector => Selector.of(r);
  assert.equal(sel(new Requirement('key', Operator.In, ['value'])).requiresExactMatch('key'), 'value');
  assert.equal(sel(new Requirement('key', Operator.In, ['value', 'value2'])).requiresExactMatch('key'), undefined);
  assert.equal(sel(new Requirement('key', Operator.In, ['value', 'value1']), new Requirement('key2', Operator.In, ['value2'])).requiresExactMatch('key2'), 'value2');
  assert.equal(sel(new Requirement('key', Operator.Equals, ['value'])).requiresExactMatch('key'), 'value');
  assert.equal(sel(new Requirement('key', Operator.DoubleEquals, ['value'])).requiresExactMatch('key'), 'value');
  assert.equal(sel(new Requirement('key', Operator.NotEquals, ['value'])).requiresExactMatch('key'), undefined);
  assert.equal(parseSelector('a=b,c').requiresExactMatch('a'), 'b');
  assert.equal(parseSelector('a=b,c').requiresExactMatch('c'), undefined);
  assert.equal(parseSelector('a=b').requiresExactMatch('zzz'), undefined);
});
