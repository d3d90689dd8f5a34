// metav1.LabelSelector objects ({matchLabels, matchExpressions}) as Selectors
// (metav1.LabelSelectorAsSelector), and back from a label set.

import type { FieldError, FieldPath } from '../field-errors.js';
import * as field from '../field-errors.js';
import { childOf } from '../field-errors.js';
import { goQuote } from '../go-format.js';
import { LabelSelectorError } from './errors.js';
import type { Labels, Requirement } from './requirement.js';
import { Operator, newRequirement } from './requirement.js';
import { Selector, everything, nothing } from './selector.js';
import type { LabelSelector, LabelSelectorOperator } from './types.js';

const OPERATORS: Record<LabelSelectorOperator, Operator> = {
  In: Operator.In,
  NotIn: Operator.NotIn,
  Exists: Operator.Exists,
  DoesNotExist: Operator.DoesNotExist,
};

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects nothing, an empty selector everything.
 * Throws LabelSelectorError (with field errors) for an invalid key, value or operator.
 */
export function selectorFromLabelSelector(ps: LabelSelector | null | undefined, p?: FieldPath): Selector {
  if (!ps) return nothing();
  const matchLabels = Object.entries(ps.matchLabels ?? {});
  const exprs = ps.matchExpressions ?? [];
  if (matchLabels.length + exprs.length === 0) return everything();
  const reqs: Requirement[] = [];
  for (const [k, v] of matchLabels) reqs.push(newRequirement(k, Operator.Equals, [v], p));
  exprs.forEach((expr, i) => {
    const op = Object.prototype.hasOwnProperty.call(OPERATORS, expr.operator)
      ? OPERATORS[expr.operator as LabelSelectorOperator]
      : undefined;
    if (op === undefined) {
      const errs: FieldError[] = [
        field.invalid(childOf(p, 'matchExpressions').index(i).child('operator'), expr.operator, 'not a valid selector operator'),
      ];
      throw new LabelSelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`, errs);
    }
    reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])], p));
  });
  return Selector.of(reqs);
}

/** metav1.SetAsLabelSelector: a LabelSelector matching exactly the given labels. */
export function labelSelectorFromSet(set: Labels | undefined): LabelSelector | undefined {
  return set ? { matchLabels: { ...set } } : undefined;
}

/** Whether a LabelSelector object matches the labels (a convenience for controllers). */
export function labelSelectorMatches(ps: LabelSelector | null | undefined, labels: Labels | undefined): boolean {
  return selectorFromLabelSelector(ps).matches(labels);
}
