// SharedInformerFactory (client-go's informers.SharedInformerFactory, for any resource): one
// informer per resource per process — every controller asks the factory, and those asking for the
// same resource share one list+watch and one cache. start() starts every informer asked for so far
// (call it again after asking for more); waitForCacheSync() waits for all of them, which
// controllers do before starting their workers.

import type { KubeObject } from '../../api/object.js';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import type { SelectorInput } from '../rest/options.js';
import type { ResourceDescriptor } from '../rest/resource-client.js';
import type { Indexers } from './indexer.js';
import type { ListerWatcher } from './reflector.js';
import { SharedIndexInformer, type SharedInformerOptions, type WaitForSyncOptions } from './shared-informer.js';

/** What the factory needs of a client: a RestClient is one. */
export interface ResourceSource {
  resource<T extends KubeObject>(descriptor: ResourceDescriptor): ListerWatcher<T> & { namespace(ns: string): ListerWatcher<T> };
}

export interface SharedInformerFactoryOptions {
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  /** Default resync period of every informer in ms; 0 (default) disables resync. */
  defaultResyncMs?: number;
  /** Watch only this namespace (namespaced resources); default all namespaces. */
  namespace?: string;
  /** Restricts every informer to matching objects. */
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  pageSize?: number;
  backoff?: { initialMs: number; maxMs: number };
}

export interface InformerOptions<T extends KubeObject> {
  /** This informer's default handler resync (first request wins); default the factory's. */
  resyncPeriodMs?: number;
  /** Indexes to add (those already present are kept). */
  indexers?: Indexers<T>;
}

/** The factory's key for a resource: "group/version/resource" ("v1/pods" for the core group). */
export function resourceKey(d: ResourceDescriptor): string {
  return d.group ? `${d.group}/${d.version}/${d.resource}` : `${d.version}/${d.resource}`;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private shuttingDown = false;

  constructor(
    private readonly client: ResourceSource,
    private readonly options: SharedInformerFactoryOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** The shared informer of a resource, made on first request. */
  forResource<T extends KubeObject = KubeObject>(descriptor: ResourceDescriptor, options: InformerOptions<T> = {}): SharedIndexInformer<T> {
    const key = resourceKey(descriptor);
    let informer = this.informers.get(key) as SharedIndexInformer<T> | undefined;
    if (!informer) {
      if (this.shuttingDown) throw new Error('the informer factory is shut down');
      const resource = this.client.resource<T>(descriptor);
      const lw = descriptor.namespaced && this.options.namespace ? resource.namespace(this.options.namespace) : resource;
      const o = this.options;
      const informerOptions: SharedInformerOptions<T> = {
        clock: this.clock,
        logger: this.logger.child(key),
        resyncPeriodMs: options.resyncPeriodMs ?? o.defaultResyncMs ?? 0,
        ...(o.random ? { random: o.random } : {}),
        ...(o.labelSelector !== undefined ? { labelSelector: o.labelSelector } : {}),
        ...(o.fieldSelector !== undefined ? { fieldSelector: o.fieldSelector } : {}),
        ...(o.pageSize !== undefined ? { pageSize: o.pageSize } : {}),
        ...(o.backoff ? { backoff: o.backoff } : {}),
      };
      informer = new SharedIndexInformer<T>(lw, informerOptions);
      this.informers.set(key, informer as unknown as SharedIndexInformer<KubeObject>);
    }
    if (options.indexers) {
      const existing = new Set(informer.indexer.indexerNames());
      const missing = Object.fromEntries(Object.entries(options.indexers).filter(([name]) => !existing.has(name)));
      if (Object.keys(missing).length > 0) informer.addIndexers(missing);
    }
    return informer;
  }

  /** Starts every informer requested so far that has not started. */
  start(): void {
    if (this.shuttingDown) return;
    for (const informer of this.informers.values()) informer.start();
  }

  /** Waits until every started informer has synced; resolves with each one's result by resourceKey. */
  async waitForCacheSync(options: WaitForSyncOptions = {}): Promise<Map<string, boolean>> {
    const entries = [...this.informers].filter(([, inf]) => inf.isStarted);
    const results = await Promise.all(entries.map(([, inf]) => inf.waitForSync(options)));
    return new Map(entries.map(([key], i) => [key, results[i]!]));
  }

  /** True when every started informer has synced. */
  hasSynced(): boolean {
    return [...this.informers.values()].every((inf) => !inf.isStarted || inf.hasSynced());
  }

  /** The informers made so far, by resourceKey. */
  all(): ReadonlyMap<string, SharedIndexInformer<KubeObject>> {
    return this.informers;
  }

  /** Stops and drops the informer of a resource that is no longer served (a deleted CRD's). */
  async forget(descriptor: ResourceDescriptor): Promise<void> {
    const key = resourceKey(descriptor);
    const informer = this.informers.get(key);
    if (!informer) return;
    this.informers.delete(key);
    await informer.stop();
  }

  /** Stops every informer and waits for them to end. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all([...this.informers.values()].map((inf) => inf.stop()));
  }
}
