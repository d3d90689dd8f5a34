import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QuantityFormat } from './quantity.js';
import { ERR_FORMAT_WRONG, ERR_SUFFIX, Quantity, QuantityError, compareQuantities, parseQuantity } from './quantity.js';

const MAX_INT64 = 2n ** 63n - 1n;

/** decQuantity(value, scale, format) from quantity_test.go, as nano-units. */
function dec(value: number | bigint, scale: number, format: QuantityFormat): [bigint, QuantityFormat] {
  const v = BigInt(value);
  const nanos = scale + 9 >= 0 ? v * 10n ** BigInt(scale + 9) : v / 10n ** BigInt(-(scale + 9));
  return [nanos, format];
}

const PARSE_TABLE: Array<[string, [bigint, QuantityFormat]]> = [
  ['0', dec(0, 0, 'DecimalSI')], ['0n', dec(0, 0, 'DecimalSI')], ['0u', dec(0, 0, 'DecimalSI')], ['0m', dec(0, 0, 'DecimalSI')],
  ['0Ki', dec(0, 0, 'BinarySI')], ['0k', dec(0, 0, 'DecimalSI')], ['0Mi', dec(0, 0, 'BinarySI')], ['0M', dec(0, 0, 'DecimalSI')],
  ['0Gi', dec(0, 0, 'BinarySI')], ['0G', dec(0, 0, 'DecimalSI')], ['0Ti', dec(0, 0, 'BinarySI')], ['0T', dec(0, 0, 'DecimalSI')],
  ['1', dec(1, 0, 'DecimalSI')],
  ['1Ki', dec(1024, 0, 'BinarySI')], ['8Ki', dec(8 * 1024, 0, 'BinarySI')], ['7Mi', dec(7 * 1024 * 1024, 0, 'BinarySI')],
  ['6Gi', dec(6n * 1024n ** 3n, 0, 'BinarySI')], ['5Ti', dec(5n * 1024n ** 4n, 0, 'BinarySI')], ['4Pi', dec(4n * 1024n ** 5n, 0, 'BinarySI')],
  ['3Ei', dec(3n * 1024n ** 6n, 0, 'BinarySI')], ['10Ti', dec(10n * 1024n ** 4n, 0, 'BinarySI')], ['100Ti', dec(100n * 1024n ** 4n, 0, 'BinarySI')],
  ['5n', dec(5, -9, 'DecimalSI')], ['4u', dec(4, -6, 'DecimalSI')], ['3m', dec(3, -3, 'DecimalSI')], ['9', dec(9, 0, 'DecimalSI')],
  ['8k', dec(8, 3, 'DecimalSI')], ['50k', dec(5, 4, 'DecimalSI')], ['7M', dec(7, 6, 'DecimalSI')], ['6G', dec(6, 9, 'DecimalSI')],
  ['5T', dec(5, 12, 'DecimalSI')], ['40T', dec(4, 13, 'DecimalSI')], ['300T', dec(3, 14, 'DecimalSI')], ['2P', dec(2, 15, 'DecimalSI')],
  ['1E', dec(1, 18, 'DecimalSI')],
  ['1E-3', dec(1, -3, 'DecimalExponent')], ['1e3', dec(1, 3, 'DecimalExponent')], ['1E6', dec(1, 6, 'DecimalExponent')],
  ['1e9', dec(1, 9, 'DecimalExponent')], ['1E12', dec(1, 12, 'DecimalExponent')], ['1e15', dec(1, 15, 'DecimalExponent')],
  ['1E18', dec(1, 18, 'DecimalExponent')], ['1e14', dec(1, 14, 'DecimalExponent')], ['1e13', dec(1, 13, 'DecimalExponent')],
  ['100.035k', dec(100035, 0, 'DecimalSI')],
  ['0.001', dec(1, -3, 'DecimalSI')], ['0.0005k', dec(5, -1, 'DecimalSI')], ['0.005', dec(5, -3, 'DecimalSI')], ['0.05', dec(5, -2, 'DecimalSI')],
  ['0.5', dec(5, -1, 'DecimalSI')], ['0.00050k', dec(5, -1, 'DecimalSI')], ['0.00500', dec(5, -3, 'DecimalSI')], ['0.05000', dec(5, -2, 'DecimalSI')],
  ['0.50000', dec(5, -1, 'DecimalSI')], ['0.5e0', dec(5, -1, 'DecimalExponent')], ['0.5e-1', dec(5, -2, 'DecimalExponent')],
  ['0.5e-2', dec(5, -3, 'DecimalExponent')], ['10.035M', dec(10035, 3, 'DecimalSI')],
  ['1.2e3', dec(12, 2, 'DecimalExponent')], ['1.3E+6', dec(13, 5, 'DecimalExponent')], ['1.40e9', dec(14, 8, 'DecimalExponent')],
  ['1.53E12', dec(153, 10, 'DecimalExponent')], ['1.6e15', dec(16, 14, 'DecimalExponent')], ['1.7E18', dec(17, 17, 'DecimalExponent')],
  ['9.01', dec(901, -2, 'DecimalSI')], ['8.1k', dec(81, 2, 'DecimalSI')], ['7.123456M', dec(7123456, 0, 'DecimalSI')],
  ['6.987654321G', dec(6987654321, 0, 'DecimalSI')], ['5.444T', dec(5444, 9, 'DecimalSI')], ['40.1T', dec(401, 11, 'DecimalSI')],
  ['300.2T', dec(3002, 11, 'DecimalSI')], ['2.5P', dec(25, 14, 'DecimalSI')], ['1.01E', dec(101, 16, 'DecimalSI')],
  ['3.001n', dec(4, -9, 'DecimalSI')], ['1.1E-9', dec(2, -9, 'DecimalExponent')], ['0.0000000001', dec(1, -9, 'DecimalSI')],
  ['0.0000000005', dec(1, -9, 'DecimalSI')], ['0.00000000050', dec(1, -9, 'DecimalSI')], ['0.5e-9', dec(1, -9, 'DecimalExponent')],
  ['0.9n', dec(1, -9, 'DecimalSI')], ['0.00000012345', dec(124, -9, 'DecimalSI')], ['0.00000012354', dec(124, -9, 'DecimalSI')],
  ['9Ei', [MAX_INT64 * 1_000_000_000n, 'BinarySI']], ['9223372036854775807Ki', [MAX_INT64 * 1_000_000_000n, 'BinarySI']],
  ['12E', dec(12, 18, 'DecimalSI')],
  ['100.035Ki', dec(10243584, -2, 'BinarySI')], ['0.5Mi', dec(0.5 * 1024 * 1024, 0, 'BinarySI')], ['0.05Gi', dec(536870912, -1, 'BinarySI')],
  ['0.025Ti', dec(274877906944, -1, 'BinarySI')],
  ['0.000000000001Ki', dec(2, -9, 'DecimalSI')], ['.001', dec(1, -3, 'DecimalSI')], ['.0001k', dec(100, -3, 'DecimalSI')],
  ['1.', dec(1, 0, 'DecimalSI')], ['1.G', dec(1, 9, 'DecimalSI')],
];

