// The fields module's public surface: field selectors and their value escaping.

export { FieldSelectorError, escapeValue, unescapeValue } from './escape.js';
export {
  FieldSelector, everythingFields, fieldSelectorFromSet, nothingFields, oneTermEqualSelector, parseFieldSelector,
} from './selector.js';
export type { FieldOperator, FieldRequirement, FieldTransform } from './selector.js';
