// The garbage collector (pkg/controller/garbagecollector). Monitors (monitors.ts) feed every served
// object's ownerReferences into the dependency graph (graph-builder.ts); workers then act on the
// nodes the builder queues, always checking the live object and its owners with GETs (the cache
// may lag; uids never come back, so an owner proven absent is remembered):
// - attemptToDelete: a dependent whose owners are all gone is deleted (its own orphan or
//   foregroundDeletion finalizer decides the propagation, else Background); one whose remaining
//   owners wait for it (foreground deletion) is deleted in the foreground; dangling references
//   beside a live owner are removed. An owner deleting in the foreground loses the
//   foregroundDeletion finalizer once no dependent with blockOwnerDeletion is left. A virtual
//   owner proven absent leaves the graph, which queues its dependents.
// - attemptToOrphan: an owner deleted with the orphan finalizer has its reference removed from
//   every dependent, then the finalizer.
// Discovery runs again every 30 s and whenever a CustomResourceDefinition changes.

import type { KubeObject, OwnerReference } from '../../api/object.js';
import { messageOf } from '../../api/status.js';
import { isConflict, isNotFound } from '../../api/status-predicates.js';
import type { DiscoveredResource } from '../../client/discovery/index.js';
import { resources, type ResourceClient } from '../../client/rest/index.js';
import type { Timer } from '../../util/clock.js';
import { QueueController } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { GraphBuilder } from './graph-builder.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type GraphNode, type ObjectIdentity } from './graph.js';
import { Monitors } from './monitors.js';

export const GC_RESYNC_PERIOD_MS = 30_000;
const CRD_RESYNC_DELAY_MS = 500;
const ABSENT_CACHE_SIZE = 500;

type Policy = 'Orphan' | 'Background' | 'Foreground';

export class GarbageCollector extends QueueController {
  readonly builder: GraphBuilder;
  private readonly monitors: Monitors;
  /** Owners proven absent by a live GET, by uid and the namespace they were looked for in. */
  private readonly absentOwners = new Set<string>();
  private resyncTimer: Timer | undefined;
  private resyncing: Promise<void> | undefined;
  private resyncAgain = false;

  constructor(ctx: ControllerContext) {
    super('garbagecollector', ctx, { workers: ctx.settings.concurrentGcSyncs });
    this.builder = new GraphBuilder({
      attemptToDelete: (node) => this.queue.add(`delete/${node.identity.uid}`),
      attemptToOrphan: (node) => this.queue.add(`orphan/${node.identity.uid}`),
    });
    this.monitors = new Monitors(ctx.client, ctx.informers, this.builder);
    // New custom resources are monitored soon after their CRD appears, not only at the next period.
    ctx.informers.forResource<KubeObject>(resources.CUSTOMRESOURCEDEFINITIONS).addEventHandler({
      onAdd: (_, initial) => {
        if (!initial) this.scheduleResync(CRD_RESYNC_DELAY_MS);
      },
      onUpdate: () => this.scheduleResync(CRD_RESYNC_DELAY_MS),
      onDelete: () => this.scheduleResync(CRD_RESYNC_DELAY_MS),
    });
  }

  override async run(signal: AbortSignal): Promise<void> {
    // The graph must hold every monitored resource before workers act on it.
    for (;;) {
      if (signal.aborted) return;
      try {
        await this.monitors.resync(signal);
        break;
      } catch (err) {
        this.log.warn('discovery failed; retrying', { error: messageOf(err) });
        await this.ctx.clock.sleep(1000);
      }
    }
    this.resyncTimer = this.ctx.clock.setInterval(() => this.resync(signal), GC_RESYNC_PERIOD_MS);
    const stop = () => {
      this.resyncTimer?.cancel();
      this.monitors.stop();
    };
    signal.addEventListener('abort', stop, { once: true });
    this.log.info('monitoring', { resources: this.monitors.keys().length });
    await super.run(signal);
  }

  private scheduleResync(delayMs: number): void {
    this.ctx.clock.setTimeout(() => this.resync(), delayMs);
  }

