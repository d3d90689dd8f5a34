// field.Error / field.ErrorList from apimachinery's util/validation/field: one validation failure
// at a field path, its Go-identical message ("spec.replicas: Invalid value: -1: must be ..."),
// the constructors validation code uses, the aggregate message, and conversion to Status causes.

import type { FieldPath } from './field-path.js';
import { pathString } from './field-path.js';
import { goQuote } from './go-format.js';
import type { StatusCause } from './status.js';

export { FieldPath, path, childOf } from './field-path.js';

/** The machine-readable kinds of field error; they double as Status cause types. */
export const FieldErrorType = {
  NotFound: 'FieldValueNotFound',
  Required: 'FieldValueRequired',
  Duplicate: 'FieldValueDuplicate',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Internal: 'InternalError',
  TypeInvalid: 'FieldValueTypeInvalid',
} as const;
export type FieldErrorType = (typeof FieldErrorType)[keyof typeof FieldErrorType];

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** The text Go's ErrorType.String() gives ("Required value", "Invalid value", ...). */
export function fieldErrorTypeText(t: FieldErrorType): string {
  return TYPE_TEXT[t];
}

/** A bad value that is left out of the message (Go's omitValue). */
export const OMIT_VALUE: unique symbol = Symbol('omitValue');

/** One field-level validation error. */
export class FieldError {
  readonly detail: string;

  constructor(
    readonly type: FieldErrorType,
    readonly field: string,
    readonly badValue: unknown,
    detail: string,
  ) {
    // A detail can quote the client's value (a 2 MiB cron schedule): keep messages bounded.
    this.detail = detail.length > MAX_BAD_VALUE_LENGTH ? `${detail.slice(0, MAX_BAD_VALUE_LENGTH)}...(truncated)` : detail;
  }

  /** The message without the field name (Go's ErrorBody). */
  errorBody(): string {
    let s: string;
    switch (this.type) {
      case FieldErrorType.Required:
      case FieldErrorType.Forbidden:
      case FieldErrorType.TooLong:
      case FieldErrorType.Internal:
        s = TYPE_TEXT[this.type];
        break;
      default:
        s = this.badValue === OMIT_VALUE ? TYPE_TEXT[this.type] : `${TYPE_TEXT[this.type]}: ${renderBadValue(this.badValue)}`;
    }
    if (this.detail.length > 0) s += `: ${this.detail}`;
    return s;
  }

  /** "field: body", as Go's Error(). */
  toString(): string {
    return `${this.field}: ${this.errorBody()}`;
  }

  get message(): string {
    return this.toString();
  }
}

/** Longest rendering of a bad value in a message; longer ones are cut (a client's 1 MiB label
 *  value must not come back as a 1 MiB error). */
export const MAX_BAD_VALUE_LENGTH = 1024;

/** Renders a bad value as Go's ErrorBody does: strings quoted, scalars bare, nil as null. */
export function renderBadValue(value: unknown): string {
  // Quoting is per character: a 2.5 MiB string took ~100 ms to quote, once per rendering of the
  // message (several per 422), only to keep its first 1 KiB. A string's quoted form is at least
  // one character per UTF-16 unit plus the opening quote, so the quoted first MAX + 1 units
  // already reach past the cut: the result is the same, at a bounded cost.
  const rendered = typeof value === 'string' && value.length > MAX_BAD_VALUE_LENGTH ? goQuote(prefixOf(value, MAX_BAD_VALUE_LENGTH + 1)) : renderFull(value);
  return rendered.length > MAX_BAD_VALUE_LENGTH ? `${rendered.slice(0, MAX_BAD_VALUE_LENGTH)}...(truncated)` : rendered;
}

/** The first `units` UTF-16 units of `s`, plus one if the cut would split a surrogate pair. */
function prefixOf(s: string, units: number): string {
  const last = s.charCodeAt(units - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? units + 1 : units);
}

