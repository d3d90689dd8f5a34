// Parsing of resource.Quantity strings ("100m", "1.5Gi", "2e3") as apimachinery's ParseQuantity
// does it: the same grammar, suffixes, rounding up to nano-units, BinarySI clamping, and the same
// rule for when the input string is kept as the canonical form.

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

export const NANOS_PER_UNIT = 1_000_000_000n;
const MAX_INT64 = 2n ** 63n - 1n;
// Kite refuses decimal exponents beyond this (Kubernetes would build an arbitrarily large number).
const MAX_DECIMAL_EXPONENT = 1000;

export interface ParsedQuantity {
  nanos: bigint;
  format: QuantityFormat;
  /** The input, when Kubernetes keeps it as the quantity's string form. */
  cached?: string;
}

interface Parts {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

// parseQuantityString: sign, integer digits (leading zeros dropped), fraction digits, suffix.
function splitQuantity(str: string): Parts {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end && (str[0] === '-' || str[0] === '+')) {
    positive = str[0] !== '-';
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, num, denom: '', suffix: '' };
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, num, denom, suffix: '' };
    pos = i;
  }
  const suffixStart = pos;
  i = pos;
  while (i < end && 'eEinumkKMGTP'.includes(str[i]!)) i++;
  if (i >= end) return { positive, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, num, denom, suffix: str.slice(suffixStart) };
  throw new QuantityError(ERR_FORMAT_WRONG);
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

function interpretSuffix(s: string): Suffix {
  if (Object.prototype.hasOwnProperty.call(DECIMAL_SUFFIXES, s)) return { base: 10, exponent: DECIMAL_SUFFIXES[s]!, format: 'DecimalSI' };
  if (Object.prototype.hasOwnProperty.call(BINARY_SUFFIXES, s)) return { base: 2, exponent: BINARY_SUFFIXES[s]!, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'E' || s[0] === 'e') && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    const exponent = Number(s.slice(1));
    if (Math.abs(exponent) <= MAX_DECIMAL_EXPONENT) return { base: 10, exponent, format: 'DecimalExponent' };
    if (exponent > 0) throw new QuantityError(ERR_NUMERIC);
    return { base: 10, exponent: -(MAX_DECIMAL_EXPONENT + 1), format: 'DecimalExponent' }; // rounds up to 1n anyway
  }
  throw new QuantityError(ERR_SUFFIX);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** Divides a non-negative numerator by 10^k, rounding up. */
function ceilDivPow10(n: bigint, k: number): bigint {
  if (n === 0n) return 0n;
  if (k > n.toString().length) return 1n;
  const d = 10n ** BigInt(k);
  return (n + d - 1n) / d;
}

/** resource.ParseQuantity. Throws QuantityError with Kubernetes' message when malformed. */
export function parseQuantityString(str: string): ParsedQuantity {
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return { nanos: 0n, format: 'DecimalSI', cached: str };
  const { positive, num, denom, suffix } = splitQuantity(str);
  const { base, exponent, format: parsedFormat } = interpretSuffix(suffix);
  let format = parsedFormat;
  const digits = BigInt(num + denom);

  // Kubernetes' int64 fast path: only decides whether the input string is kept as canonical.
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const result = digits * mantissa;
      if (result <= MAX_INT64) {
        const nanos = (positive ? result : -result) * 10n ** BigInt(scale + 9);
        const shifted = num + denom;
        const keep = format === 'BinarySI'
          ? exponent % 10 === 0 && (digits & 7n) !== 0n
          : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return keep ? { nanos, format, cached: str } : { nanos, format };
      }
    }
  }

  // Exact decimal path: scale, round the magnitude up to nano-units, clamp BinarySI to int64.
  const pow10 = (base === 10 ? exponent : 0) - denom.length + 9;
  const twos = base === 2 ? 1n << BigInt(exponent) : 1n;
  let magnitude = pow10 >= 0 ? digits * twos * 10n ** BigInt(pow10) : ceilDivPow10(digits * twos, -pow10);
  if (format === 'BinarySI' && magnitude > MAX_INT64 * NANOS_PER_UNIT) magnitude = MAX_INT64 * NANOS_PER_UNIT;
  if (format === 'BinarySI' && magnitude > 0n && magnitude < NANOS_PER_UNIT) format = 'DecimalSI';
  return { nanos: positive ? magnitude : -magnitude, format };
}

const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

/** Quantity.CanonicalizeBytes: the canonical string of a value held in nano-units. */
export function canonicalQuantityString(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  let f = format;
  if (f === 'BinarySI') {
    const limit = 1024n * NANOS_PER_UNIT;
    if ((nanos > -limit && nanos < limit) || nanos % NANOS_PER_UNIT !== 0n) f = 'DecimalSI';
  }
  if (f === 'BinarySI') {
    let v = nanos / NANOS_PER_UNIT;
    let e = 0;
    while (abs(v) >= 1024n && v % 1024n === 0n && BINARY_BY_EXPONENT.has((e + 1) * 10)) {
      v /= 1024n;
      e++;
    }
    return `${v}${e === 0 ? '' : BINARY_BY_EXPONENT.get(e * 10)}`;
  }
  let m = nanos;
  let e = -9;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  if (f === 'DecimalExponent') return e === 0 ? `${m}` : `${m}e${e}`;
  const suffix = DECIMAL_BY_EXPONENT.get(e);
  // Kubernetes prints no suffix beyond E (10^18), losing the magnitude; Kite writes an exponent.
  return suffix === undefined ? `${m}e${e}` : `${m}${suffix}`;
}
