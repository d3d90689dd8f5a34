import assert from 'node:assert/strict';
import { it } from 'node:test';
import { embeddedJson, goDuration, toNumber, wellKnown } from './well-known.js';

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1.';
const convert = (name: string, m: Record<string, unknown>): unknown => {
  const f = wellKnown(name);
  assert.ok(f, name);
  return f(m, () => assert.fail('no nested schemas here'));
};

it("formats durations as Go's time.Duration.String does", () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ns'],
    [1_500, '1.5µs'],
    [2_000_000, '2ms'],
    [1_250_000, '1.25ms'],
    [1e9, '1s'],
    [1.5e9, '1.5s'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [3723.000_000_001e9, '1h2m3.000000001s'],
    [-5e9, '-5s'],
  ];
  for (const [nanos, text] of cases) assert.equal(goDuration(nanos), text, String(nanos));
});

it('writes Time to the second and MicroTime to the microsecond, in UTC; an empty message is null', () => {
  assert.equal(convert(`${META}Time`, { seconds: 1714557600, nanos: 999_999_999 }), '2024-05-01T10:00:00Z');
  assert.equal(convert(`${META}Time`, {}), undefined);
  assert.equal(convert(`${META}MicroTime`, { seconds: 1714557600, nanos: 5_000 }), '2024-05-01T10:00:00.000005Z');
  assert.equal(convert(`${META}MicroTime`, { seconds: 1714557600 }), '2024-05-01T10:00:00.000000Z');
  assert.equal(convert(`${META}Duration`, { duration: 300e9 }), '5m0s');
  assert.equal(convert(`${META}Time`, { seconds: -62_135_596_800 }), '0001-01-01T00:00:00Z');
  assert.throws(() => convert(`${META}Time`, { seconds: 253_402_300_800 }), (err: unknown) => (err as { code?: number }).code === 400);
});

it('writes IntOrString as a number or a string, Quantity as its string', () => {
  const ios = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
  assert.equal(convert(ios, { type: 0, intVal: 8080 }), 8080);
  assert.equal(convert(ios, { type: 1, strVal: 'http' }), 'http');
  assert.equal(convert(ios, {}), 0);
  assert.equal(convert('.k8s.io.apimachinery.pkg.api.resource.Quantity', { string: '250m' }), '250m');
  assert.equal(convert('.k8s.io.apimachinery.pkg.api.resource.Quantity', {}), '0');
});

it('embeds JSON bytes, refusing what is not JSON', () => {
  assert.deepEqual(embeddedJson(Buffer.from('{"a":[1]}'), 'x'), { a: [1] });
  assert.equal(embeddedJson(new Uint8Array(), 'x'), undefined);
  assert.throws(() => embeddedJson(Buffer.from('k8s\0'), 'x'), (err: unknown) => (err as { code?: number }).code === 400);
});

it('reads int64 values given as Longs or numbers', () => {
  assert.equal(toNumber({ toNumber: () => 42 }), 42);
  assert.equal(toNumber(7), 7);
  assert.equal(toNumber(undefined), 0);
});
