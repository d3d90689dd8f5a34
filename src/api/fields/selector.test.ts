import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSelectorError } from './escape.js';
import { everythingFields, fieldSelectorFromSet, nothingFields, oneTermEqualSelector, parseFieldSelector } from './selector.js';

const getter = (set: Record<string, string>) => (name: string): string | undefined => set[name];

test('good strings round-trip (TestSelectorParse)', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) assert.equal(parseFieldSelector(s).toString(), s);
  assert.equal(parseFieldSelector('x==a').toString(), 'x=a');
  assert.equal(parseFieldSelector('z=1,a=2').toString(), 'a=2,z=1');
  assert.ok(parseFieldSelector('').empty);
  assert.ok(parseFieldSelector(',').empty);
});

test('bad strings (TestSelectorParse)', () => {
  for (const s of ['x=a||y=b', 'x==a==b', 'x=a,b', 'x in (a)', 'x in (a,b,c)', 'x']) assert.throws(() => parseFieldSelector(s), FieldSelectorError, s);
  assert.throws(() => parseFieldSelector('x=a,b'), { message: "invalid selector: 'x=a,b'; can't understand 'b'" });
  assert.throws(() => parseFieldSelector('x'), { message: "invalid selector: 'x'; can't understand 'x'" });
  assert.throws(() => parseFieldSelector('x==a==b'), { message: 'invalid field selector: unescaped character in value: 61' });
});

test('terms split on unescaped commas only, multi-byte safe', () => {
  // terms are sorted by their raw text, so 'k2=v2' ('2' < '=') comes first
  assert.deepEqual(parseFieldSelector('k=\\,,k2=v2').requirements, [
    { field: 'k2', operator: '=', value: 'v2' }, { field: 'k', operator: '=', value: ',' },
  ]);
  assert.deepEqual(parseFieldSelector('함=수,목=록').requirements.map((r) => r.field).sort(), ['목', '함']);
  assert.deepEqual(parseFieldSelector('c!=value').requirements, [{ field: 'c', operator: '!=', value: 'value' }]);
  assert.deepEqual(parseFieldSelector('b==value').requirements, [{ field: 'b', operator: '=', value: 'value' }]);
});

test('matching (TestSelectorMatches)', () => {
  const yes = (s: string, set: Record<string, string>): void => assert.ok(parseFieldSelector(s).matches(getter(set)), s);
  const no = (s: string, set: Record<string, string>): void => assert.ok(!parseFieldSelector(s).matches(getter(set)), s);
  yes('', { x: 'y' });
  yes('x=y', { x: 'y' });
  yes('x=y,z=w', { x: 'y', z: 'w' });
  yes('x!=y,z!=w', { x: 'z', z: 'a' });
  yes('notin=in', { notin: 'in' });
  no('x=y', { x: 'z' });
  no('x=y,z=w', { x: 'w', z: 'w' });
  no('x!=y,z!=w', { x: 'z', z: 'w' });
  const set = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  yes('foo=bar', set);
  yes('baz=blah', set);
  yes('foo=bar,baz=blah', set);
  yes('foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', set);
  no('foo=blah', set);
  no('baz=bar', set);
  no('foo=bar,foobar=bar,baz=blah', set);
  yes('spec.nodeName=', {});
  no('spec.nodeName!=', {});
});

test('everything, nothing, sets, exact match, transform', () => {
  assert.ok(everythingFields().empty);
  assert.ok(everythingFields().matches(() => undefined));
  assert.ok(!nothingFields().empty);
  assert.ok(!nothingFields().matches(() => 'x'));
  assert.ok(fieldSelectorFromSet({ a: 'b' }).matches(getter({ a: 'b' })));
  assert.equal(oneTermEqualSelector('metadata.name', 'a,b').toString(), 'metadata.name=a\\,b');
  const s = parseFieldSelector('metadata.name=x,spec.nodeName!=n1');
  assert.equal(s.requiresExactMatch('metadata.name'), 'x');
  assert.equal(s.requiresExactMatch('spec.nodeName'), undefined);
  const t = s.transform((f, v) => (f === 'metadata.name' ? { field: '', value: '' } : { field: 'spec.host', value: v }));
  assert.equal(t.toString(), 'spec.host!=n1');
  assert.deepEqual(parseFieldSelector('a=b', (f, v) => ({ field: f.toUpperCase(), value: v })).requirements, [{ field: 'A', operator: '=', value: 'b' }]);
});
