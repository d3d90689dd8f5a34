// labels.Selector: an AND of requirements over an object's labels — matching, emptiness, string
// form — plus Everything(), Nothing() and selectors built from a label set.

import { compareGoStrings } from '../go-format.js';
import type { Labels } from './requirement.js';
import { Operator, Requirement, newRequirement } from './requirement.js';

function byKey(a: Requirement, b: Requirement): number {
  return compareGoStrings(a.key, b.key);
}

export class Selector {
  private constructor(
    readonly requirements: readonly Requirement[],
    /** True only for Nothing(), which matches no labels at all. */
    readonly matchesNothing: boolean,
  ) {}

  /** A selector of the given requirements, ordered by key as Kubernetes orders them. */
  static of(requirements: readonly Requirement[]): Selector {
    return new Selector([...requirements].sort(byKey), false);
  }

  /** @internal the Nothing() selector. */
  static nothingSelector(): Selector {
    return new Selector([], true);
  }

  /** Whether the selector selects everything (has no requirements); Nothing() is not empty. */
  get empty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  matches(labels: Labels | undefined): boolean {
    if (this.matchesNothing) return false;
    return this.requirements.every((r) => r.matches(labels));
  }

  /** A new selector with more requirements, re-sorted by key. */
  add(...requirements: Requirement[]): Selector {
    if (this.matchesNothing) return this;
    return Selector.of([...this.requirements, ...requirements]);
  }

  /** The value a label must equal for the selector to match, if it pins one (RequiresExactMatch). */
  requiresExactMatch(label: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key !== label) continue;
      if ((r.operator === Operator.Equals || r.operator === Operator.DoubleEquals || r.operator === Operator.In) && r.values.length === 1) {
        return r.values[0];
      }
      return undefined;
    }
    return undefined;
  }

  toString(): string {
    return this.requirements.map((r) => r.toString()).join(',');
  }
}

/** labels.Everything(): matches all labels. */
export function everything(): Selector {
  return Selector.of([]);
}

/** labels.Nothing(): matches no labels. */
export function nothing(): Selector {
  return Selector.nothingSelector();
}

/** labels.SelectorFromSet: key=value for each entry, without validating them. */
export function selectorFromSet(set: Labels | undefined): Selector {
  return Selector.of(Object.entries(set ?? {}).map(([k, v]) => new Requirement(k, Operator.Equals, [v])));
}

/** labels.ValidatedSelectorFromSet: like selectorFromSet but throws on an invalid key or value. */
export function validatedSelectorFromSet(set: Labels | undefined): Selector {
  return Selector.of(Object.entries(set ?? {}).map(([k, v]) => newRequirement(k, Operator.Equals, [v])));
}