  private resync(signal?: AbortSignal): void {
    if (this.queue.shuttingDown()) return;
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = this.monitors
      .resync(signal ?? new AbortController().signal)
      .then((failed) => {
        if (failed.size > 0) this.log.warn('discovery failed for some groups', { failed: [...failed.keys()].join(',') });
      })
      .catch((err: unknown) => this.log.warn('resync failed', { error: messageOf(err) }))
      .finally(() => {
        this.resyncing = undefined;
        if (this.resyncAgain) {
          this.resyncAgain = false;
          this.resync(signal);
        }
      });
  }

  protected async reconcile(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const node = this.builder.graph.get(key.slice(slash + 1));
    if (!node) return;
    if (key.startsWith('orphan/')) await this.attemptToOrphan(node);
    else await this.attemptToDelete(node, key);
  }

  // ---- attemptToDelete -------------------------------------------------------------------------

  private async attemptToDelete(node: GraphNode, key: string): Promise<void> {
    const latest = await this.getObject(node.identity);
    if (!latest || latest.metadata?.uid !== node.identity.uid) {
      if (!node.observed || !latest) {
        // A virtual owner that does not exist (or an object gone before its informer said so).
        this.markAbsent(node.identity);
        this.builder.remove(node.identity.uid);
      }
      return;
    }
    if (!node.observed) {
      // It exists, but no informer has shown it yet: look again once one may have.
      this.enqueueAfter(key, 1000);
      return;
    }
    if (node.deletingDependents) return this.processDeletingDependents(node, latest);
    if (latest.metadata?.deletionTimestamp) return;
    const refs = latest.metadata?.ownerReferences ?? [];
    if (refs.length === 0) return;

    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.ownerOf(ref, node);
      if (!owner) dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }

