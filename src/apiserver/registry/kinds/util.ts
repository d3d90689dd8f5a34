// Shared pieces of the built-in kind definitions: the cast that registers a typed definition,
// standard columns (Age, Created At), status and scale subresources, the "keep status" and
// "keep everything but status" update rules, and kubectl's formatting helpers (labels, selectors,
// container names and images).

import type { FieldError, FieldPath } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { KubeObject } from '../../../api/object.js';
import type { LabelSelector } from '../../../api/labels/types.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../../api/validation/names.js';
import type { ResourceDefinition, Strategy, SubresourceDefinition, TableColumn } from '../resource.js';
import { since } from './duration.js';

/** A kubernetes-types object with its readonly fields (status on some kinds) made writable. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Registers a typed definition in the untyped list the catalog holds. */
export function define<T extends KubeObject>(def: ResourceDefinition<T>): ResourceDefinition {
  return def as unknown as ResourceDefinition;
}

const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The Age column every printer has. */
export function ageColumn<T extends KubeObject>(): TableColumn<T> {
  return { name: 'Age', type: 'string', description: AGE_DESCRIPTION, cell: (o, now) => since(o.metadata?.creationTimestamp, now) };
}

/** The default table convertor's "Created At" column (kinds without a printer: RBAC, CRDs). */
export function createdAtColumn<T extends KubeObject>(): TableColumn<T> {
  return {
    name: 'Created At',
    type: 'date',
    description: AGE_DESCRIPTION,
    cell: (o) => o.metadata?.creationTimestamp ?? null,
  };
}

/** A plain string column. */
export function col<T>(name: string, cell: TableColumn<T>['cell'], opts: Partial<Omit<TableColumn<T>, 'name' | 'cell'>> = {}): TableColumn<T> {
  return { name, type: 'string', ...opts, cell };
}

/** Wide (-o wide) column. */
export function wide<T>(name: string, cell: TableColumn<T>['cell'], opts: Partial<Omit<TableColumn<T>, 'name' | 'cell'>> = {}): TableColumn<T> {
  return { name, type: 'string', priority: 1, ...opts, cell };
}

type WithStatus = { status?: unknown };

/** Main-endpoint rule for kinds with a status subresource: status comes from the stored object. */
export function keepStatus<T extends KubeObject>(obj: T, old: T): void {
  const o = obj as T & WithStatus;
  const prev = (old as T & WithStatus).status;
  if (prev === undefined) delete o.status;
  else o.status = structuredClone(prev);
}

/** Status-endpoint rule: everything but metadata and status comes from the stored object. */
export function keepAllButStatus<T extends KubeObject>(obj: T, old: T): void {
  const o = obj as unknown as Record<string, unknown>;
  const prev = old as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(o), ...Object.keys(prev)])) {
    if (key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (key in prev) o[key] = structuredClone(prev[key]);
    else delete o[key];
  }
}

/** Clears status on create (prepareForCreate of kinds with a status subresource). */
export function resetStatus<T extends KubeObject>(obj: T): void {
  (obj as T & WithStatus).status = {};
}

/** The status subresource: get/patch/update with the given strategy (default: keep all but status). */
export function statusSubresource<T extends KubeObject>(kind: string, strategy: Strategy<T> = { prepareForUpdate: keepAllButStatus }): SubresourceDefinition<T> {
  return { name: 'status', kind, verbs: ['get', 'patch', 'update'], strategy };
}

/** The scale subresource (autoscaling/v1 Scale). */
export function scaleSubresource<T extends KubeObject>(): SubresourceDefinition<T> {
  return { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
}

/** The proxy subresource of pods, services and nodes. */
export function proxySubresource<T extends KubeObject>(kind: string): SubresourceDefinition<T> {
  return { name: 'proxy', kind, verbs: ['create', 'delete', 'get', 'patch', 'update'] };
}

// ---- kubectl formatting -------------------------------------------------------------------

/** labels.FormatLabels: "k=v,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** labels.Selector.String() of a metav1.LabelSelector ("" for none or everything). */
export function selectorString(sel: LabelSelector | undefined | null): string {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, text: `${e.key} in (${values})` });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, text: `${e.key} notin (${values})` });
        break;
      case 'Exists':
        reqs.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        return '<error>';
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: the selector string, "<none>" when it selects nothing or everything. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  const s = selectorString(sel);
  return s.length === 0 ? '<none>' : s;
}

