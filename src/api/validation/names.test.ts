import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isCIdentifier, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue,
  isWildcardDNS1123Subdomain,
} from './names.js';

const r = (c: string, n: number): string => c.repeat(n);

test('isDNS1123Label good and bad values (from validation_test.go)', () => {
  for (const v of ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)]) {
    assert.deepEqual(isDNS1123Label(v), [], v);
  }
  for (const v of ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64)]) {
    assert.notDeepEqual(isDNS1123Label(v), [], v);
  }
});

test('isDNS1123Label messages', () => {
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('A'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(isDNS1123Label(r('a', 64)), ['must be no more than 63 characters']);
});

test('isDNS1123Subdomain', () => {
  for (const v of ['a', 'a.b', 'a-1.b-2', '0.a', 'example.com', r('a', 253), `${r('a', 63)}.${r('b', 63)}`]) {
    assert.deepEqual(isDNS1123Subdomain(v), [], v);
  }
  assert.deepEqual(isDNS1123Subdomain('Foo'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isDNS1123Subdomain(r('a', 254)), ['must be no more than 253 characters']);
  for (const v of ['', 'a..b', '.a', 'a.', 'a_b', 'A.b', 'a b']) assert.equal(isDNS1123Subdomain(v).length, 1, v);
});

test('isDNS1035Label', () => {
  for (const v of ['a', 'ab', 'a-1', 'a--1--2--b', r('a', 63)]) assert.deepEqual(isDNS1035Label(v), [], v);
  for (const v of ['0', '01', '1a', 'a-', '-a', 'A', 'a.b', r('a', 64)]) assert.notDeepEqual(isDNS1035Label(v), [], v);
  assert.deepEqual(isDNS1035Label('1a'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('isQualifiedName good and bad (from validation_test.go)', () => {
  for (const v of ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
    '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo',
    r('a', 63), `${r('a', 253)}/${r('b', 63)}`]) {
    assert.deepEqual(isQualifiedName(v), [], v);
  }
  for (const v of ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc',
    'example_com/abc', 'example.com/', '/simple', r('a', 64), `${r('a', 254)}/abc`]) {
    assert.notDeepEqual(isQualifiedName(v), [], v);
  }
});

test('isQualifiedName messages', () => {
  const nameRegex = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  assert.deepEqual(isQualifiedName('bad-'), [nameRegex]);
  assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', nameRegex]);
  assert.deepEqual(isQualifiedName('/simple'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName(r('a', 64)), ['name part must be no more than 63 characters']);
  assert.deepEqual(isQualifiedName('a/b/c'), [
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
  assert.equal(isQualifiedName('Example.com/abc')[0]!.startsWith('prefix part a lowercase RFC 1123 subdomain'), true);
});

test('isValidLabelValue (from validation_test.go)', () => {
  for (const v of ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), '']) {
    assert.deepEqual(isValidLabelValue(v), [], v);
  }
  for (const v of ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash',
    'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', r('a', 64)]) {
    assert.notDeepEqual(isValidLabelValue(v), [], v);
  }
  assert.deepEqual(isValidLabelValue('-x'), [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
});

test('other name syntaxes', () => {
  assert.deepEqual(isWildcardDNS1123Subdomain('*.example.com'), []);
  assert.equal(isWildcardDNS1123Subdomain('example.com').length, 1);
  assert.deepEqual(isCIdentifier('MY_NAME'), []);
  assert.equal(isCIdentifier('1abc').length, 1);
  assert.deepEqual(isConfigMapKey('key.name'), []);
  assert.deepEqual(isConfigMapKey('..'), ["must not be '..'"]);
  assert.deepEqual(isConfigMapKey('..a'), ["must not start with '..'"]);
  assert.equal(isConfigMapKey('a/b').length, 1);
});
