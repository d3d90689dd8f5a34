import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeBody, findDuplicateKeys, MAX_DEPTH } from './decode.js';

const CONFIGMAP = { group: '', version: 'v1', kind: 'ConfigMap' };

const badRequest = (err: unknown) => (err as { code?: number }).code === 400;

it('finds duplicated fields with their paths', () => {
  assert.deepEqual(findDuplicateKeys('{"a":1,"b":{"c":1,"c":2},"d":[{"x":1,"x":2},{"y":"a\\"b","y":3}],"a":5}'), ['b.c', 'd[0].x', 'd[1].y', 'a']);
  assert.deepEqual(findDuplicateKeys('{"a":"{\\"a\\":1,\\"a\\":2}"}'), [], 'keys inside strings are not keys');
  assert.deepEqual(findDuplicateKeys('[{"a":1, "a":2}]'), ['[0].a']);
  assert.deepEqual(findDuplicateKeys('{"m":{"x":[[1],[{"k":1,\n "k":2}]]},"\\u0061":1,"a":2}'), ['m.x[1][0].k', 'a']);
  assert.deepEqual(findDuplicateKeys('{"a\\\\":{"b":1,"b":2}, "c":"\\\\"}'), ['a\\.b']);
});

it('refuses nesting deeper than Go allows, without exhausting the stack', () => {
  assert.throws(() => decodeBody(Buffer.from('{"data":{"a":' + '['.repeat(MAX_DEPTH + 5)), 'application/json', CONFIGMAP), badRequest);
  assert.throws(() => decodeBody(Buffer.from('a: ' + '['.repeat(MAX_DEPTH + 5)), 'application/yaml', CONFIGMAP), badRequest);
});

it('answers malformed JSON and YAML with 400, and unknown media types with 415', () => {
  assert.throws(() => decodeBody(Buffer.from('{"kind":'), 'application/json', CONFIGMAP), badRequest);
  assert.throws(() => decodeBody(Buffer.from('metadata: {name: y1}\ndata: {a: *nope}\n'), 'application/yaml', CONFIGMAP), badRequest);
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
  assert.throws(() => decodeBody(Buffer.from(bomb.join('\n')), 'application/yaml', CONFIGMAP), badRequest);
  assert.throws(() => decodeBody(Buffer.from('x'), 'text/plain', CONFIGMAP), (err: unknown) => (err as { code?: number }).code === 415);
});

it('refuses deeply nested YAML flow collections before parsing them', () => {
  const started = Date.now();
  assert.throws(() => decodeBody(Buffer.from('a: ' + '['.repeat(500_000)), 'application/yaml', CONFIGMAP), badRequest);
  assert.ok(Date.now() - started < 2000, 'refused quickly');
  assert.deepEqual(decodeBody(Buffer.from('a: "[[[["\nb: [1, {c: 2}]\n'), 'application/yaml', CONFIGMAP).value, { a: '[[[[', b: [1, { c: 2 }] });
});

it('decodes protobuf for built-in kinds and refuses it (415) for custom resources', () => {
  const proto = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from('0a0f0a0276311209436f6e6669674d617012070a050a03636d31', 'hex')]);
  assert.deepEqual(decodeBody(proto, 'application/vnd.kubernetes.protobuf', CONFIGMAP).value, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' } });
  const custom = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
  assert.throws(() => decodeBody(proto, 'application/vnd.kubernetes.protobuf', custom), (err: unknown) => {
    const e = err as { code?: number; message?: string };
    return e.code === 415 && !/protobuf/.test(e.message ?? '');
  });
  assert.throws(() => decodeBody(proto, 'text/plain', CONFIGMAP), /application\/json, application\/yaml, application\/vnd\.kubernetes\.protobuf/);
});
