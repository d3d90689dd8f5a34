import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSelectorError, escapeValue, unescapeValue } from './escape.js';

test('escape and unescape round-trip (TestEscapeValue)', () => {
  const cases: Array<[string, string]> = [['', ''], ['a', 'a'], ['=', '\\='], [',', '\\,'], ['\\', '\\\\'], ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\']];
  for (const [plain, escaped] of cases) {
    assert.equal(escapeValue(plain), escaped);
    assert.equal(unescapeValue(escaped), plain);
  }
});

test('invalid escapes', () => {
  for (const v of ['\\', '\\\\\\', '\\a']) assert.throws(() => unescapeValue(v), FieldSelectorError, v);
  assert.throws(() => unescapeValue('\\a'), { message: 'invalid field selector: invalid escape sequence: \\a' });
  assert.throws(() => unescapeValue('\\'), { message: 'invalid field selector: invalid escape sequence: \\' });
  assert.throws(() => unescapeValue('a=b'), { message: 'invalid field selector: unescaped character in value: 61' });
  assert.throws(() => unescapeValue('a,b'), { message: 'invalid field selector: unescaped character in value: 44' });
});
