// The local-path provisioner, run beside each kubelet for its own node, on the external-provisioner
// protocol: the PV controller hands a claim over by annotating it
// volume.kubernetes.io/storage-provisioner: rancher.io/local-path; this node then creates the
// directory <dataDir>/storage/<claim uid> and a hostPath PersistentVolume pinned to the node and
// pre-bound to the claim (claimRef with its uid), which the PV controller binds. A claim the
// scheduler placed (volume.kubernetes.io/selected-node) is provisioned only by that node; one of an
// Immediate class by whichever node creates the deterministically named volume first; a
// WaitForFirstConsumer claim not yet placed waits. When the PV controller marks such a volume
// Released and its reclaim policy is Delete, the node that holds it removes the directory and
// deletes the volume.

import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isAlreadyExists, isNotFound } from '../../../api/status-predicates.js';
import { ANN_PROVISIONED_BY, ANN_SELECTED_NODE, provisionerOf } from '../../../api/volume/binding.js';
import { classOf } from '../../../api/volume/storage-class.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../../client/informer/index.js';
import { resources, type ResourceClient, type RestClient } from '../../../client/rest/index.js';
import { RateLimitingQueue } from '../../../client/workqueue/index.js';
import { realClock, type Clock } from '../../../util/clock.js';
import { silentLogger, type Logger } from '../../../util/log.js';
import { LOCAL_PATH_PROVISIONER, nodeOf, storagePathFor, volumeFor, volumeNameFor } from './volume.js';

export interface LocalPathProvisionerOptions {
  client: RestClient;
  factory: SharedInformerFactory;
  nodeName: string;
  /** Volumes live in <dataDir>/storage. */
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
}

type Key = string; // "claim:<ns>/<name>" or "volume:<name>"

export class LocalPathProvisioner {
  private readonly claims: SharedIndexInformer<PersistentVolumeClaim>;
  private readonly volumes: SharedIndexInformer<PersistentVolume>;
  private readonly classes: SharedIndexInformer<StorageClass>;
  private readonly volumeApi: ResourceClient<PersistentVolume>;
  private readonly queue: RateLimitingQueue<Key>;
  private readonly logger: Logger;
  private worker: Promise<void> | undefined;

  constructor(private readonly options: LocalPathProvisionerOptions) {
    this.claims = options.factory.forResource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS);
    this.volumes = options.factory.forResource<PersistentVolume>(resources.PERSISTENTVOLUMES);
    this.classes = options.factory.forResource<StorageClass>(resources.STORAGECLASSES);
    this.volumeApi = options.client.resource<PersistentVolume>(resources.PERSISTENTVOLUMES);
    this.queue = new RateLimitingQueue<Key>({ name: 'local-path', clock: options.clock ?? realClock });
    this.logger = options.logger ?? silentLogger;
  }

  /** Registers handlers, starts the informers and the worker. */
  async start(): Promise<void> {
    const claimKey = (c: PersistentVolumeClaim) => `claim:${c.metadata?.namespace}/${c.metadata?.name}`;
    this.claims.addEventHandler({ onAdd: (c) => this.queue.add(claimKey(c)), onUpdate: (_o, c) => this.queue.add(claimKey(c)) });
    this.volumes.addEventHandler({
      onAdd: (v) => this.queue.add(`volume:${v.metadata?.name}`),
      onUpdate: (_o, v) => this.queue.add(`volume:${v.metadata?.name}`),
    });
    this.options.factory.start();
    await Promise.all([this.claims.waitForSync(), this.volumes.waitForSync(), this.classes.waitForSync()]);
    this.worker = this.work();
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.worker;
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
    if (!claim || claim.metadata?.deletionTimestamp || claim.spec?.volumeName || provisionerOf(claim) !== LOCAL_PATH_PROVISIONER) return;
    const sc = this.classes.lister().get(classOf(claim));
    if (!sc || sc.provisioner !== LOCAL_PATH_PROVISIONER) return;
    const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    if (selected ? selected !== this.options.nodeName : sc.volumeBindingMode === 'WaitForFirstConsumer') return;
    if (this.volumes.lister().get(volumeNameFor(claim))) return;
    const path = storagePathFor(this.options.dataDir, claim);
    await mkdir(path, { recursive: true, mode: 0o777 });
    try {
      await this.volumeApi.create(volumeFor(claim, sc, this.options.nodeName, path));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      await rm(path, { recursive: true, force: true }); // another node won the race for an Immediate claim
      return;
    }
    this.logger.info('provisioned local-path volume', { claim: nsName, volume: volumeNameFor(claim), path });
  }

  private async reconcileVolume(name: string): Promise<void> {
    const pv = this.volumes.lister().get(name);
    if (!pv || pv.metadata?.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER || nodeOf(pv) !== this.options.nodeName) return;
    if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
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
