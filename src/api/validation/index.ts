// The validation module's public surface: name syntaxes, name validators for kinds, label and
// label-selector validation, and ObjectMeta validation for create and update.

export * from './names.js';
export * from './generic.js';
export * from './labels.js';
export * from './object-meta.js';
export { emptyError, inclusiveRangeError, maxLenError, regexError } from './messages.js';
