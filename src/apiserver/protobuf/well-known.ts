// The types whose JSON is not their protobuf message's fields (their Go types marshal themselves):
// Time and MicroTime (RFC 3339 strings), Duration (a Go duration string), IntOrString (a number or
// a string), Quantity (its string), RawExtension, FieldsV1 and apiextensions' JSON (embedded
// JSON), and JSONSchemaPropsOrArray|OrBool|OrStringArray (a schema, or an array or a boolean).
// Each converter gets the decoded message (and a converter for nested schemas) and returns the
// JSON value, or undefined where Go's JSON would write null.

import { newBadRequest } from '../../api/status-errors.js';

/** A decoded protobufjs message: its present fields as own properties. */
export type Decoded = Record<string, unknown>;

const PREFIX = '.k8s.io.apimachinery.pkg.';
const EXTENSIONS = '.k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.';

/** Converts a nested JSONSchemaProps message. */
export type SchemaConverter = (m: Decoded) => unknown;

/** int64 fields decode as Long objects (or numbers); JSON wants numbers. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && 'toNumber' in value) return (value as { toNumber(): number }).toNumber();
  return Number(value ?? 0);
}

const isEmpty = (m: Decoded): boolean => Object.keys(m).length === 0;

/** Seconds since the epoch of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: RFC 3339 years. */
const MIN_SECONDS = -62_135_596_800;
const MAX_SECONDS = 253_402_300_799;

/** The UTC date of a Timestamp's seconds, in the range Go's JSON encoder can write. */
function utc(m: Decoded): string {
  const seconds = toNumber(m['seconds']);
  if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) throw newBadRequest('error decoding protobuf request body: a time is outside the years 0001 to 9999');
  return new Date(seconds * 1000).toISOString();
}

/** metav1.Time: seconds precision in UTC ("2024-05-01T10:00:00Z"); an empty message is the zero time (null). */
function time(m: Decoded): string | undefined {
  if (isEmpty(m)) return undefined;
  return utc(m).replace(/\.\d+Z$/, 'Z');
}

/** metav1.MicroTime: six fractional digits ("2024-05-01T10:00:00.123456Z"). */
function microTime(m: Decoded): string | undefined {
  if (isEmpty(m)) return undefined;
  const micros = String(Math.floor(toNumber(m['nanos']) / 1000)).padStart(6, '0');
  return utc(m).replace(/\.\d+Z$/, `.${micros}Z`);
}

/** Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  const frac = (value: number, unit: number): string => {
    const whole = Math.floor(value / unit);
    const rest = value % unit;
    if (rest === 0) return String(whole);
    return `${whole}.${String(rest).padStart(String(unit).length - 1, '0').replace(/0+$/, '')}`;
  };
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${frac(n, 1e3)}µs`;
  if (n < 1e9) return `${sign}${frac(n, 1e6)}ms`;
  let out = '';
  const hours = Math.floor(n / 3.6e12);
  n -= hours * 3.6e12;
  const minutes = Math.floor(n / 6e10);
  n -= minutes * 6e10;
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${sign}${out}${frac(n, 1e9)}s`;
}

/** intstr.IntOrString: type 0 is intVal, type 1 is strVal. */
function intOrString(m: Decoded): number | string {
  return toNumber(m['type']) === 1 ? String(m['strVal'] ?? '') : toNumber(m['intVal']);
}

/** runtime.RawExtension, metav1.FieldsV1: JSON bytes, embedded as JSON; empty is null. */
export function embeddedJson(raw: unknown, what: string): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
  } catch {
    throw newBadRequest(`error decoding protobuf request body: ${what} is not JSON`);
  }
}

const schemas = (m: Decoded, key: string): Decoded[] => (m[key] as Decoded[] | undefined) ?? [];
const has = (m: Decoded, key: string): boolean => Object.prototype.hasOwnProperty.call(m, key);

const CONVERTERS: Readonly<Record<string, (m: Decoded, schema: SchemaConverter) => unknown>> = {
  [`${PREFIX}apis.meta.v1.Time`]: time,
  [`${PREFIX}apis.meta.v1.MicroTime`]: microTime,
  [`${PREFIX}apis.meta.v1.Duration`]: (m) => goDuration(toNumber(m['duration'])),
  [`${PREFIX}apis.meta.v1.FieldsV1`]: (m) => embeddedJson(m['Raw'], 'fieldsV1'),
  [`${PREFIX}util.intstr.IntOrString`]: intOrString,
  [`${PREFIX}api.resource.Quantity`]: (m) => (m['string'] === undefined || m['string'] === '' ? '0' : String(m['string'])),
  [`${PREFIX}api.resource.QuantityValue`]: (m) => (m['string'] === undefined || m['string'] === '' ? '0' : String(m['string'])),
  [`${PREFIX}runtime.RawExtension`]: (m) => embeddedJson(m['raw'], 'a RawExtension'),
  [`${EXTENSIONS}JSON`]: (m) => embeddedJson(m['raw'], 'a JSON value'),
  [`${EXTENSIONS}JSONSchemaPropsOrArray`]: (m, schema) => {
    const list = schemas(m, 'jSONSchemas');
    if (list.length > 0) return list.map(schema);
    return has(m, 'schema') ? schema(m['schema'] as Decoded) : undefined;
  },
  [`${EXTENSIONS}JSONSchemaPropsOrBool`]: (m, schema) => (has(m, 'schema') ? schema(m['schema'] as Decoded) : m['allows'] === true),
  [`${EXTENSIONS}JSONSchemaPropsOrStringArray`]: (m, schema) => {
    const list = (m['property'] as string[] | undefined) ?? [];
    if (list.length > 0) return list;
    return has(m, 'schema') ? schema(m['schema'] as Decoded) : undefined;
  },
};

/** The converter of a well-known type, by the message's full name (".k8s.io...."). */
export function wellKnown(fullName: string): ((m: Decoded, schema: SchemaConverter) => unknown) | undefined {
  return CONVERTERS[fullName];
}

/** The full name of apiextensions' JSONSchemaProps, which the schema converters nest. */
export const JSON_SCHEMA_PROPS = `${EXTENSIONS}JSONSchemaProps`;
