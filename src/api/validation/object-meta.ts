// ObjectMeta validation from apimachinery's api/validation/objectmeta.go: names and generateName,
// namespace presence, labels, annotations (keys and the 256 KiB total), owner references,
// finalizers and managed fields on create, plus the immutability rules on update.

import * as field from '../field-errors.js';
import type { FieldError, FieldPath } from '../field-errors.js';
import { renderBadValue } from '../field-errors.js';
import { byteLength, compareGoStrings } from '../go-format.js';
import type { ObjectMeta, OwnerReference } from '../object.js';
import { gvkFromAPIVersionAndKind, gvkString } from '../schema.js';
import type { NameValidator } from './generic.js';
import { validateNamespaceName, validateNonnegativeField } from './generic.js';
import { validateLabels } from './labels.js';
import { isQualifiedName } from './names.js';

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
/** The most bytes all annotation keys and values of one object may total (256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
export const FIELD_MANAGER_MAX_LENGTH = 128;
export const MAX_SUBRESOURCE_NAME_LENGTH = 256;
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export interface ObjectMetaValidationOptions {
  /** Whether the kind lives in a namespace (namespace required) or is cluster-scoped (forbidden). */
  namespaced: boolean;
  /** The syntax the kind's names follow. */
  nameValidator: NameValidator;
}

/** ValidateAnnotationsSize: the total bytes of keys and values, or undefined when within the limit. */
export function annotationsSizeError(annotations: Record<string, string> | undefined): string | undefined {
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) total += byteLength(k) + byteLength(v);
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    return `annotations size ${total} is larger than limit ${TOTAL_ANNOTATION_SIZE_LIMIT_B}`;
  }
  return undefined;
}

