// The local-path provisioner, run by each kubelet for its own node: claims of the `local-path`
// class get a hostPath PersistentVolume under <dataDir>/storage/<claim uid>, bound to them here
// (Kite has no PV binder controller yet). WaitForFirstConsumer claims wait for the scheduler's
// volume.kubernetes.io/selected-node annotation and are provisioned only by that node; Immediate
// ones by whichever node creates the (deterministically named) volume first. When the claim is
// gone the volume's directory and the volume are deleted (reclaim policy Delete). The binding mode
// comes from the `local-path` StorageClass (WaitForFirstConsumer, as k3s's), created if absent — when
// the API server serves storage.k8s.io StorageClasses; otherwise from the options (Immediate).

import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isAlreadyExists, isNotFound } from '../../../api/status-predicates.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../../client/informer/index.js';
import { objectOf } from '../../../client/informer/index.js';
import type { ResourceClient, RestClient } from '../../../client/rest/index.js';
import { RateLimitingQueue } from '../../../client/workqueue/index.js';
import { realClock, type Clock } from '../../../util/clock.js';
import { silentLogger, type Logger } from '../../../util/log.js';
import {
  BOUND_VOLUME_STATUS,
  LOCAL_PATH_CLASS,
  LOCAL_PATH_PROVISIONER,
  PROVISIONED_BY_ANNOTATION,
  SELECTED_NODE_ANNOTATION,
  boundClaimStatus,
  defaultStorageClass,
  nodeOf,
  storagePathFor,
  volumeFor,
  volumeNameFor,
  type BindingMode,
} from './volume.js';

export interface LocalPathProvisionerOptions {
  client: RestClient;
  factory: SharedInformerFactory;
  nodeName: string;
  /** Volumes live in <dataDir>/storage. */
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  /**
   * The binding mode when StorageClasses are not served. Default Immediate: nothing in Kite sets
   * volume.kubernetes.io/selected-node yet (the scheduler has no VolumeBinding plugin), so
   * WaitForFirstConsumer claims would wait forever.
   */
  bindingMode?: BindingMode;
}

const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true };
const PVS = { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false };
const STORAGE_CLASSES = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false };

type Key = string; // "claim:<ns>/<name>" or "volume:<name>"

export class LocalPathProvisioner {
  private readonly claims: SharedIndexInformer<PersistentVolumeClaim>;
  private readonly volumes: SharedIndexInformer<PersistentVolume>;
  private readonly claimApi: ResourceClient<PersistentVolumeClaim>;
  private readonly volumeApi: ResourceClient<PersistentVolume>;
  private readonly queue: RateLimitingQueue<Key>;
  private readonly logger: Logger;
  private bindingMode: BindingMode;
  /** Whether the API server serves StorageClasses (known after start). */
  storageClassesServed: boolean | undefined;
  private worker: Promise<void> | undefined;

  constructor(private readonly options: LocalPathProvisionerOptions) {
    this.claims = options.factory.forResource<PersistentVolumeClaim>(PVCS);
    this.volumes = options.factory.forResource<PersistentVolume>(PVS);
    this.claimApi = options.client.resource<PersistentVolumeClaim>(PVCS);
    this.volumeApi = options.client.resource<PersistentVolume>(PVS);
    this.queue = new RateLimitingQueue<Key>({ name: 'local-path', clock: options.clock ?? realClock });
    this.logger = options.logger ?? silentLogger;
    this.bindingMode = options.bindingMode ?? 'Immediate';
  }

  /** Ensures the StorageClass (when served), registers handlers, starts the informers and the worker. */
  async start(): Promise<void> {
    await this.ensureStorageClass();
    const claimKey = (c: PersistentVolumeClaim) => `claim:${c.metadata?.namespace}/${c.metadata?.name}`;
    this.claims.addEventHandler({
      onAdd: (c) => this.queue.add(claimKey(c)),
      onUpdate: (_o, c) => this.queue.add(claimKey(c)),
      onDelete: (o) => {
        const c = objectOf(o);
        this.queue.add(`volume:${volumeNameFor(c)}`);
      },
    });
    this.volumes.addEventHandler({
      onAdd: (v) => this.queue.add(`volume:${v.metadata?.name}`),
      onUpdate: (_o, v) => this.queue.add(`volume:${v.metadata?.name}`),
    });
    this.options.factory.start();
    await Promise.all([this.claims.waitForSync(), this.volumes.waitForSync()]);
    this.worker = this.work();
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.worker;
  }

