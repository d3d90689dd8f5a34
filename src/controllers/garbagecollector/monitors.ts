// The collector's monitors (GraphBuilder.syncMonitors): one informer handler per served resource
// that supports list, watch and delete — found through discovery, custom resources included — all
// feeding the graph builder. resync() rediscovers: new resources get a monitor, resources no
// longer served lose theirs (and their informer).

import type { KubeObject } from '../../api/object.js';
import { ResourceMapper, discoverResources, groupVersionOf, type DiscoveredResource } from '../../client/discovery/index.js';
import { objectOf, resourceKey, type HandlerRegistration, type SharedIndexInformer, type SharedInformerFactory } from '../../client/informer/index.js';
import type { Requester } from '../../client/rest/index.js';
import type { GraphBuilder } from './graph-builder.js';

/** Resources the collector never watches (garbagecollector's ignoredResources). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

interface Monitor {
  resource: DiscoveredResource;
  informer: SharedIndexInformer<KubeObject>;
  registration: HandlerRegistration;
}

export class Monitors {
  private readonly monitors = new Map<string, Monitor>();
  private mapperValue: ResourceMapper | undefined;

  constructor(
    private readonly client: Requester,
    private readonly informers: SharedInformerFactory,
    private readonly builder: GraphBuilder,
  ) {}

  /** The REST mapping from the last discovery. */
  get mapper(): ResourceMapper | undefined {
    return this.mapperValue;
  }

  /** Discovers, adds and removes monitors; resolves once the new ones have synced. Returns the failures of discovery. */
  async resync(signal: AbortSignal): Promise<Map<string, string>> {
    const result = await discoverResources(this.client);
    this.mapperValue = new ResourceMapper(result);
    const wanted = new Map<string, DiscoveredResource>();
    for (const r of this.mapperValue.preferred(['list', 'watch', 'delete'])) {
      if (IGNORED.has(`${r.group}/${r.resource}`)) continue;
      wanted.set(resourceKey(r), r);
    }
    for (const [key, m] of this.monitors) {
      // A group that failed discovery keeps its monitors: it may come back.
      if (wanted.has(key) || result.failed.has(groupVersionOf(m.resource))) continue;
      m.registration.remove();
      this.monitors.delete(key);
      await this.informers.forget(m.resource);
    }
    const added: Monitor[] = [];
    for (const [key, r] of wanted) {
      if (this.monitors.has(key)) continue;
      const informer = this.informers.forResource<KubeObject>(r);
      const type = { apiVersion: groupVersionOf(r), kind: r.kind };
      const registration = informer.addEventHandler({
        onAdd: (obj) => this.builder.upsert(obj, type),
        onUpdate: (_, obj) => this.builder.upsert(obj, type),
        onDelete: (obj) => {
          const uid = objectOf(obj).metadata?.uid;
          if (uid) this.builder.remove(uid);
        },
      });
      const m = { resource: r, informer, registration };
      this.monitors.set(key, m);
      added.push(m);
    }
    this.informers.start();
    await Promise.all(added.map((m) => m.informer.waitForSync({ signal, timeoutMs: 60_000 })));
    return result.failed;
  }

  /** The monitored resources, by "group/version/resource". */
  keys(): string[] {
    return [...this.monitors.keys()];
  }

  stop(): void {
    for (const m of this.monitors.values()) m.registration.remove();
    this.monitors.clear();
  }
}
