import { test } from 'node:test';
import assert from 'node:assert/strict';
import { path } from '../field-errors.js';
import { LabelSelectorError } from './errors.js';
import { parseOperatorOf, parseSelector } from './parse.js';
import { Operator, Requirement, newRequirement } from './requirement.js';
import { Selector } from './selector.js';

function req(key: string, op: Operator, values: string[] = []): Requirement {
  return newRequirement(key, op, [...values].sort());
}

test('good strings round-trip without spaces (TestSelectorParse)', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    assert.equal(parseSelector(s).toString(), s.replaceAll(' ', ''), s);
  }
});

test('bad strings fail (TestSelectorParse)', () => {
  for (const s of ['x=a||y=b', 'x==a==b', '!x=a', 'x<a']) assert.throws(() => parseSelector(s), LabelSelectorError, s);
});

test('parsing is deterministic', () => {
  assert.equal(parseSelector('x=a,a=x').toString(), parseSelector('a=x,x=a').toString());
  assert.equal(parseSelector('x=a,a=x').toString(), 'a=x,x=a');
});

test('matching (TestSelectorMatches)', () => {
  const yes = (s: string, l: Record<string, string>): void => assert.ok(parseSelector(s).matches(l), `${s} ~ ${JSON.stringify(l)}`);
  const no = (s: string, l: Record<string, string>): void => assert.ok(!parseSelector(s).matches(l), `${s} !~ ${JSON.stringify(l)}`);
  yes('', { x: 'y' });
  yes('x=y', { x: 'y' });
  yes('x=y,z=w', { x: 'y', z: 'w' });
  yes('x!=y,z!=w', { x: 'z', z: 'a' });
  yes('notin=in', { notin: 'in' });
  yes('x', { x: 'z' });
  yes('!x', { y: 'z' });
  yes('x>1', { x: '2' });
  yes('x<1', { x: '0' });
  no('x=z', {});
  no('x=y', { x: 'z' });
  no('x=y,z=w', { x: 'w', z: 'w' });
  no('x!=y,z!=w', { x: 'z', z: 'w' });
  no('x', { y: 'z' });
  no('!x', { x: 'z' });
  no('x>1', { x: '0' });
  no('x<1', { x: '2' });
  const set = { foo: 'bar', baz: 'blah' };
  yes('foo=bar', set);
  yes('baz=blah', set);
  yes('foo=bar,baz=blah', set);
  no('foo=blah', set);
  no('baz=bar', set);
  no('foo=bar,foobar=bar,baz=blah', set);
  yes('x!=y', {});
  assert.ok(parseSelector('x').matches({ x: '' }));
  assert.ok(!parseSelector('x').matches(undefined));
  assert.ok(!parseSelector('toString').matches({}), 'inherited properties are not labels');
});

