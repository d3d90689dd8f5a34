// Name validators for object metadata (api/validation/generic.go): which syntax a kind's names
// follow, with generateName prefixes checked as Kubernetes does (a trailing '-' is allowed).

import * as field from '../field-errors.js';
import type { FieldError, FieldPath } from '../field-errors.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './names.js';

/** Validates a name (prefix=true for a generateName prefix); returns the problems found. */
export type NameValidator = (name: string, prefix: boolean) => string[];

export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';

// Go's maskTrailingDash: replaces the last two characters by "a" so "foo-" is checked as "foa".
function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return name.slice(0, name.length - 2) + 'a';
  return name;
}

/** Names that are DNS subdomains (most kinds). */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** Names that are DNS labels (namespaces, and kinds whose names become hostnames). */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** Names that are RFC 1035 labels (Services). */
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

export const validateNamespaceName: NameValidator = nameIsDNSLabel;
export const validateServiceAccountName: NameValidator = nameIsDNSSubdomain;

/**
 * ValidatePathSegmentName: the least a name must satisfy to appear in a URL path (kinds such as
 * RBAC roles use only this): not "." or "..", no '/' or '%'.
 */
export const validatePathSegmentName: NameValidator = (name, prefix) => {
  if (!prefix) {
    for (const illegal of ['.', '..']) if (name === illegal) return [`may not be '${illegal}'`];
  }
  const errs: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
};

/** ValidateNonnegativeField. */
export function validateNonnegativeField(value: number, p: FieldPath): FieldError[] {
  return value < 0 ? [field.invalid(p, value, IS_NEGATIVE_ERROR_MSG)] : [];
}