function renderFull(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return goQuote(value);
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object': {
      if (Array.isArray(value)) {
        if (value.every((v) => typeof v === 'string')) return `[]string{${value.map((v) => goQuote(v as string)).join(', ')}}`;
        return JSON.stringify(value);
      }
      const str = (value as { toString?: unknown }).toString;
      if (typeof str === 'function' && str !== Object.prototype.toString) return String(value); // a fmt.Stringer
      return JSON.stringify(value);
    }
    default:
      return String(value);
  }
}

type PathLike = FieldPath | string | undefined;

function make(type: FieldErrorType, p: PathLike, badValue: unknown, detail: string): FieldError {
  return new FieldError(type, pathString(p), badValue, detail);
}

/** field.Required: a value that must be set is missing. */
export function required(p: PathLike, detail = ''): FieldError {
  return make(FieldErrorType.Required, p, '', detail);
}

/** field.Invalid: a malformed value (failed regex, out of range, ...). */
export function invalid(p: PathLike, value: unknown, detail: string): FieldError {
  return make(FieldErrorType.Invalid, p, value, detail);
}

/** field.NotSupported: a value outside an enumeration; lists the supported values. */
export function notSupported(p: PathLike, value: unknown, validValues: readonly string[] = []): FieldError {
  const detail = validValues.length > 0 ? 'supported values: ' + validValues.map(goQuote).join(', ') : '';
  return make(FieldErrorType.NotSupported, p, value, detail);
}

/** field.Duplicate: a value that must be unique is repeated. */
export function duplicate(p: PathLike, value: unknown): FieldError {
  return make(FieldErrorType.Duplicate, p, value, '');
}

/** field.NotFound: a referenced value could not be found. */
export function notFound(p: PathLike, value: unknown): FieldError {
  return make(FieldErrorType.NotFound, p, value, '');
}

/** field.Forbidden: a well-formed value that is not permitted here. */
export function forbidden(p: PathLike, detail: string): FieldError {
  return make(FieldErrorType.Forbidden, p, '', detail);
}

/** field.TooLong: a value longer than maxLength bytes (the value itself is not shown). */
export function tooLong(p: PathLike, _value: unknown, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long';
  return make(FieldErrorType.TooLong, p, '<value omitted>', detail);
}

/** field.TooMany: a list with more than maxQuantity items (negative numbers mean unknown). */
export function tooMany(p: PathLike, actualQuantity: number, maxQuantity: number): FieldError {
  const detail = maxQuantity >= 0 ? `must have at most ${maxQuantity} items` : 'has too many items';
  return make(FieldErrorType.TooMany, p, actualQuantity >= 0 ? actualQuantity : OMIT_VALUE, detail);
}

/** field.TypeInvalid: a value of the wrong schema type. */
export function typeInvalid(p: PathLike, value: unknown, detail: string): FieldError {
  return make(FieldErrorType.TypeInvalid, p, value, detail);
}

/** field.InternalError: a failure not caused by the user's input. */
export function internalError(p: PathLike, err: Error | string): FieldError {
  return make(FieldErrorType.Internal, p, null, typeof err === 'string' ? err : err.message);
}

/** The distinct messages of a list, in order (ErrorList.ToAggregate's de-duplication). */
export function distinctMessages(errs: readonly FieldError[]): string[] {
  const seen = new Set<string>();
  for (const e of errs) seen.add(e.toString());
  return [...seen];
}

/**
 * The message of ErrorList.ToAggregate(): "" for none, the message itself for one distinct error,
 * "[a, b]" for several.
 */
export function aggregateMessage(errs: readonly FieldError[]): string {
  const msgs = distinctMessages(errs);
  if (msgs.length === 0) return '';
  if (msgs.length === 1) return msgs[0]!;
  return `[${msgs.join(', ')}]`;
}

/** Status causes for a list of field errors, as errors.NewInvalid builds them. */
export function toStatusCauses(errs: readonly FieldError[]): StatusCause[] {
  return errs.map((e) => {
    const cause: StatusCause = { reason: e.type, message: e.errorBody() };
    if (e.field) cause.field = e.field;
    return cause;
  });
}

/** An Error carrying a field error list, for code paths that must throw one. */
export class FieldErrorListError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(aggregateMessage(errors));
    this.name = 'FieldErrorListError';
  }
}
