// GoSlice: a list edited the way Go edits a slice in place, so the original backing array stays
// observable. Strategic merge patch orders `$setElementOrder` lists against that array (see
// MergedList in strategic-merge-patch.ts), so matching Kubernetes means replaying Go's writes.

import type { JsonValue } from './json-value.js';

/** A list edited the way Go edits a slice in place, keeping the original backing array visible. */
export class GoSlice {
  /** The original backing array (its length never changes). */
  readonly view: JsonValue[];
  private extra: JsonValue[] | null = null;
  private len: number;

  constructor(items: readonly JsonValue[]) {
    this.view = [...items];
    this.len = items.length;
  }

  items(): JsonValue[] {
    return this.extra ? [...this.extra] : this.view.slice(0, this.len);
  }

  /** Replaces the whole list with a fresh array (no longer aliasing the backing array). */
  reset(items: JsonValue[]): void {
    this.extra = [...items];
  }

  removeAt(i: number): void {
    if (this.extra) {
      this.extra.splice(i, 1);
      return;
    }
    this.view.copyWithin(i, i + 1, this.len);
    this.len--;
  }

  setAt(i: number, v: JsonValue): void {
    if (this.extra) this.extra[i] = v;
    else this.view[i] = v;
  }

  push(v: JsonValue): void {
    if (!this.extra && this.len < this.view.length) {
      this.view[this.len++] = v;
      return;
    }
    if (!this.extra) this.extra = this.view.slice(0, this.len);
    this.extra.push(v);
  }
}
