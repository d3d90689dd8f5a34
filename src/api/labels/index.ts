// The labels module's public surface: selectors over object labels, parsed from the string syntax
// or built from metav1.LabelSelector objects.

export { LabelSelectorError } from './errors.js';
export { Operator, Requirement, newRequirement, requirementErrors } from './requirement.js';
export type { Labels } from './requirement.js';
export { Selector, everything, nothing, selectorFromSet, validatedSelectorFromSet } from './selector.js';
export { parseSelector } from './parse.js';
export { labelSelectorFromSet, labelSelectorMatches, selectorFromLabelSelector } from './label-selector.js';
export type { LabelSelector, LabelSelectorOperator, LabelSelectorRequirement } from './types.js';
export { validateLabelSelector } from '../validation/labels.js';
export type { LabelSelectorValidationOptions } from '../validation/labels.js';
