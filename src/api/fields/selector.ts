// fields.Selector: field selectors ("metadata.name=x,spec.nodeName!=") parsed as
// fields.ParseSelector does — an AND of equality and inequality terms with backslash escaping.
// Which fields a resource supports is the caller's check, over `requirements`.

import { compareGoStrings } from '../go-format.js';
import { FieldSelectorError, escapeValue, unescapeValue } from './escape.js';

export type FieldOperator = '=' | '!=';

/** One term of a field selector: `field` must (or must not) equal `value`. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Rewrites a term (fields.TransformFunc); returning an empty field and value drops it. */
export type FieldTransform = (field: string, value: string) => { field: string; value: string };

export class FieldSelector {
  private constructor(
    readonly requirements: readonly FieldRequirement[],
    private readonly matchesNothing: boolean,
  ) {}

  static of(requirements: readonly FieldRequirement[]): FieldSelector {
    return new FieldSelector([...requirements], false);
  }

  /** @internal the Nothing() selector. */
  static nothingSelector(): FieldSelector {
    return new FieldSelector([], true);
  }

  /** No terms: the selector matches everything. */
  get empty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  /** Whether an object matches; a missing field reads as "" as in Kubernetes. */
  matches(getField: (name: string) => string | undefined): boolean {
    if (this.matchesNothing) return false;
    return this.requirements.every((r) => ((getField(r.field) ?? '') === r.value) === (r.operator === '='));
  }

  /** The value a field must equal, if an `=` term pins it (RequiresExactMatch). */
  requiresExactMatch(fieldName: string): string | undefined {
    return this.requirements.find((r) => r.field === fieldName && r.operator === '=')?.value;
  }

  /** Rewrites every term (e.g. a legacy field name to its current one). */
  transform(fn: FieldTransform): FieldSelector {
    if (this.matchesNothing) return this;
    const out: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const t = fn(r.field, r.value);
      if (t.field === '' && t.value === '') continue;
      out.push({ field: t.field, operator: r.operator, value: t.value });
    }
    return FieldSelector.of(out);
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

/** fields.Everything(). */
export function everythingFields(): FieldSelector {
  return FieldSelector.of([]);
}

/** fields.Nothing(). */
export function nothingFields(): FieldSelector {
  return FieldSelector.nothingSelector();
}

/** fields.SelectorFromSet: field=value for each entry. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>> | undefined): FieldSelector {
  return FieldSelector.of(Object.entries(set ?? {}).map(([field, value]) => ({ field, operator: '=' as const, value })));
}

/** fields.OneTermEqualSelector. */
export function oneTermEqualSelector(field: string, value: string): FieldSelector {
  return FieldSelector.of([{ field, operator: '=', value }]);
}

function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/**
 * fields.ParseSelector: parses "a=b,c!=d" (== is accepted as =). Throws FieldSelectorError with
 * Kubernetes' message when a term has no operator or a value is badly escaped.
 */
export function parseFieldSelector(selector: string, transform?: FieldTransform): FieldSelector {
  const parts = splitTerms(selector).sort(compareGoStrings);
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeValue(t.rhs);
    reqs.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value });
  }
  const sel = FieldSelector.of(reqs);
  return transform ? sel.transform(transform) : sel;
}