/** ValidateAnnotations: keys are qualified names (compared lower-cased); the total stays under 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(p, k, msg));
  }
  if (annotationsSizeError(annotations) !== undefined) errs.push(field.tooLong(p, '', TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

function validateOwnerReference(ref: OwnerReference, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const gvk = gvkFromAPIVersionAndKind(ref.apiVersion ?? '', ref.kind ?? '');
  if (!gvk.version) errs.push(field.invalid(p.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
  if (!gvk.kind) errs.push(field.invalid(p.child('kind'), ref.kind ?? '', 'kind must not be empty'));
  if (!ref.name) errs.push(field.invalid(p.child('name'), ref.name ?? '', 'name must not be empty'));
  if (!ref.uid) errs.push(field.invalid(p.child('uid'), ref.uid ?? '', 'uid must not be empty'));
  if (gvk.group === '' && gvk.version === 'v1' && gvk.kind === 'Event') {
    errs.push(field.invalid(p, ref, `${gvkString(gvk)} is disallowed from being an owner`));
  }
  return errs;
}

/** ValidateOwnerReferences: required fields of each, Events never owners, at most one controller. */
export function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, p));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          field.invalid(p, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

/** ValidateFinalizerName: a finalizer is a qualified name. */
export function validateFinalizerName(name: string, p: FieldPath): FieldError[] {
  return isQualifiedName(name).map((msg) => field.invalid(p, name, msg));
}

/** ValidateFinalizers: each a qualified name; "orphan" and "foregroundDeletion" not both. */
export function validateFinalizers(finalizers: readonly string[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) errs.push(...validateFinalizerName(f, p));
  if (finalizers?.includes(FINALIZER_ORPHAN_DEPENDENTS) && finalizers.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(
      field.invalid(p, finalizers, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`),
    );
  }
  return errs;
}

/** ValidateNoNewFinalizers: an object being deleted may not gain finalizers. */
export function validateNoNewFinalizers(newFinalizers: readonly string[] | undefined, oldFinalizers: readonly string[] | undefined, p: FieldPath): FieldError[] {
  const old = new Set(oldFinalizers ?? []);
  const extra = [...new Set((newFinalizers ?? []).filter((f) => !old.has(f)))].sort(compareGoStrings);
  if (extra.length === 0) return [];
  return [field.forbidden(p, `no new finalizers can be added if the object is being deleted, found new finalizers ${renderBadValue(extra)}`)];
}

function isPrintable(ch: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch);
}

/** ValidateFieldManager: at most 128 bytes, printable characters only. */
export function validateFieldManager(fieldManager: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) errs.push(field.tooLong(p, '', FIELD_MANAGER_MAX_LENGTH));
  let pos = 0;
  for (const ch of fieldManager) {
    if (!isPrintable(ch)) {
      const hex = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      errs.push(field.invalid(p, fieldManager, `invalid character U+${hex} (at position ${pos})`));
    }
    pos += byteLength(ch);
  }
  return errs;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** ValidateManagedFields: operation Apply or Update, fieldsType FieldsV1, a sane manager and subresource. */
export function validateManagedFields(entries: readonly unknown[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((raw, i) => {
    const e = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const ep = p.index(i);
    const operation = str(e['operation']);
    if (operation !== 'Apply' && operation !== 'Update') errs.push(field.invalid(ep.child('operation'), operation, 'must be `Apply` or `Update`'));
    const fieldsType = str(e['fieldsType']);
    if (fieldsType && fieldsType !== 'FieldsV1') errs.push(field.invalid(ep.child('fieldsType'), fieldsType, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(str(e['manager']), ep.child('manager')));
    if (byteLength(str(e['subresource'])) > MAX_SUBRESOURCE_NAME_LENGTH) {
      errs.push(field.tooLong(ep.child('subresource'), '', MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errs;
}

/** ValidateObjectMeta: the metadata checks every kind's create validation starts with. */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaValidationOptions, p: FieldPath): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  const generateName = m.generateName ?? '';
  if (generateName) {
    for (const msg of opts.nameValidator(generateName, true)) errs.push(field.invalid(p.child('generateName'), generateName, msg));
  }
  const name = m.name ?? '';
  if (!name) errs.push(field.required(p.child('name'), 'name or generateName is required'));
  else for (const msg of opts.nameValidator(name, false)) errs.push(field.invalid(p.child('name'), name, msg));

  const namespace = m.namespace ?? '';
  if (opts.namespaced) {
    if (!namespace) errs.push(field.required(p.child('namespace')));
    else for (const msg of validateNamespaceName(namespace, false)) errs.push(field.invalid(p.child('namespace'), namespace, msg));
  } else if (namespace) {
    errs.push(field.forbidden(p.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(m.generation ?? 0, p.child('generation')));
  errs.push(...validateLabels(m.labels, p.child('labels')));
  errs.push(...validateAnnotations(m.annotations, p.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, p.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, p.child('finalizers')));
  errs.push(...validateManagedFields(m.managedFields, p.child('managedFields')));
  return errs;
}

function immutable<T>(newVal: T, oldVal: T, p: FieldPath): FieldError[] {
  return newVal === oldVal ? [] : [field.invalid(p, newVal ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** ValidateObjectMetaUpdate: what an update may not change, plus the create-time syntax checks. */
export function validateObjectMetaUpdate(newMeta: ObjectMeta | undefined, oldMeta: ObjectMeta | undefined, p: FieldPath): FieldError[] {
  const n = newMeta ?? {};
  const o = oldMeta ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) errs.push(...validateNoNewFinalizers(n.finalizers, o.finalizers, p.child('finalizers')));
  if (!n.resourceVersion) errs.push(field.invalid(p.child('resourceVersion'), n.resourceVersion ?? '', 'must be specified for an update'));
  if ((n.generation ?? 0) < (o.generation ?? 0)) errs.push(field.invalid(p.child('generation'), n.generation ?? 0, 'must not be decremented'));
  errs.push(...immutable(n.name ?? '', o.name ?? '', p.child('name')));
  errs.push(...immutable(n.namespace ?? '', o.namespace ?? '', p.child('namespace')));
  errs.push(...immutable(n.uid ?? '', o.uid ?? '', p.child('uid')));
  errs.push(...immutable(n.creationTimestamp ?? '', o.creationTimestamp ?? '', p.child('creationTimestamp')));
  errs.push(...immutable(n.deletionTimestamp, o.deletionTimestamp, p.child('deletionTimestamp')));
  errs.push(...immutable(n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, p.child('deletionGracePeriodSeconds')));
  errs.push(...validateLabels(n.labels, p.child('labels')));
  errs.push(...validateAnnotations(n.annotations, p.child('annotations')));
  errs.push(...validateOwnerReferences(n.ownerReferences, p.child('ownerReferences')));
  errs.push(...validateManagedFields(n.managedFields, p.child('managedFields')));
  return errs;
}
