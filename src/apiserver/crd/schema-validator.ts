// Validation of custom objects against a CRD version's openAPIV3Schema, with ajv doing the
// checking and the failures reported as apiextensions-apiserver reports kube-openapi's: field
// errors at Kubernetes paths ("spec.items[0].name") with go-openapi's messages, e.g.
//   spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"
//   spec.color: Unsupported value: "pink": supported values: "red", "blue"
//   spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10
//   spec.name: Required value
// Updates ratchet as Kubernetes' CRDValidationRatcheting does: errors in values that did not
// change since the old object are dropped.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../api/field-errors.js';
import * as field from '../../api/field-errors.js';
import { goQuote } from '../../api/go-format.js';
import type { Schema } from '../openapi/types.js';
import { KNOWN_FORMATS, isKnownFormat } from './formats.js';
import { goFloat, goJson } from './jsonpath.js';

type AjvSchema = Record<string, unknown>;
type Segments = (string | number)[];

interface Located {
  error: FieldError;
  /** Where the failing value is. */
  at: Segments;
  /** The node whose change un-ratchets the error (the object, for a missing required field). */
  node: Segments;
}

/** Translates a structural schema into the JSON Schema ajv checks (draft-07 keywords only). */
export function toAjvSchema(s: Schema): AjvSchema {
  const out: AjvSchema = {};
  let types: string[] | undefined = s.type ? [s.type] : undefined;
  if (s['x-kubernetes-int-or-string'] === true) types = ['integer', 'string'];
  if (types) {
    if (s.nullable === true) types = [...types, 'null'];
    out.type = types.length === 1 ? types[0] : types;
  }
  const copy = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'multipleOf', 'uniqueItems'] as const;
  for (const k of copy) if (s[k] !== undefined) out[k] = s[k];
  if (s.enum !== undefined) out.enum = s.nullable === true && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
  if (typeof s.pattern === 'string' && compiles(s.pattern)) out.pattern = s.pattern;
  if (typeof s.maximum === 'number') {
    if (s.exclusiveMaximum === true) out.exclusiveMaximum = s.maximum;
    else out.maximum = s.maximum;
  }
  if (typeof s.minimum === 'number') {
    if (s.exclusiveMinimum === true) out.exclusiveMinimum = s.minimum;
    else out.minimum = s.minimum;
  }
  if (isKnownFormat(s.format)) out.format = s.format;
  if (Array.isArray(s.required) && s.required.length > 0) out.required = s.required;
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toAjvSchema(v)]));
  }
  if (s.additionalProperties !== undefined) {
    out.additionalProperties = typeof s.additionalProperties === 'object' ? toAjvSchema(s.additionalProperties) : s.additionalProperties;
  }
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) out.items = toAjvSchema(s.items);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (Array.isArray(list) && list.length > 0) out[k] = list.map(toAjvSchema);
  }
  if (s.not && typeof s.not === 'object') out.not = toAjvSchema(s.not as Schema);
  return out;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, logger: false, validateSchema: false, unicodeRegExp: true });
  for (const [name, check] of Object.entries(KNOWN_FORMATS)) ajv.addFormat(name, { type: 'string', validate: check });
  return ajv;
}

/** Go's JSON type name of a decoded value, as kube-openapi's type validator names it. */
export function jsonTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** %v of a limit in go-openapi messages. */
const goValue = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : goFloat(v)) : String(v));

function pointerSegments(pointer: string, root: unknown): Segments {
  if (pointer === '') return [];
  const segs: Segments = [];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(key);
      segs.push(i);
      cur = cur[i];
    } else {
      segs.push(key);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
    }
  }
  return segs;
}

/** "spec.items[0].name" from segments under a base path. */
export function segmentsPath(base: string, segs: Segments): string {
  let out = base;
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else out = out === '' ? s : `${out}.${s}`;
  }
  return out;
}