    if (solid.length > 0) {
      if (dangling.length + waiting.length === 0) return;
      // A live owner keeps the object; references to owners that are gone or going are dropped.
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      this.log.debug('removing dangling owner references', { object: node.toString(), owners: [...drop].join(',') });
      await this.patchOwnerReferences(node.identity, latest, refs.filter((r) => !drop.has(r.uid)));
      return;
    }
    let policy: Policy;
    if (waiting.length > 0 && node.dependents.size > 0) {
      // Its owner waits for it, and it has dependents of its own: delete it in the foreground too.
      // A dependent already deleting in the foreground would wait for us in turn: unblock our
      // references so the cycle cannot deadlock.
      if ([...node.dependents].some((d) => d.deletingDependents)) {
        await this.patchOwnerReferences(node.identity, latest, refs.map((r) => (waiting.includes(r) ? { ...r, blockOwnerDeletion: false } : r)));
      }
      policy = 'Foreground';
    } else {
      const finalizers = latest.metadata?.finalizers ?? [];
      policy = finalizers.includes(FINALIZER_ORPHAN) ? 'Orphan' : finalizers.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    }
    this.log.debug('deleting dependent', { object: node.toString(), policy });
    await this.deleteObject(node.identity, policy);
  }

  /** An owner deleting in the foreground: delete its blocking dependents, or let it go when none is left. */
  private async processDeletingDependents(node: GraphNode, latest: KubeObject): Promise<void> {
    const blocking = node.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(node.identity, latest, FINALIZER_FOREGROUND);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.queue.add(`delete/${dep.identity.uid}`);
  }

  /** The owner a reference names, if it exists with that uid (a live GET). */
  private async ownerOf(ref: OwnerReference, node: GraphNode): Promise<KubeObject | undefined> {
    const mapping = this.resource(ref.apiVersion, ref.kind);
    const identity: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, namespace: mapping.namespaced ? node.identity.namespace : '', name: ref.name, uid: ref.uid };
    if (this.absentOwners.has(absentKey(identity))) return undefined;
    if (mapping.namespaced && !node.identity.namespace) {
      // A cluster-scoped object cannot have a namespaced owner.
      this.ctx.recorder('garbage-collector-controller').event(
        { apiVersion: node.identity.apiVersion, kind: node.identity.kind, metadata: { name: node.identity.name, uid: node.identity.uid } },
        'Warning',
        'OwnerRefInvalidNamespace',
        `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: , name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace ""`,
      );
      return undefined;
    }
    const owner = await this.getObject(identity);
    if (!owner || owner.metadata?.uid !== ref.uid) {
      this.markAbsent(identity);
      return undefined;
    }
    return owner;
  }

  // ---- attemptToOrphan -------------------------------------------------------------------------

  private async attemptToOrphan(owner: GraphNode): Promise<void> {
    const uid = owner.identity.uid;
    for (const dep of [...owner.dependents]) {
      const latest = await this.getObject(dep.identity);
      if (!latest) continue;
      const refs = latest.metadata?.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === uid)) continue;
      await this.patchOwnerReferences(dep.identity, latest, refs.filter((r) => r.uid !== uid));
    }
    const latest = await this.getObject(owner.identity);
    if (!latest || latest.metadata?.uid !== uid) return;
    await this.removeFinalizer(owner.identity, latest, FINALIZER_ORPHAN);
  }

  // ---- API calls -------------------------------------------------------------------------------

  private resource(apiVersion: string, kind: string): DiscoveredResource {
    const mapping = this.monitors.mapper?.resourceFor(apiVersion, kind);
    // The kind may be a custom resource not discovered yet: retry with backoff.
    if (!mapping) throw new Error(`no resource serves ${apiVersion} ${kind}`);
    return mapping;
  }

  private client(identity: ObjectIdentity): { client: ResourceClient<KubeObject>; namespace?: string } {
    const mapping = this.resource(identity.apiVersion, identity.kind);
    const client = this.ctx.client.resource<KubeObject>(mapping);
    return mapping.namespaced ? { client, namespace: identity.namespace } : { client };
  }

  private async getObject(identity: ObjectIdentity): Promise<KubeObject | undefined> {
    const { client, namespace } = this.client(identity);
    try {
      return await client.get(identity.name, namespace !== undefined ? { namespace } : {});
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async deleteObject(identity: ObjectIdentity, propagationPolicy: Policy): Promise<void> {
    const { client, namespace } = this.client(identity);
    try {
      await client.delete(identity.name, { ...(namespace !== undefined ? { namespace } : {}), propagationPolicy, preconditions: { uid: identity.uid } });
    } catch (err) {
      // Gone already, or replaced by another object of that name (the uid precondition).
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  private async patchOwnerReferences(identity: ObjectIdentity, latest: KubeObject, refs: OwnerReference[]): Promise<void> {
    const { client, namespace } = this.client(identity);
    try {
      await client.patch(identity.name, 'merge', { metadata: { ownerReferences: refs, resourceVersion: latest.metadata?.resourceVersion, uid: identity.uid } }, namespace !== undefined ? { namespace } : {});
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  private async removeFinalizer(identity: ObjectIdentity, latest: KubeObject, finalizer: string): Promise<void> {
    const finalizers = latest.metadata?.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return;
    const { client, namespace } = this.client(identity);
    try {
      await client.patch(
        identity.name,
        'merge',
        { metadata: { finalizers: finalizers.filter((f) => f !== finalizer), resourceVersion: latest.metadata?.resourceVersion, uid: identity.uid } },
        namespace !== undefined ? { namespace } : {},
      );
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  /** Remembers an owner proven absent (uids never come back; the oldest entries are dropped). */
  private markAbsent(identity: ObjectIdentity): void {
    const mapping = this.monitors.mapper?.resourceFor(identity.apiVersion, identity.kind);
    this.absentOwners.add(absentKey({ ...identity, namespace: mapping?.namespaced ? identity.namespace : '' }));
    if (this.absentOwners.size <= ABSENT_CACHE_SIZE) return;
    const oldest = this.absentOwners.values().next().value;
    if (oldest !== undefined) this.absentOwners.delete(oldest);
  }
}

/** An owner absent in one namespace may be present in another (a dependent's reference is looked up in its own namespace). */
function absentKey(identity: ObjectIdentity): string {
  return `${identity.uid}|${identity.namespace}`;
}
