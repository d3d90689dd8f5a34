// resource.Quantity: an exact decimal amount (CPU, memory, storage...) held as a BigInt count of
// nano-units, with Kubernetes' parsing, canonical string form, comparison and arithmetic.

import type { QuantityFormat } from './quantity-parse.js';
import { NANOS_PER_UNIT, QuantityError, canonicalQuantityString, parseQuantityString } from './quantity-parse.js';

export type { QuantityFormat } from './quantity-parse.js';
export { ERR_FORMAT_WRONG, ERR_NUMERIC, ERR_SUFFIX, QuantityError } from './quantity-parse.js';

/** Rounds value / 10^k away from zero (Kubernetes rounds scaled values up in magnitude). */
function divRoundAway(value: bigint, k: number): bigint {
  if (k <= 0) return value * 10n ** BigInt(-k);
  const d = 10n ** BigInt(k);
  const q = value / d;
  if (value % d === 0n) return q;
  return value > 0n ? q + 1n : q - 1n;
}

function toBig(v: number | bigint): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new QuantityError(`quantity value must be a safe integer, got ${v}`);
  return BigInt(v);
}

export class Quantity {
  private constructor(
    /** The exact amount in units of 10^-9. */
    readonly nanos: bigint,
    /** How the amount is written: DecimalSI (1k, 500m), BinarySI (1Gi) or DecimalExponent (1e3). */
    readonly format: QuantityFormat,
    private cached: string | undefined,
  ) {}

  /** resource.ParseQuantity; throws QuantityError with Kubernetes' message. */
  static parse(s: string): Quantity {
    const p = parseQuantityString(s);
    return new Quantity(p.nanos, p.format, p.cached);
  }

  /** Parses a JSON value as Quantity.UnmarshalJSON does (strings trimmed, numbers accepted). */
  static fromJSON(v: unknown): Quantity {
    if (typeof v === 'number' && Number.isFinite(v)) return Quantity.parse(String(v));
    if (typeof v === 'string') return Quantity.parse(v.trim());
    throw new QuantityError(`cannot unmarshal ${v === null ? 'null' : typeof v} into a quantity`);
  }

  /** resource.NewQuantity: a whole number of units. */
  static of(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBig(value) * NANOS_PER_UNIT, format, undefined);
  }

  /** resource.NewMilliQuantity: a number of thousandths. */
  static milli(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBig(value) * 1_000_000n, format, undefined);
  }

  /** resource.NewScaledQuantity: value × 10^scale, DecimalSI (sub-nano amounts round up). */
  static scaled(value: number | bigint, scale: number): Quantity {
    return new Quantity(divRoundAway(toBig(value), -(scale + 9)), 'DecimalSI', undefined);
  }

  /** An amount held in nano-units. */
  static fromNanos(nanos: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(nanos, format, undefined);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than other. */
  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  equal(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  /** this + other; the format is this one's unless this is zero (as Quantity.Add). */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.isZero() ? other.format : this.format, undefined);
  }

  /** this − other; the format is this one's unless this is zero (as Quantity.Sub). */
  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.isZero() ? other.format : this.format, undefined);
  }

  /** this × n (Quantity.Mul). */
  mul(n: number | bigint): Quantity {
    return new Quantity(this.nanos * toBig(n), this.format, undefined);
  }

  neg(): Quantity {
    return new Quantity(-this.nanos, this.format, undefined);
  }

  /** The amount in units of 10^scale, rounded away from zero (Quantity.ScaledValue). */
  scaledValue(scale: number): bigint {
    return divRoundAway(this.nanos, scale + 9);
  }

  /** Whole units, rounded up in magnitude (Quantity.Value); exact up to 2^53. */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** Thousandths, rounded up in magnitude (Quantity.MilliValue); exact up to 2^53. */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  /** Whole units as a BigInt, for amounts beyond 2^53. */
  valueBig(): bigint {
    return this.scaledValue(0);
  }

  /** The amount as a float (Quantity.AsApproximateFloat64). */
  asApproximateFloat64(): number {
    const whole = this.nanos / NANOS_PER_UNIT;
    const frac = this.nanos % NANOS_PER_UNIT;
    return Number(whole) + Number(frac) / 1e9;
  }

  /** The canonical form Kubernetes serializes: "100m", "1Gi", "1500", "1e3". */
  toString(): string {
    if (this.cached === undefined) this.cached = canonicalQuantityString(this.nanos, this.format);
    return this.cached;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** resource.ParseQuantity. */
export function parseQuantity(s: string): Quantity {
  return Quantity.parse(s);
}

/** Compares two quantities: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.cmp(b);
}