test('set-based parsing (TestSetSelectorParser)', () => {
  const cases: Array<[string, Selector | null, boolean]> = [
    ['', Selector.of([]), true],
    ['\rx', Selector.of([req('x', Operator.Exists)]), true],
    ['this-is-a-dns.domain.com/key-with-dash', Selector.of([req('this-is-a-dns.domain.com/key-with-dash', Operator.Exists)]), true],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)',
      Selector.of([req('this-is-another-dns.domain.com/key-with-dash', Operator.In, ['so', 'what'])]), true],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)',
      Selector.of([req('0.1.2.domain/99', Operator.NotIn, ['10.10.100.1', 'tick.tack.clock'])]), true],
    ['foo  in\t (abc)', Selector.of([req('foo', Operator.In, ['abc'])]), true],
    ['x notin\n (abc)', Selector.of([req('x', Operator.NotIn, ['abc'])]), true],
    ['x  notin\t\t\t(abc,def)', Selector.of([req('x', Operator.NotIn, ['abc', 'def'])]), true],
    ['x in (abc,def)', Selector.of([req('x', Operator.In, ['abc', 'def'])]), true],
    ['x in (abc,)', Selector.of([req('x', Operator.In, ['abc', ''])]), true],
    ['x in ()', Selector.of([req('x', Operator.In, [''])]), true],
    ['x notin (abc,,def),bar,z in (),w', Selector.of([
      req('bar', Operator.Exists), req('w', Operator.Exists), req('x', Operator.NotIn, ['abc', '', 'def']), req('z', Operator.In, ['']),
    ]), true],
    ['x,y in (a)', Selector.of([req('y', Operator.In, ['a']), req('x', Operator.Exists)]), true],
    ['x=a', Selector.of([req('x', Operator.Equals, ['a'])]), true],
    ['x>1', Selector.of([req('x', Operator.GreaterThan, ['1'])]), true],
    ['x<7', Selector.of([req('x', Operator.LessThan, ['7'])]), true],
    ['x=a,y!=b', Selector.of([req('x', Operator.Equals, ['a']), req('y', Operator.NotEquals, ['b'])]), true],
    ['x=a,y!=b,z in (h,i,j)', Selector.of([req('x', Operator.Equals, ['a']), req('y', Operator.NotEquals, ['b']), req('z', Operator.In, ['h', 'i', 'j'])]), true],
    ['x=a||y=b', null, false],
    ['x,,y', null, false],
    [',x,y', null, false],
    ['x nott in (y)', null, false],
    ['x notin ( )', Selector.of([req('x', Operator.NotIn, [''])]), true],
    ['x notin (, a)', Selector.of([req('x', Operator.NotIn, ['', 'a'])]), true],
    ['a in (xyz),', null, false],
    ['a in (xyz)b notin ()', null, false],
    ['a ', Selector.of([req('a', Operator.Exists)]), true],
    ['a in (x,y,notin, z,in)', Selector.of([req('a', Operator.In, ['in', 'notin', 'x', 'y', 'z'])]), true],
    ['a in (xyz abc)', null, false],
    ['a notin(', null, false],
    ['a (', null, false],
    ['(', null, false],
  ];
  for (const [input, want, valid] of cases) {
    if (!valid) {
      assert.throws(() => parseSelector(input), LabelSelectorError, input);
      continue;
    }
    const got = parseSelector(input);
    assert.equal(got.toString(), want!.toString(), input);
    assert.equal(got.requirements.length, want!.requirements.length, input);
    got.requirements.forEach((r, i) => assert.ok(r.equals(want!.requirements[i]!), `${input}: ${r} vs ${want!.requirements[i]}`));
  }
});

test('operators (TestParseOperator)', () => {
  for (const s of ['in', '=', '==', '>', '<', 'notin', '!=']) assert.doesNotThrow(() => parseOperatorOf(s), s);
  assert.throws(() => parseOperatorOf('!'), { message: "found '!', expected: in, notin, =, ==, !=, gt, lt" });
  assert.throws(() => parseOperatorOf('exists'), { message: "found 'exists', expected: in, notin, =, ==, !=, gt, lt" });
  assert.throws(() => parseOperatorOf('('), { message: "found '(', expected: in, notin, =, ==, !=, gt, lt" });
});

test('error messages match Kubernetes', () => {
  const msg = (s: string): string => {
    try {
      parseSelector(s);
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };
  assert.equal(msg('x=a||y=b'), "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  assert.equal(msg('x==a==b'), "found '==', expected: ',' or 'end of string'");
  assert.equal(msg('!x=a'), "found '=', expected: ',' or 'end of string'");
  assert.equal(msg('x<a'), "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer");
  assert.equal(msg('x,,y'), "found ',', expected: identifier after ','");
  assert.equal(msg(',x'), "found ',', expected: !, identifier, or 'end of string'");
  assert.equal(msg('a in (xyz),'), "found '', expected: identifier after ','");
  assert.equal(msg('a in (xyz)b'), "found 'b', expected: ',' or 'end of string'");
  assert.equal(msg('a in (xyz abc)'), "unable to parse requirement: found 'abc', expected: ',' or ')'");
  assert.equal(msg('a notin('), "unable to parse requirement: found '', expected: ',', ')' or identifier");
  assert.equal(msg('a ('), "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(msg('a in b'), "unable to parse requirement: found 'b' expected: '('");
  assert.equal(msg('x nott in (y)'), "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(msg('a/b/c'), "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
  assert.ok(msg('a/b/c').startsWith('unable to parse requirement: <nil>: Invalid value'));
});

test('a path prefixes validation errors', () => {
  try {
    parseSelector('x=-bad', path('labelSelector'));
    assert.fail('expected error');
  } catch (e) {
    assert.ok(e instanceof LabelSelectorError);
    assert.equal(e.fieldErrors[0]!.field, 'labelSelector.values[0][x]');
  }
});
