// Label and label-selector validation from apimachinery's apis/meta/v1/validation: label maps,
// label keys, and metav1.LabelSelector objects, reported as field errors.

import * as field from '../field-errors.js';
import type { FieldError, FieldPath } from '../field-errors.js';
import type { LabelSelector, LabelSelectorRequirement } from '../labels/types.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

export interface LabelSelectorValidationOptions {
  /** Accept values that are not valid label values (for objects stored before validation tightened). */
  allowInvalidLabelValueInSelector?: boolean;
  /** Accept operators other than In, NotIn, Exists and DoesNotExist. */
  allowUnknownOperatorInRequirement?: boolean;
}

/** ValidateLabelName: a label key must be a qualified name. */
export function validateLabelName(labelName: string, p: FieldPath): FieldError[] {
  return isQualifiedName(labelName).map((msg) => field.invalid(p, labelName, msg));
}

/** ValidateLabels: every key a qualified name, every value a valid label value. */
export function validateLabels(labels: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, p));
    for (const msg of isValidLabelValue(v)) errs.push(field.invalid(p, v, msg));
  }
  return errs;
}

/** ValidateLabelSelectorRequirement. */
export function validateLabelSelectorRequirement(
  sr: LabelSelectorRequirement,
  opts: LabelSelectorValidationOptions,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = sr.values ?? [];
  switch (sr.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(field.required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(field.forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
      break;
    default:
      if (!opts.allowUnknownOperatorInRequirement) {
        errs.push(field.invalid(p.child('operator'), sr.operator, 'not a valid selector operator'));
      }
  }
  errs.push(...validateLabelName(sr.key, p.child('key')));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((value, i) => {
      for (const msg of isValidLabelValue(value)) errs.push(field.invalid(p.child('values').index(i), value, msg));
    });
  }
  return errs;
}

/** ValidateLabelSelector: matchLabels and each matchExpressions entry. */
export function validateLabelSelector(
  ps: LabelSelector | undefined | null,
  opts: LabelSelectorValidationOptions,
  p: FieldPath,
): FieldError[] {
  if (!ps) return [];
  const errs = validateLabels(ps.matchLabels, p.child('matchLabels'));
  (ps.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(...validateLabelSelectorRequirement(expr, opts, p.child('matchExpressions').index(i)));
  });
  return errs;
}
