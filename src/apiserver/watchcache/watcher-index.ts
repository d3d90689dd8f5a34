// The cache's watchers, indexed by what they watch so an event reaches only the watchers whose key
// covers it: recursive watches of a "…/" prefix (a resource, one namespace of it) are found by the
// event key's "/"-prefixes, single-key watches by the key; any other prefix is checked one by one.

import type { CacheWatcher } from './cache-watcher.js';

export class WatcherIndex {
  private readonly byPrefix = new Map<string, Set<CacheWatcher>>();
  private readonly byKey = new Map<string, Set<CacheWatcher>>();
  private readonly other = new Set<CacheWatcher>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(watcher: CacheWatcher): void {
    const bucket = this.bucketOf(watcher, true);
    if (bucket.has(watcher)) return;
    bucket.add(watcher);
    this.count++;
  }

  remove(watcher: CacheWatcher): void {
    const bucket = this.bucketOf(watcher, false);
    if (!bucket.delete(watcher)) return;
    this.count--;
    const { key, recursive } = watcher.spec;
    if (bucket.size === 0 && bucket !== this.other) (recursive ? this.byPrefix : this.byKey).delete(key);
  }

  /** Every watcher whose key covers `key`; `from` is where the "/"-prefixes worth trying start. */
  *covering(key: string, from = 0): IterableIterator<CacheWatcher> {
    for (let i = key.indexOf('/', from); i !== -1; i = key.indexOf('/', i + 1)) {
      const bucket = this.byPrefix.get(key.slice(0, i + 1));
      if (bucket) yield* bucket;
    }
    const exact = this.byKey.get(key);
    if (exact) yield* exact;
    for (const watcher of this.other) if (watcher.matchesKey(key)) yield watcher;
  }

  *all(): IterableIterator<CacheWatcher> {
    for (const bucket of this.byPrefix.values()) yield* bucket;
    for (const bucket of this.byKey.values()) yield* bucket;
    yield* this.other;
  }

  private bucketOf(watcher: CacheWatcher, create: boolean): Set<CacheWatcher> {
    const { key, recursive } = watcher.spec;
    if (recursive && !key.endsWith('/')) return this.other;
    const map = recursive ? this.byPrefix : this.byKey;
    let bucket = map.get(key);
    if (!bucket) {
      bucket = new Set();
      if (create) map.set(key, bucket);
    }
    return bucket;
  }
}
