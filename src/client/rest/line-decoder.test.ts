import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LineDecoder } from './line-decoder.js';

it('splits lines across arbitrary chunk boundaries', () => {
  const d = new LineDecoder();
  assert.deepEqual(d.push('{"a":1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(d.push(':2'), []);
  assert.deepEqual(d.push('}\n{"c":3}\n\n'), ['{"b":2}', '{"c":3}']);
  assert.deepEqual(d.end(), []);
});

it('keeps multi-byte characters split between chunks intact', () => {
  const bytes = Buffer.from('{"name":"žluťoučký 🐴"}\n', 'utf8');
  const d = new LineDecoder();
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i++) out.push(...d.push(bytes.subarray(i, i + 1)));
  assert.deepEqual(out, ['{"name":"žluťoučký 🐴"}']);
});

it('drops CR and blank lines, and returns an unterminated last line at the end', () => {
  const d = new LineDecoder();
  assert.deepEqual(d.push('one\r\n\r\n  \ntwo'), ['one']);
  assert.deepEqual(d.end(), ['two']);
  assert.deepEqual(d.end(), []);
});

it('refuses a line longer than the limit', () => {
  const d = new LineDecoder(8);
  assert.throws(() => d.push('0123456789'), /longer than 8 bytes/);
});