/** Whether a metav1.LabelSelector selects a label set (a nil selector selects nothing). */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string> | undefined | null): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a selector has no requirements (selects everything). */
export function selectorIsEmpty(sel: LabelSelector | undefined | null): boolean {
  return !!sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/** printers.go layoutContainerCells: names and images, comma-joined. */
export function containerCells(containers: readonly { name: string; image?: string }[] | undefined): { names: string; images: string } {
  const cs = containers ?? [];
  return { names: cs.map((c) => c.name).join(','), images: cs.map((c) => c.image ?? '').join(',') };
}

/** printers.go printBoolPtr. */
export function boolPtr(value: boolean | undefined | null): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

/** An intstr (number or string) as Go's IntOrString.String() prints it. */
export function intOrString(v: number | string | undefined | null): string {
  return v === undefined || v === null ? '' : String(v);
}

// ---- validation helpers -------------------------------------------------------------------

export const FIELD_IMMUTABLE = 'field is immutable';

/** ValidateImmutableField (deep equality). */
export function immutable(newVal: unknown, oldVal: unknown, p: FieldPath): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [field.invalid(p, newVal ?? null, FIELD_IMMUTABLE)];
}

/** Semantic deep equality of JSON values (undefined and missing keys are equal). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

export function dnsLabel(value: string, p: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(p, value, m));
}

export function dnsSubdomain(value: string, p: FieldPath): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => field.invalid(p, value, m));
}

export function qualifiedName(value: string, p: FieldPath): FieldError[] {
  return isQualifiedName(value).map((m) => field.invalid(p, value, m));
}

export function labelValue(value: string, p: FieldPath): FieldError[] {
  return isValidLabelValue(value).map((m) => field.invalid(p, value, m));
}

export function nonNegative(value: number | undefined | null, p: FieldPath): FieldError[] {
  return value !== undefined && value !== null && value < 0 ? [field.invalid(p, value, 'must be greater than or equal to 0')] : [];
}

export function positive(value: number | undefined | null, p: FieldPath): FieldError[] {
  return value !== undefined && value !== null && value <= 0 ? [field.invalid(p, value, 'must be greater than 0')] : [];
}

/** validation.IsValidPortNum. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** validation.IsValidPortName (an IANA_SVC_NAME). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** ValidatePortNumOrName (container targetPort, probe ports). */
export function portNumOrName(port: number | string | undefined, p: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => field.invalid(p, port, m));
  if (typeof port === 'string') {
    if (port.length === 0) return [field.required(p, '')];
    return isValidPortName(port).map((m) => field.invalid(p, port, m));
  }
  return [field.required(p, '')];
}

/** Go's net.ParseIP acceptance: an IPv4 dotted quad or an IPv6 address. */
export function ipFamilyOf(ip: string): 'IPv4' | 'IPv6' | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255 && !(o.length > 1 && o.startsWith('0'))) ? 'IPv4' : undefined;
  if (!ip.includes(':') || !/^[0-9a-fA-F:.]+$/.test(ip)) return undefined;
  const dbl = ip.split('::');
  if (dbl.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const parts = [...groups(dbl[0]!), ...(dbl.length === 2 ? groups(dbl[1]!) : [])];
  let count = 0;
  for (let i = 0; i < parts.length; i++) {
    const g = parts[i]!;
    if (i === parts.length - 1 && g.includes('.')) {
      if (ipFamilyOf(g) !== 'IPv4') return undefined;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count += 1;
    else return undefined;
  }
  return dbl.length === 2 ? (count < 8 ? 'IPv6' : undefined) : count === 8 ? 'IPv6' : undefined;
}

/** validation.IsValidIP. */
export function validIP(value: string, p: FieldPath): FieldError[] {
  return ipFamilyOf(value) ? [] : [field.invalid(p, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** Map keys each a qualified name, values label values (nodeSelector and the like). */
export function labelMap(labels: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...qualifiedName(k, p));
    errs.push(...labelValue(v, p));
  }
  return errs;
}
