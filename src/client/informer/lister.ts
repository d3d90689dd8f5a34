// Listers (client-go's generated listers, generically): reads from an informer's cache by label
// selector, by namespace and by name. They never call the API server. Objects are the cache's own:
// do not mutate them.

import type { KubeObject } from '../../api/object.js';
import { Selector, parseSelector, selectorFromSet } from '../../api/labels/index.js';
import { NAMESPACE_INDEX, type Indexer } from './indexer.js';

export type ListerSelector = Selector | string | Record<string, string>;

function toSelector(selector: ListerSelector | undefined): Selector | undefined {
  if (selector === undefined) return undefined;
  if (selector instanceof Selector) return selector;
  if (typeof selector === 'string') return parseSelector(selector);
  return selectorFromSet(selector);
}

function filter<T extends KubeObject>(items: T[], selector: ListerSelector | undefined): T[] {
  const s = toSelector(selector);
  if (!s || s.empty) return items;
  return items.filter((o) => s.matches(o.metadata?.labels));
}

export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** Every cached object (of all namespaces) matching the label selector. */
  list(selector?: ListerSelector): T[] {
    return filter(this.indexer.list(), selector);
  }

  /** A cluster-scoped object by name. */
  get(name: string): T | undefined {
    return this.indexer.getByKey(name);
  }

  /** Reads within one namespace. */
  namespace(namespace: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, namespace);
  }
}

export class NamespaceLister<T extends KubeObject = KubeObject> {
  constructor(
    private readonly indexer: Indexer<T>,
    readonly namespace: string,
  ) {}

  list(selector?: ListerSelector): T[] {
    const items = this.indexer.indexerNames().includes(NAMESPACE_INDEX)
      ? this.indexer.byIndex(NAMESPACE_INDEX, this.namespace)
      : this.indexer.list().filter((o) => (o.metadata?.namespace ?? '') === this.namespace);
    return filter(items, selector);
  }

  get(name: string): T | undefined {
    return this.indexer.getByKey(this.namespace ? `${this.namespace}/${name}` : name);
  }
}
