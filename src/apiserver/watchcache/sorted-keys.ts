// The cache's keys in sorted order, so a list of a prefix (one namespace of a resource) is a
// binary search plus a scan of just the matching keys, in the same order a store list returns.
// Keys compare as JS strings, which equals the backends' byte order for the ASCII keys Kite uses.
//
// Stored as a list of sorted chunks of at most CHUNK keys (split when full, dropped when empty),
// so an insert or removal moves at most one chunk's entries instead of every key after it — a
// single sorted array made each new key of a 30,000-pod resource an O(n) splice, visible in
// create profiles.

const CHUNK = 512;

export class SortedKeys {
  /** Non-empty sorted chunks; every key of chunk i sorts before every key of chunk i + 1. */
  private chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Replaces the contents with `keys` (any order). */
  reset(keys: Iterable<string>): void {
    const sorted = [...new Set(keys)].sort(compare);
    this.chunks = [];
    for (let i = 0; i < sorted.length; i += CHUNK) this.chunks.push(sorted.slice(i, i + CHUNK));
    this.count = sorted.length;
  }

  add(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.count = 1;
      return;
    }
    const c = this.chunkFor(key);
    const chunk = this.chunks[c] as string[];
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return;
    chunk.splice(i, 0, key);
    this.count++;
    if (chunk.length > CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(chunk.length >>> 1));
  }

  remove(key: string): void {
    if (this.chunks.length === 0) return;
    const c = this.chunkFor(key);
    const chunk = this.chunks[c] as string[];
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** Every key starting with `prefix`, in order. */
  *withPrefix(prefix: string): IterableIterator<string> {
    if (this.chunks.length === 0) return;
    const first = this.chunkFor(prefix);
    for (let c = first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as string[];
      for (let i = c === first ? lowerBound(chunk, prefix) : 0; i < chunk.length; i++) {
        const key = chunk[i] as string;
        if (!key.startsWith(prefix)) return;
        yield key;
      }
    }
  }

  /** The chunk that holds `key` or where it belongs: the last chunk whose first key is ≤ key
   *  (the first chunk when key sorts before everything). */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (((this.chunks[mid] as string[])[0] as string) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : lo - 1;
  }
}

/** The first index of `keys` whose key is ≥ `key`. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