  private async ensureStorageClass(): Promise<void> {
    const classes = this.options.client.resource<StorageClass>(STORAGE_CLASSES);
    try {
      await classes.list({ limit: 1 });
      this.storageClassesServed = true;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.storageClassesServed = false;
      this.logger.info('storage.k8s.io StorageClasses are not served; local-path claims bind by the configured mode', { mode: this.bindingMode });
      return;
    }
    let sc: StorageClass | undefined;
    try {
      sc = await classes.get(LOCAL_PATH_CLASS);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        sc = await classes.create(defaultStorageClass());
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        sc = await classes.get(LOCAL_PATH_CLASS);
      }
    }
    this.bindingMode = (sc?.volumeBindingMode as BindingMode | undefined) ?? 'Immediate';
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        if (key.startsWith('claim:')) await this.reconcileClaim(key.slice('claim:'.length));
        else await this.reconcileVolume(key.slice('volume:'.length));
        this.queue.forget(key);
      } catch (err) {
        this.logger.error('local-path reconcile failed', { key, err: err instanceof Error ? err.message : String(err) });
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileClaim(nsName: string): Promise<void> {
    const [ns, name] = nsName.split('/') as [string, string];
    const claim = this.claims.lister().namespace(ns).get(name);
    if (!claim || claim.metadata?.deletionTimestamp || claim.spec?.storageClassName !== LOCAL_PATH_CLASS) return;
    if (claim.spec?.volumeName && claim.status?.phase === 'Bound') return;

    let pv = this.volumes.lister().get(claim.spec?.volumeName || volumeNameFor(claim));
    if (!pv) {
      if (claim.spec?.volumeName) return; // bound to a volume someone else made
      const node = this.bindingMode === 'WaitForFirstConsumer' ? claim.metadata?.annotations?.[SELECTED_NODE_ANNOTATION] : this.options.nodeName;
      if (node !== this.options.nodeName) return; // not yet scheduled, or another node's
      const path = storagePathFor(this.options.dataDir, claim);
      try {
        pv = await this.volumeApi.create(volumeFor(claim, node, path));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        return; // another node won; its update event brings us back
      }
      await mkdir(path, { recursive: true, mode: 0o777 });
      this.logger.info('provisioned local-path volume', { claim: nsName, volume: pv.metadata?.name, path });
    }
    // The node that holds the volume finishes the binding.
    if (pv.spec?.claimRef?.uid !== claim.metadata?.uid || nodeOf(pv) !== this.options.nodeName) return;
    if (pv.status?.phase !== 'Bound') pv = await this.volumeApi.updateStatus({ ...pv, status: BOUND_VOLUME_STATUS });
    let current = claim;
    if (!current.spec?.volumeName) {
      current = await this.claimApi.namespace(ns).update({
        ...claim,
        metadata: {
          ...claim.metadata,
          annotations: {
            ...(claim.metadata?.annotations ?? {}),
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            'volume.kubernetes.io/storage-provisioner': LOCAL_PATH_PROVISIONER,
          },
        },
        spec: { ...claim.spec, volumeName: pv.metadata?.name ?? '' },
      });
    }
    await this.claimApi.namespace(ns).updateStatus({ ...current, status: boundClaimStatus(pv) });
  }

  private async reconcileVolume(name: string): Promise<void> {
    const pv = this.volumes.lister().get(name);
    if (!pv || pv.metadata?.annotations?.[PROVISIONED_BY_ANNOTATION] !== LOCAL_PATH_PROVISIONER) return;
    if (nodeOf(pv) !== this.options.nodeName || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    const ref = pv.spec?.claimRef;
    const claim = ref ? this.claims.lister().namespace(ref.namespace ?? '').get(ref.name ?? '') : undefined;
    if (claim && claim.metadata?.uid === ref?.uid) {
      if (!claim.spec?.volumeName || claim.status?.phase !== 'Bound') this.queue.add(`claim:${ref?.namespace}/${ref?.name}`);
      return;
    }
    // The claim is gone: reclaim.
    const path = pv.spec?.hostPath?.path;
    const root = resolve(join(this.options.dataDir, 'storage'));
    if (path && resolve(path).startsWith(root + sep)) await rm(path, { recursive: true, force: true });
    try {
      await this.volumeApi.delete(name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.logger.info('deleted local-path volume', { volume: name });
  }
}