test('parse table (TestQuantityParse), with - and + variants', () => {
  for (const [input, [nanos, format]] of PARSE_TABLE) {
    const q = parseQuantity(input);
    assert.equal(q.nanos, nanos, input);
    assert.equal(q.format, format, input);
    const neg = parseQuantity('-' + input);
    assert.equal(neg.nanos, -nanos, '-' + input);
    assert.equal(neg.format, format, '-' + input);
    const pos = parseQuantity('+' + input);
    assert.equal(pos.nanos, nanos, '+' + input);
  }
});

test('invalid quantities', () => {
  assert.throws(() => parseQuantity(''), { message: ERR_FORMAT_WRONG });
  for (const s of ['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ']) {
    assert.throws(() => parseQuantity(s), QuantityError, s);
  }
  assert.throws(() => parseQuantity('aoeu'), {
    message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  });
  assert.throws(() => parseQuantity('1 '), { message: ERR_FORMAT_WRONG });
  assert.throws(() => parseQuantity('0.1mi'), { message: ERR_SUFFIX });
  assert.throws(() => parseQuantity('1Mb'), { message: ERR_FORMAT_WRONG });
});

const STRING_TABLE: Array<[[bigint, QuantityFormat], string, string]> = [
  [dec(1024 * 1024 * 1024, 0, 'BinarySI'), '1Gi', '1024Mi'],
  [dec(300 * 1024 * 1024, 0, 'BinarySI'), '300Mi', '307200Ki'],
  [dec(6 * 1024, 0, 'BinarySI'), '6Ki', ''],
  [dec(1001n * 1024n ** 3n, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
  [dec(1024n ** 4n, 0, 'BinarySI'), '1Ti', '1024Gi'],
  [dec(5, 0, 'BinarySI'), '5', '5000m'],
  [dec(500, -3, 'BinarySI'), '500m', '0.5'],
  [dec(1, 9, 'DecimalSI'), '1G', '1000M'],
  [dec(1000, 6, 'DecimalSI'), '1G', '0.001T'],
  [dec(1000000, 3, 'DecimalSI'), '1G', ''],
  [dec(1000000000, 0, 'DecimalSI'), '1G', ''],
  [dec(1, -3, 'DecimalSI'), '1m', '1000u'],
  [dec(80, -3, 'DecimalSI'), '80m', ''],
  [dec(1080, -3, 'DecimalSI'), '1080m', '1.08'],
  [dec(108, -2, 'DecimalSI'), '1080m', '1080000000n'],
  [dec(10800, -4, 'DecimalSI'), '1080m', ''],
  [dec(300, 6, 'DecimalSI'), '300M', ''],
  [dec(1, 12, 'DecimalSI'), '1T', ''],
  [dec(1234567, 6, 'DecimalSI'), '1234567M', ''],
  [dec(1234567, -3, 'BinarySI'), '1234567m', ''],
  [dec(3, 3, 'DecimalSI'), '3k', ''],
  [dec(1025, 0, 'BinarySI'), '1025', ''],
  [dec(0, 0, 'DecimalSI'), '0', ''],
  [dec(0, 0, 'BinarySI'), '0', ''],
  [dec(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
  [dec(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
  [dec(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
  [dec(80, -3, 'DecimalExponent'), '80e-3', ''],
  [dec(300, 6, 'DecimalExponent'), '300e6', ''],
  [dec(1, 12, 'DecimalExponent'), '1e12', ''],
  [dec(1, 3, 'DecimalExponent'), '1e3', ''],
  [dec(3, 3, 'DecimalExponent'), '3e3', ''],
  [dec(3, 3, 'DecimalSI'), '3k', ''],
  [dec(0, 0, 'DecimalExponent'), '0', '00'],
  [dec(1, -9, 'DecimalSI'), '1n', ''],
  [dec(80, -9, 'DecimalSI'), '80n', ''],
  [dec(1080, -9, 'DecimalSI'), '1080n', ''],
  [dec(108, -8, 'DecimalSI'), '1080n', ''],
  [dec(1, -6, 'DecimalSI'), '1u', ''],
  [dec(80, -6, 'DecimalSI'), '80u', ''],
  [dec(1080, -6, 'DecimalSI'), '1080u', ''],
];

test('canonical strings (TestQuantityString)', () => {
  for (const [[nanos, format], expect, alternate] of STRING_TABLE) {
    const q = Quantity.fromNanos(nanos, format);
    assert.equal(q.toString(), expect, `${nanos} ${format}`);
    assert.equal(parseQuantity(expect).toString(), expect, `reparse ${expect}`);
    if (alternate) assert.equal(parseQuantity(alternate).toString(), expect, `alternate ${alternate}`);
    if (nanos !== 0n) assert.equal(Quantity.fromNanos(-nanos, format).toString(), '-' + expect, `negative ${expect}`);
  }
});

test('parse then emit (TestQuantityParseEmit)', () => {
  const cases: Array<[string, string]> = [
    ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'], ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
  ];
  for (const [input, want] of cases) {
    assert.equal(parseQuantity(input).toString(), want, input);
    assert.equal(parseQuantity('-' + input).toString(), '-' + want, '-' + input);
  }
});

test('canonical forms kubectl users see', () => {
  const cases: Array<[string, string]> = [
    ['100m', '100m'], ['1000m', '1'], ['1024Mi', '1Gi'], ['0.5', '500m'], ['1.5', '1500m'], ['2e3', '2e3'], ['1k', '1k'],
    ['1.5Gi', '1536Mi'], ['0.1', '100m'], ['250m', '250m'], ['128974848', '128974848'], ['129e6', '129e6'], ['129M', '129M'],
    ['123Mi', '123Mi'], ['1500k', '1500k'], ['1.5k', '1500'], ['0.0001', '100u'], ['-0', '0'], ['10Gi', '10Gi'],
    ['+1', '+1'], ['010', '010'], ['1000E', '1e21'],
  ];
  for (const [input, want] of cases) assert.equal(parseQuantity(input).toString(), want, input);
  assert.equal(JSON.stringify({ cpu: parseQuantity('1000m') }), '{"cpu":"1"}');
});

test('arithmetic and comparison', () => {
  const a = parseQuantity('100m');
  const b = parseQuantity('1');
  assert.equal(a.add(b).toString(), '1100m');
  assert.equal(b.sub(a).toString(), '900m');
  assert.equal(a.sub(b).toString(), '-900m');
  assert.equal(a.cmp(b), -1);
  assert.equal(b.cmp(a), 1);
  assert.equal(parseQuantity('1000m').cmp(b), 0);
  assert.equal(compareQuantities(parseQuantity('1Gi'), parseQuantity('1G')), 1);
  assert.ok(parseQuantity('1Ki').equal(parseQuantity('1024')));
  assert.equal(Quantity.of(0).add(parseQuantity('1Gi')).toString(), '1Gi', 'zero takes the other format');
  assert.equal(parseQuantity('1Gi').add(parseQuantity('512Mi')).toString(), '1536Mi');
  assert.equal(parseQuantity('1Gi').sub(parseQuantity('1Gi')).toString(), '0');
  assert.equal(parseQuantity('9.01').neg().toString(), '-9010m');
  assert.equal(parseQuantity('2Gi').mul(3).toString(), '6Gi');
  assert.equal(a.sign(), 1);
  assert.equal(a.neg().sign(), -1);
  assert.ok(Quantity.of(0).isZero());
});

test('value and milliValue round up in magnitude', () => {
  assert.equal(parseQuantity('100m').value(), 1);
  assert.equal(parseQuantity('100m').milliValue(), 100);
  assert.equal(parseQuantity('1Gi').value(), 1073741824);
  assert.equal(parseQuantity('1Gi').milliValue(), 1073741824000);
  assert.equal(parseQuantity('1.5').value(), 2);
  assert.equal(parseQuantity('-1.5').value(), -2);
  assert.equal(parseQuantity('0.1m').milliValue(), 1);
  assert.equal(parseQuantity('1n').milliValue(), 1);
  assert.equal(parseQuantity('2').milliValue(), 2000);
  assert.equal(parseQuantity('9Ei').valueBig(), MAX_INT64);
  assert.equal(parseQuantity('9.01').scaledValue(-1), 91n);
  assert.equal(parseQuantity('9.01').scaledValue(2), 1n);
  assert.equal(parseQuantity('1.5').asApproximateFloat64(), 1.5);
});

test('constructors (TestMilliNewSet, TestNewSet)', () => {
  assert.equal(Quantity.milli(1).toString(), '1m');
  assert.equal(Quantity.milli(1000).toString(), '1');
  assert.equal(Quantity.milli(1234000).toString(), '1234');
  assert.equal(Quantity.milli(1024, 'BinarySI').toString(), '1024m');
  assert.equal(Quantity.milli(1024 * 1024, 'BinarySI').toString(), '1048576m');
  assert.equal(Quantity.of(1).toString(), '1');
  assert.equal(Quantity.of(1000).toString(), '1k');
  assert.equal(Quantity.of(1024, 'BinarySI').toString(), '1Ki');
  assert.equal(Quantity.of(1000000, 'DecimalExponent').toString(), '1e6');
  assert.equal(Quantity.scaled(5, 3).toString(), '5k');
  assert.equal(Quantity.scaled(5, -12).toString(), '1n');
  assert.throws(() => Quantity.of(1.5), QuantityError);
});

test('JSON values (TestJSONWhitespace)', () => {
  const cases: Array<[unknown, string]> = [[' 1', '1'], ['1 ', '1'], [1, '1'], [10, '10'], [-1, '-1'], ['100m', '100m']];
  for (const [v, want] of cases) assert.equal(Quantity.fromJSON(v).toString(), want, String(v));
  assert.throws(() => Quantity.fromJSON(null), QuantityError);
  assert.throws(() => Quantity.fromJSON({}), QuantityError);
});

test('exponent guard', () => {
  assert.equal(parseQuantity('1e-999999').toString(), '1e-9');
  assert.throws(() => parseQuantity('1e999999'), QuantityError);
  assert.equal(parseQuantity('1e1000').toString(), '10e999'); // exponents are floored to multiples of 3
});