function valueAt(root: unknown, segs: Segments): unknown {
  let cur = root;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/** The allowed values of an enum as field.NotSupported lists them (strings bare, others as JSON). */
const enumValues = (values: unknown[]): string[] => values.filter((v) => v !== null).map((v) => (typeof v === 'string' ? v : goJson(v)));

function toFieldErrors(errors: readonly ErrorObject[], root: unknown, base: string): Located[] {
  const out: Located[] = [];
  for (const e of errors) {
    const at = pointerSegments(e.instancePath, root);
    const p = segmentsPath(base, at);
    const data = e.data;
    const params = e.params as Record<string, unknown>;
    const push = (error: FieldError, where: Segments = at, node: Segments = at) => out.push({ error, at: where, node });
    switch (e.keyword) {
      case 'type': {
        const expected = String(params.type)
          .split(',')
          .filter((t) => t !== 'null')
          .join(',');
        const actual = jsonTypeOf(data);
        push(field.typeInvalid(p, actual, `${p} in body must be of type ${expected}: ${goQuote(actual)}`));
        break;
      }
      case 'required': {
        const missing = String(params.missingProperty);
        push(field.required(segmentsPath(base, [...at, missing]), ''), [...at, missing], at);
        break;
      }
      case 'enum':
        push(field.notSupported(p, data, enumValues((e.schema as unknown[]) ?? [])));
        break;
      case 'maxLength':
        push(field.tooLong(p, data, Number(params.limit)));
        break;
      case 'minLength':
        push(field.invalid(p, data, `${p} in body should be at least ${params.limit} chars long`));
        break;
      case 'pattern':
        push(field.invalid(p, data, `${p} in body should match '${String(params.pattern)}'`));
        break;
      case 'maximum':
        push(field.invalid(p, data, `${p} in body should be less than or equal to ${goValue(params.limit)}`));
        break;
      case 'exclusiveMaximum':
        push(field.invalid(p, data, `${p} in body should be less than ${goValue(params.limit)}`));
        break;
      case 'minimum':
        push(field.invalid(p, data, `${p} in body should be greater than or equal to ${goValue(params.limit)}`));
        break;
      case 'exclusiveMinimum':
        push(field.invalid(p, data, `${p} in body should be greater than ${goValue(params.limit)}`));
        break;
      case 'multipleOf':
        push(field.invalid(p, data, `${p} in body should be a multiple of ${goValue(params.multipleOf)}`));
        break;
      case 'maxItems':
        push(field.tooMany(p, Array.isArray(data) ? data.length : -1, Number(params.limit)));
        break;
      case 'minItems':
        push(field.invalid(p, Array.isArray(data) ? data.length : data, `${p} in body should have at least ${params.limit} items`));
        break;
      case 'uniqueItems':
        push(field.invalid(p, '', `${p} in body shouldn't contain duplicates`));
        break;
      case 'maxProperties':
        push(field.tooMany(p, data && typeof data === 'object' ? Object.keys(data).length : -1, Number(params.limit)));
        break;
      case 'minProperties':
        push(field.invalid(p, data && typeof data === 'object' ? Object.keys(data).length : data, `${p} in body should have at least ${params.limit} properties`));
        break;
      case 'format':
        push(field.typeInvalid(p, data, `${p} in body must be of type ${String(params.format)}: ${goQuote(String(data))}`));
        break;
      case 'anyOf':
        push(field.invalid(p, data ?? '', `${p} in body must validate at least one schema (anyOf)`));
        break;
      case 'oneOf':
        push(field.invalid(p, data ?? '', `${p} in body must validate one and only one schema (oneOf)`));
        break;
      case 'not':
        push(field.invalid(p, data ?? '', `${p} in body must not validate the schema (not)`));
        break;
      case 'additionalProperties':
        push(field.invalid(p, String(params.additionalProperty), `${p}.${String(params.additionalProperty)} in body is a forbidden property`));
        break;
      default:
        push(field.invalid(p, data ?? '', `${p} in body ${e.message ?? 'is invalid'}`));
    }
  }
  return out;
}

/** A compiled CRD version schema. */
export class SchemaValidator {
  private readonly check: ValidateFunction;

  constructor(readonly schema: Schema) {
    this.check = newAjv().compile(toAjvSchema(schema));
  }

  /** Field errors of `value`, with paths under `base` ("" for a whole object, "status" for its status). */
  validate(value: unknown, base = ''): FieldError[] {
    return this.locate(value, base).map((l) => l.error);
  }

  /** Field errors of an update, ratcheted: errors in values unchanged since `old` are dropped. */
  validateUpdate(value: unknown, old: unknown, base = ''): FieldError[] {
    return this.locate(value, base)
      .filter((l) => {
        // list items are not correlated (only listType=map lists are in Kubernetes)
        if (l.node.some((s) => typeof s === 'number')) return true;
        const now = valueAt(value, l.node);
        const before = valueAt(old, l.node);
        return now === undefined || !isDeepStrictEqual(now, before);
      })
      .map((l) => l.error);
  }

  private locate(value: unknown, base: string): Located[] {
    if (this.check(value)) return [];
    return toFieldErrors(this.check.errors ?? [], value, base);
  }
}
