// The CRD controller: apiextensions-apiserver's naming, establishing and finalizing controllers
// for Kite, in one level-triggered loop over the CustomResourceDefinitions in the store.
//
// - A CRD (added or changed): the cleanup finalizer is put on it; its names are checked against
//   the others in its group (NamesAccepted, status.acceptedNames); every served version becomes a
//   ResourceDefinition in the catalog (replaced when the CRD changes); Established is set.
// - A CRD being deleted: creates of its objects are refused, every stored object is deleted
//   through the generic REST store (their own finalizers honoured; re-checked until none is
//   left), its resources leave the catalog and the finalizer comes off, which lets the CRD go.
//
// Events only enqueue CRD names; reconcile(name) reads the CRD from the store and is idempotent.

import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStorageError } from '../../storage/errors.js';
import type { Store, WatchStream } from '../../storage/interface.js';
import type { Clock, Timer } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import { objectKey, resourcePrefix } from '../registry/keys.js';
import type { RestStore } from '../registry/rest-store.js';
import type { ResourceDefinition, Strategy } from '../registry/resource.js';
import { deepEqual } from '../registry/kinds/util.js';
import { customResourceDefinition, customResourceDefinitions, customResourceVersionOf } from './definition.js';
import { acceptNames, setCondition, type TakenNames } from './names.js';

type CRD = CustomResourceDefinition;
type Obj = KubeObject & Record<string, unknown>;

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CRD_RESOURCE = 'customresourcedefinitions';
/** The finalizer that holds a CRD until its custom objects are deleted. */
export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export interface CrdControllerOptions {
  catalog: ResourceCatalog;
  store: Store;
  clock: Clock;
  /** The server's REST store of a resource (ApiServer.storeFor): CRD writes and instance deletes go through it. */
  storeFor: (def: ResourceDefinition) => RestStore<Obj>;
  logger?: Logger;
  /** How soon a failed reconcile, or a deletion waiting for objects' finalizers, is tried again (ms). */
  retryMs?: number;
  /**
   * Put the cleanup finalizer on every live CRD (default true). kube-apiserver adds it in the
   * CRD's DELETE instead; set false once the CRD strategy does that (holdOnDelete/prepareForDeletion).
   */
  finalizerOnCreate?: boolean;
}

interface Served {
  fingerprint: string;
  defs: ResourceDefinition[];
}

