// The cache's keys in sorted order, so a list of a prefix (one namespace of a resource) is a
// binary search plus a scan of just the matching keys, in the same order a store list returns.
// Keys compare as JS strings, which equals the backends' byte order for the ASCII keys Kite uses.

export class SortedKeys {
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Replaces the contents with `keys` (any order). */
  reset(keys: Iterable<string>): void {
    this.keys = [...new Set(keys)].sort(compare);
  }

  add(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  remove(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Every key starting with `prefix`, in order. */
  *withPrefix(prefix: string): IterableIterator<string> {
    for (let i = this.lowerBound(prefix); i < this.keys.length; i++) {
      const key = this.keys[i] as string;
      if (!key.startsWith(prefix)) return;
      yield key;
    }
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
