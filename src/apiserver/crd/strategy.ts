// The strategy of custom objects (apiextensions-apiserver's customResourceStrategy) and of their
// status subresource: pruning and schema defaults before anything else, status kept out of
// create and main-endpoint updates when the status subresource is on, generation bumped on
// changes outside metadata (and status, with the subresource), schema validation (ratcheted on
// update), creates refused while the CRD is terminating. Metadata is validated generically.

import type { FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/object.js';
import { newMethodNotSupported } from '../../api/status-errors.js';
import { isDeepStrictEqual } from 'node:util';
import type { Schema } from '../openapi/types.js';
import type { Strategy } from '../registry/resource.js';
import { keepStatus } from '../registry/kinds/util.js';
import type { SchemaValidator } from './schema-validator.js';
import { normalize } from './structural.js';

type Obj = KubeObject & Record<string, unknown>;

/** What a custom resource's strategies need to know about its CRD version. */
export interface CustomResourceVersion {
  /** metadata.name of the CRD. */
  crdName: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** The version's openAPIV3Schema. */
  schema?: Schema;
  validator?: SchemaValidator;
  /** The status subresource is on. */
  hasStatus: boolean;
  /** spec.preserveUnknownFields (v1 CRDs: false, nothing is kept outside the schema). */
  preserveUnknownFields: boolean;
  /** Shared by every version of the CRD: set while the CRD is being deleted. */
  state: { terminating: boolean };
}

/** Pruning, nulls and defaults (the decoding step of apiextensions-apiserver). */
function normalizeObject(cr: CustomResourceVersion, obj: Obj): void {
  normalize(obj, cr.schema, cr.preserveUnknownFields);
}

function withoutKeys(obj: Obj, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k)) out[k] = v;
  return out;
}

function validateStatus(cr: CustomResourceVersion, obj: Obj, old: Obj | undefined): FieldError[] {
  const statusSchema = cr.schema?.properties?.status;
  if (!cr.validator || !statusSchema || obj.status === undefined) return [];
  const whole = { status: obj.status };
  const errs = old ? cr.validator.validateUpdate(whole, { status: old.status }) : cr.validator.validate(whole);
  return errs.filter((e) => e.field === 'status' || e.field.startsWith('status.') || e.field.startsWith('status['));
}

export function customResourceStrategy(cr: CustomResourceVersion): Strategy<Obj> {
  return {
    defaults: (obj) => normalizeObject(cr, obj),
    prepareForCreate(obj) {
      if (cr.state.terminating) {
        const err = newMethodNotSupported({ group: cr.group, resource: cr.plural }, 'create');
        err.status.message = 'create not allowed while custom resource definition is terminating';
        throw err;
      }
      if (cr.hasStatus) delete obj.status;
      // Custom objects always track generation, with or without a spec.
      (obj.metadata ??= {}).generation = 1;
    },
    prepareForUpdate(obj, old) {
      if (cr.hasStatus) keepStatus(obj, old);
    },
    validate: (obj) => cr.validator?.validate(obj) ?? [],
    validateUpdate: (obj, old) => cr.validator?.validateUpdate(obj, old) ?? [],
    generationChanged: (obj, old) => {
      const ignored = cr.hasStatus ? ['metadata', 'status'] : ['metadata'];
      return !isDeepStrictEqual(withoutKeys(obj, ignored), withoutKeys(old, ignored));
    },
    tracksGeneration: true,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  };
}

/** The status subresource: only .status changes (metadata, spec and the rest come from the stored object). */
export function customResourceStatusStrategy(cr: CustomResourceVersion): Strategy<Obj> {
  return {
    defaults: (obj) => normalizeObject(cr, obj),
    prepareForUpdate(obj, old) {
      const status = obj.status;
      const hasStatus = Object.hasOwn(obj, 'status');
      for (const key of Object.keys(obj)) delete obj[key];
      Object.assign(obj, structuredClone(old));
      if (hasStatus) obj.status = status;
      else delete obj.status;
    },
    validateUpdate: (obj, old) => validateStatus(cr, obj, old),
    allowCreateOnUpdate: false,
  };
}
