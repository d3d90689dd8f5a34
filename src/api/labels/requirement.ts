// One label-selector requirement (labels.Requirement): a key, an operator and values; its
// validation as labels.NewRequirement does it, its matching rule, and its string form.

import * as field from '../field-errors.js';
import type { FieldError, FieldPath } from '../field-errors.js';
import { aggregateMessage, childOf } from '../field-errors.js';
import { compareGoStrings } from '../go-format.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { LabelSelectorError } from './errors.js';

/** selection.Operator values. */
export const Operator = {
  DoesNotExist: '!',
  Equals: '=',
  DoubleEquals: '==',
  In: 'in',
  NotEquals: '!=',
  NotIn: 'notin',
  Exists: 'exists',
  GreaterThan: 'gt',
  LessThan: 'lt',
} as const;
export type Operator = (typeof Operator)[keyof typeof Operator];

const BINARY_OPERATORS: readonly string[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const VALID_OPERATORS: readonly string[] = [...BINARY_OPERATORS, 'exists', '!'];

/** The binary operators as listed in parse errors. */
export const BINARY_OPERATORS_TEXT = BINARY_OPERATORS.join(', ');

export type Labels = Readonly<Record<string, string>>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64), or undefined when s is not a base-10 int64. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function has(labels: Labels | undefined, key: string): labels is Labels {
  return labels !== undefined && Object.prototype.hasOwnProperty.call(labels, key);
}

/** Validates a label key the way the selector parser does (messages joined with "; "). */
export function validateLabelKey(key: string, p: FieldPath | undefined): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? field.invalid(p, key, errs.join('; ')) : undefined;
}

function validateLabelValue(key: string, value: string, p: FieldPath): FieldError | undefined {
  const errs = isValidLabelValue(value);
  return errs.length ? field.invalid(p.key(key), value, errs.join('; ')) : undefined;
}

export class Requirement {
  /** Use newRequirement() to build a validated one. */
  constructor(
    readonly key: string,
    readonly operator: Operator,
    readonly values: readonly string[],
  ) {}

  /** Whether the labels satisfy this requirement. */
  matches(labels: Labels | undefined): boolean {
    switch (this.operator) {
      case Operator.In:
      case Operator.Equals:
      case Operator.DoubleEquals:
        return has(labels, this.key) && this.values.includes(labels[this.key]!);
      case Operator.NotIn:
      case Operator.NotEquals:
        return !has(labels, this.key) || !this.values.includes(labels[this.key]!);
      case Operator.Exists:
        return has(labels, this.key);
      case Operator.DoesNotExist:
        return !has(labels, this.key);
      case Operator.GreaterThan:
      case Operator.LessThan: {
        if (!has(labels, this.key)) return false;
        const actual = parseInt64(labels[this.key]!);
        if (actual === undefined || this.values.length !== 1) return false;
        const bound = parseInt64(this.values[0]!);
        if (bound === undefined) return false;
        return this.operator === Operator.GreaterThan ? actual > bound : actual < bound;
      }
      default:
        return false;
    }
  }

  /** The selector syntax for this requirement: "x in (a,b)", "!y", "z!=c". */
  toString(): string {
    let s = this.operator === Operator.DoesNotExist ? '!' + this.key : this.key;
    switch (this.operator) {
      case Operator.Equals: s += '='; break;
      case Operator.DoubleEquals: s += '=='; break;
      case Operator.NotEquals: s += '!='; break;
      case Operator.In: s += ' in '; break;
      case Operator.NotIn: s += ' notin '; break;
      case Operator.GreaterThan: s += '>'; break;
      case Operator.LessThan: s += '<'; break;
      case Operator.Exists:
      case Operator.DoesNotExist:
        return s;
    }
    const paren = this.operator === Operator.In || this.operator === Operator.NotIn;
    const values = this.values.length === 1 ? this.values[0]! : [...this.values].sort(compareGoStrings).join(',');
    return paren ? `${s}(${values})` : s + values;
  }

  equals(other: Requirement): boolean {
    return (
      this.key === other.key &&
      this.operator === other.operator &&
      this.values.length === other.values.length &&
      this.values.every((v, i) => v === other.values[i])
    );
  }
}

/** The field errors labels.NewRequirement would report; empty when the requirement is valid. */
export function requirementErrors(key: string, op: string, values: readonly string[], p?: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const keyErr = validateLabelKey(key, childOf(p, 'key'));
  if (keyErr) errs.push(keyErr);
  const valuePath = childOf(p, 'values');
  switch (op) {
    case Operator.In:
    case Operator.NotIn:
      if (values.length === 0) errs.push(field.invalid(valuePath, [...values], "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case Operator.Equals:
    case Operator.DoubleEquals:
    case Operator.NotEquals:
      if (values.length !== 1) errs.push(field.invalid(valuePath, [...values], 'exact-match compatibility requires one single value'));
      break;
    case Operator.Exists:
    case Operator.DoesNotExist:
      if (values.length !== 0) errs.push(field.invalid(valuePath, [...values], 'values set must be empty for exists and does not exist'));
      break;
    case Operator.GreaterThan:
    case Operator.LessThan:
      if (values.length !== 1) errs.push(field.invalid(valuePath, [...values], "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(field.invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      errs.push(field.notSupported(childOf(p, 'operator'), op, VALID_OPERATORS));
  }
  values.forEach((v, i) => {
    const e = validateLabelValue(key, v, valuePath.index(i));
    if (e) errs.push(e);
  });
  return errs;
}

/** labels.NewRequirement: a validated requirement; throws LabelSelectorError when invalid. */
export function newRequirement(key: string, op: Operator | string, values: readonly string[], p?: FieldPath): Requirement {
  const errs = requirementErrors(key, op, values, p);
  if (errs.length > 0) throw new LabelSelectorError(aggregateMessage(errs), errs);
  return new Requirement(key, op as Operator, [...values]);
}