const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class CrdController {
  private readonly catalog: ResourceCatalog;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly retryMs: number;
  private crdDef: ResourceDefinition | undefined;
  private readonly served = new Map<string, Served>();
  /** Per CRD: the terminating flag its definitions' strategies share. */
  private readonly states = new Map<string, { terminating: boolean }>();
  /** The last state of each CRD seen, for cleaning up after one that vanished without its finalizer. */
  private readonly known = new Map<string, CRD>();
  private readonly queue = new Set<string>();
  private readonly timers = new Set<Timer>();
  private running = false;
  private stopped = false;
  private watch: WatchStream<CRD> | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: CrdControllerOptions) {
    this.catalog = options.catalog;
    this.store = options.store;
    this.clock = options.clock;
    this.log = options.logger ?? silentLogger;
    this.retryMs = options.retryMs ?? 1000;
  }

  /**
   * Serves the CRDs already stored (resolves once they are in the catalog), then follows changes.
   * Does nothing if the catalog has no customresourcedefinitions resource.
   */
  async start(): Promise<this> {
    this.crdDef = this.catalog.lookup(CRD_GROUP, 'v1', CRD_RESOURCE);
    if (!this.crdDef) return this;
    const list = await this.store.list<CRD>(resourcePrefix(this.crdDef));
    for (const crd of list.items) {
      const name = crd.metadata?.name;
      if (!name) continue;
      this.known.set(name, crd);
      await this.reconcileSafely(name);
    }
    void this.follow(list.resourceVersion);
    return this;
  }

  /** Stops following CRDs (what is served stays served). */
  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.queue.clear();
  }

  /** Resolves when no CRD is waiting to be reconciled (for tests). */
  idle(): Promise<void> {
    if (!this.running && this.queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The definitions served for a CRD, by CRD name. */
  servedDefinitions(crdName: string): readonly ResourceDefinition[] {
    return this.served.get(crdName)?.defs ?? [];
  }

  // ---- the watch ------------------------------------------------------------------------

  private async follow(resourceVersion: string): Promise<void> {
    const def = this.crdDef!;
    let rv = resourceVersion;
    while (!this.stopped) {
      try {
        const w = await this.store.watch<CRD>(resourcePrefix(def), { resourceVersion: rv, recursive: true });
        this.watch = w;
        if (this.stopped) {
          w.stop();
          return;
        }
        for await (const ev of w) {
          rv = String(ev.revision);
          if (ev.type === 'PROGRESS') continue;
          const name = ev.object.metadata?.name;
          if (!name) continue;
          this.known.set(name, ev.object);
          this.enqueue(name);
        }
        if (this.stopped) return;
      } catch (err) {
        if (this.stopped) return;
        if (isStorageError(err, 'Expired')) {
          // Compacted past us: list again and reconcile everything (deleted CRDs included).
          try {
            const list = await this.store.list<CRD>(resourcePrefix(def));
            rv = list.resourceVersion;
            const names = new Set([...this.served.keys(), ...this.known.keys()]);
            for (const crd of list.items) if (crd.metadata?.name) names.add(crd.metadata.name);
            for (const name of names) this.enqueue(name);
            continue;
          } catch (listErr) {
            this.log.warn('listing CRDs failed', { error: listErr });
          }
        } else {
          this.log.warn('watching CRDs failed', { error: err });
        }
        await this.clock.sleep(this.retryMs);
      }
    }
  }

  // ---- the work queue --------------------------------------------------------------------

  private enqueue(name: string): void {
    if (this.stopped) return;
    this.queue.add(name);
    if (this.running) return;
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.size > 0 && !this.stopped) {
        const name = this.queue.values().next().value as string;
        this.queue.delete(name);
        await this.reconcileSafely(name);
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private later(name: string): void {
    if (this.stopped) return;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(name);
    }, this.retryMs);
    this.timers.add(timer);
  }

  private async reconcileSafely(name: string): Promise<void> {
    try {
      await this.reconcile(name);
    } catch (err) {
      if ((err as { code?: number }).code === 409) {
        this.queue.add(name); // someone else wrote the CRD: look again
        return;
      }
      this.log.warn('reconciling CRD failed', { crd: name, error: err });
      this.later(name);
    }
  }

  // ---- reconcile -------------------------------------------------------------------------

  private get crdStore(): RestStore<Obj> {
    return this.options.storeFor(this.crdDef!);
  }

  private async read(name: string): Promise<CRD | undefined> {
    try {
      return await this.store.get<CRD>(objectKey(this.crdDef!, undefined, name));
    } catch (err) {
      if (isStorageError(err, 'KeyNotFound')) return undefined;
      throw err;
    }
  }

  /** Brings the catalog and the CRD's status and finalizers in line with the stored CRD. */
  async reconcile(name: string): Promise<void> {
    if (!this.crdDef) return;
    let crd = await this.read(name);
    if (!crd) return this.forget(name);
    this.known.set(name, crd);
    if (crd.metadata?.deletionTimestamp) return this.finalize(crd);

    if (this.options.finalizerOnCreate !== false && !(crd.metadata?.finalizers ?? []).includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) {
      crd = await this.write(name, false, (c) => {
        const meta = (c.metadata ??= {});
        if (meta.deletionTimestamp) return;
        meta.finalizers = [...(meta.finalizers ?? []).filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER), CUSTOM_RESOURCE_CLEANUP_FINALIZER];
      });
      if (!crd || crd.metadata?.deletionTimestamp) return;
    }

    const naming = acceptNames(crd, this.takenNames(crd));
    const names = naming.accepted;
    const serveable = !!names.plural && !!names.kind;
    const withNames: CRD = { ...crd, status: { ...(crd.status ?? {}), acceptedNames: names } };
    if (serveable) this.serve(withNames);
    else this.unserve(name);

    const now = rfc3339(this.clock.now());
    let conditions = crd.status?.conditions ?? [];
    conditions = setCondition(
      conditions,
      { type: 'NamesAccepted', status: naming.allAccepted ? 'True' : 'False', reason: naming.reason, message: naming.message },
      now,
    );
    conditions = setCondition(
      conditions,
      serveable
        ? { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }
        : { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
      now,
    );
    const storedVersions = [...(crd.status?.storedVersions ?? [])];
    const storage = crd.spec.versions.find((v) => v.storage)?.name;
    if (storage && !storedVersions.includes(storage)) storedVersions.push(storage);
    const status = { ...(crd.status ?? {}), acceptedNames: names, conditions, storedVersions };
    if (!deepEqual(status, crd.status)) {
      await this.write(name, true, (c) => {
        c.status = { ...(c.status ?? {}), acceptedNames: names, conditions: status.conditions, storedVersions: mergeVersions(c.status?.storedVersions, storedVersions) };
      });
    }
  }

  /** Names in the CRD's group that others use (built-in kinds and other CRDs' accepted names). */
  private takenNames(crd: CRD): TakenNames {
    const name = crd.metadata?.name;
    const taken: TakenNames = { resources: new Set(), kinds: new Set() };
    for (const def of this.catalog.all()) {
      if (def.group !== crd.spec.group) continue;
      if (customResourceVersionOf(def)?.crdName === name) continue;
      taken.resources.add(def.resource);
      if (def.singular) taken.resources.add(def.singular);
      for (const s of def.shortNames ?? []) taken.resources.add(s);
      taken.kinds.add(def.kind);
      taken.kinds.add(`${def.kind}List`);
    }
    return taken;
  }

  private stateOf(name: string): { terminating: boolean } {
    let state = this.states.get(name);
    if (!state) {
      state = { terminating: false };
      this.states.set(name, state);
    }
    return state;
  }

  /** Puts the CRD's served versions in the catalog (replacing them when the CRD changed). */
  private serve(crd: CRD): void {
    const name = crd.metadata!.name!;
    const fingerprint = JSON.stringify([crd.spec, crd.status?.acceptedNames]);
    const current = this.served.get(name);
    if (current?.fingerprint === fingerprint) return;
    const defs = customResourceDefinitions(crd, { state: this.stateOf(name) });
    for (const def of current?.defs ?? []) this.catalog.remove(def.group, def.version, def.resource);
    const added: ResourceDefinition[] = [];
    for (const def of defs) {
      if (this.catalog.lookup(def.group, def.version, def.resource)) {
        this.log.warn('custom resource path already served', { crd: name, resource: `${def.resource}.${def.group}/${def.version}` });
        continue;
      }
      this.catalog.add(def);
      added.push(def);
    }
    this.served.set(name, { fingerprint, defs: added });
    this.log.info('serving custom resource', { crd: name, versions: added.map((d) => d.version) });
  }

  private unserve(name: string): void {
    const current = this.served.get(name);
    if (!current) return;
    for (const def of current.defs) {
      if (this.catalog.lookup(def.group, def.version, def.resource) === def) this.catalog.remove(def.group, def.version, def.resource);
    }
    this.served.delete(name);
    this.log.info('stopped serving custom resource', { crd: name });
  }

  /** Reads, changes and writes a CRD through the REST store (its status subresource if `status`). */
  private async write(name: string, status: boolean, change: (crd: CRD) => void): Promise<CRD | undefined> {
    const sub = status ? (this.crdDef!.subresources?.find((s) => s.name === 'status')?.strategy as Strategy<Obj> | undefined) : undefined;
    try {
      const { object } = await this.crdStore.update(
        undefined,
        name,
        (current) => {
          if (!current) throw Object.assign(new Error('CRD is gone'), { code: 404 });
          const next = structuredClone(current) as unknown as CRD;
          change(next);
          return next as unknown as Obj;
        },
        sub ? { subresource: sub, subresourceName: 'status' } : {},
      );
      return object as unknown as CRD;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }

  /** A CRD marked for deletion: delete its objects, then stop serving and release the CRD. */
  private async finalize(crd: CRD): Promise<void> {
    const name = crd.metadata!.name!;
    const state = this.stateOf(name);
    state.terminating = true;
    if (!(crd.metadata?.finalizers ?? []).includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) return;

    await this.setTerminating(crd, 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress');
    const def = this.served.get(name)?.defs[0] ?? this.cleanupDefinition(crd);
    const rest = this.options.storeFor(def);
    const { items } = await this.store.list<Obj>(resourcePrefix(def));
    const failures: string[] = [];
    for (const item of items) {
      const meta = item.metadata ?? {};
      if (meta.deletionTimestamp) continue;
      try {
        await rest.delete(def.namespaced ? meta.namespace : undefined, meta.name ?? '', { preconditions: { uid: meta.uid } });
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code !== 404 && code !== 409) failures.push(`${meta.namespace ? `${meta.namespace}/` : ''}${meta.name}: ${(err as Error).message}`);
      }
    }
    if (failures.length > 0) {
      await this.setTerminating(crd, 'True', 'InstanceDeletionFailed', `could not issue all deletes: ${failures.join('; ')}`);
      this.later(name);
      return;
    }
    const left = await this.store.count(resourcePrefix(def));
    if (left > 0) {
      // Objects held by their own finalizers: look again shortly.
      this.later(name);
      return;
    }
    this.unserve(name);
    await this.setTerminating(crd, 'False', 'InstanceDeletionCompleted', 'removed all instances');
    await this.write(name, false, (c) => {
      const meta = (c.metadata ??= {});
      meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER);
      if (meta.finalizers.length === 0) delete meta.finalizers;
    });
  }

  /** A definition to delete a CRD's objects through when none of its versions is served. */
  private cleanupDefinition(crd: CRD): ResourceDefinition {
    const storage = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0]!;
    return customResourceDefinition(crd, storage.name, { names: crd.spec.names, state: { terminating: true } });
  }

  private async setTerminating(crd: CRD, status: string, reason: string, message: string): Promise<void> {
    const current = (crd.status?.conditions ?? []).find((c) => c.type === 'Terminating');
    if (current && current.status === status && current.reason === reason && current.message === message) return;
    const now = rfc3339(this.clock.now());
    const updated = await this.write(crd.metadata!.name!, true, (c) => {
      const st = (c.status ??= { acceptedNames: { kind: '', plural: '' }, storedVersions: [] });
      st.conditions = setCondition(st.conditions ?? [], { type: 'Terminating', status, reason, message }, now);
    });
    if (updated) crd.status = updated.status;
  }

  /** A CRD that is gone: stop serving it; if it went without its finalizer, delete what it left. */
  private async forget(name: string): Promise<void> {
    this.unserve(name);
    this.states.delete(name);
    const last = this.known.get(name);
    this.known.delete(name);
    if (!last?.spec?.group || !last.spec.names?.plural) return;
    const prefix = resourcePrefix({ group: last.spec.group, resource: last.spec.names.plural });
    const { items } = await this.store.list<Obj>(prefix);
    for (const item of items) {
      const meta = item.metadata ?? {};
      const key = objectKey(
        { group: last.spec.group, resource: last.spec.names.plural, namespaced: last.spec.scope !== 'Cluster' },
        meta.namespace,
        meta.name ?? '',
      );
      await this.store.delete(key, { preconditions: { uid: meta.uid } }).catch(() => undefined);
    }
  }
}

function mergeVersions(a: readonly string[] | undefined, b: readonly string[]): string[] {
  const out = [...(a ?? [])];
  for (const v of b) if (!out.includes(v)) out.push(v);
  return out;
}
