import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteLength, compareGoStrings, goQuote } from './go-format.js';

test('goQuote matches strconv.Quote', () => {
  assert.equal(goQuote('Foo'), '"Foo"');
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote('a\nb\tc\r'), '"a\\nb\\tc\\r"');
  assert.equal(goQuote('\x00\x1f\x7f'), '"\\x00\\x1f\\x7f"');
  assert.equal(goQuote('héllo 世界'), '"héllo 世界"');
  assert.equal(goQuote('\u200b'), '"\\u200b"');
  assert.equal(goQuote('😀'), '"😀"');
  assert.equal(goQuote(''), '""');
});

test('compareGoStrings orders by code point', () => {
  const list = ['b', 'a', '\uffff', '😀', 'ab', ''];
  list.sort(compareGoStrings);
  assert.deepEqual(list, ['', 'a', 'ab', 'b', '\uffff', '😀']);
  assert.equal(compareGoStrings('x', 'x'), 0);
});

test('byteLength counts UTF-8 bytes', () => {
  assert.equal(byteLength('abc'), 3);
  assert.equal(byteLength('é'), 2);
});
