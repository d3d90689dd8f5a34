// The error label-selector parsing and construction throw: Kubernetes' message, plus the field
// errors behind it when the failure was a validation one.

import type { FieldError } from '../field-errors.js';

export class LabelSelectorError extends Error {
  constructor(
    message: string,
    /** The field errors behind the message, when it came from requirement validation. */
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}
