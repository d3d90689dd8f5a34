// The informer's cache (client-go's cache.Indexer over a threadSafeMap): objects by key
// ("namespace/name", or "name" for cluster-scoped objects) plus any number of indexes, each a
// function from an object to the values it is filed under (its namespace, spec.nodeName, an owner
// uid…). JavaScript runs one turn at a time, so "thread-safe" here means: every mutation leaves
// the objects and all indexes consistent before it returns, and readers get arrays they own.
// Cached objects are shared: callers must not mutate them (copy with structuredClone first).

import type { KubeObject } from '../../api/object.js';
import { metaKey } from '../../api/meta.js';
import { DeletedFinalStateUnknown } from './tombstone.js';

export type KeyFunc<T> = (obj: T) => string;
/** Values an object is indexed under (none: not in this index). */
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';

/** cache.MetaNamespaceKeyFunc, also for tombstones (their key). */
export function metaNamespaceKeyFunc(obj: KubeObject | DeletedFinalStateUnknown): string {
  if (obj instanceof DeletedFinalStateUnknown) return obj.key;
  return metaKey(obj.metadata);
}

/** cache.MetaNamespaceIndexFunc: an object under its namespace ("" for cluster-scoped ones). */
export function namespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata?.namespace ?? ''];
}

/**
 * An index by the value of a dotted field path, e.g. fieldIndexFunc('spec.nodeName'): objects
 * whose field holds a non-empty string (or number/boolean) are filed under it; others are not
 * indexed. An array value files the object under each element.
 */
export function fieldIndexFunc<T extends KubeObject>(path: string): IndexFunc<T> {
  const parts = path.split('.');
  return (obj) => {
    let v: unknown = obj;
    for (const p of parts) {
      if (typeof v !== 'object' || v === null) return [];
      v = (v as Record<string, unknown>)[p];
    }
    const values = Array.isArray(v) ? v : [v];
    return values.filter((x) => (typeof x === 'string' && x !== '') || typeof x === 'number' || typeof x === 'boolean').map(String);
  };
}

export class Indexer<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → indexed value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(
    readonly keyFunc: KeyFunc<T> = metaNamespaceKeyFunc,
    indexers: Indexers<T> = {},
  ) {
    this.addIndexers(indexers);
  }

  get size(): number {
    return this.items.size;
  }

  /** Adds indexes (and files the objects already cached under them). A name may be added once. */
  addIndexers(indexers: Indexers<T>): void {
    for (const name of Object.keys(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
    }
    for (const [name, fn] of Object.entries(indexers)) {
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) this.file(index, fn(obj), key);
    }
  }

  /** The names of the indexes. */
  indexerNames(): string[] {
    return [...this.indexers.keys()];
  }

  add(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  update(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  delete(obj: T): void {
    this.deleteKey(this.keyFunc(obj));
  }

  deleteKey(key: string): void {
    const old = this.items.get(key);
    if (old === undefined) return;
    this.items.delete(key);
    for (const [name, fn] of this.indexers) this.unfile(this.indices.get(name)!, fn(old), key);
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  /** Replaces the whole content (and rebuilds the indexes). */
  replace(items: readonly T[]): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const obj of items) this.put(this.keyFunc(obj), obj);
  }

  /** Objects that share at least one value of the named index with obj. */
  index(indexName: string, obj: T): T[] {
    const fn = this.indexFunc(indexName);
    const keys = new Set<string>();
    for (const value of fn(obj)) for (const k of this.indices.get(indexName)!.get(value) ?? []) keys.add(k);
    return this.objects(keys);
  }

  /** Objects filed under value in the named index. */
  byIndex(indexName: string, value: string): T[] {
    this.indexFunc(indexName);
    return this.objects(this.indices.get(indexName)!.get(value) ?? []);
  }

  /** Keys of the objects filed under value in the named index. */
  indexKeys(indexName: string, value: string): string[] {
    this.indexFunc(indexName);
    return [...(this.indices.get(indexName)!.get(value) ?? [])];
  }

  /** Every value the named index holds objects under. */
  listIndexFuncValues(indexName: string): string[] {
    this.indexFunc(indexName);
    return [...this.indices.get(indexName)!.keys()];
  }

  private put(key: string, obj: T): void {
    const old = this.items.get(key);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      const next = fn(obj);
      if (old !== undefined) {
        const prev = fn(old);
        if (prev.length === next.length && prev.every((v, i) => v === next[i])) continue;
        this.unfile(index, prev, key);
      }
      this.file(index, next, key);
    }
  }

  private file(index: Map<string, Set<string>>, values: string[], key: string): void {
    for (const v of values) {
      let keys = index.get(v);
      if (!keys) index.set(v, (keys = new Set()));
      keys.add(key);
    }
  }

  private unfile(index: Map<string, Set<string>>, values: string[], key: string): void {
    for (const v of values) {
      const keys = index.get(v);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) index.delete(v);
    }
  }

  private objects(keys: Iterable<string>): T[] {
    const out: T[] = [];
    for (const k of keys) {
      const o = this.items.get(k);
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  private indexFunc(name: string): IndexFunc<T> {
    const fn = this.indexers.get(name);
    if (!fn) throw new Error(`index "${name}" does not exist`);
    return fn;
  }
}
