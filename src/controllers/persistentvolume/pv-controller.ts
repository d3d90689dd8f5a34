// The PersistentVolume controller (pkg/controller/volume/persistentvolume, the binder half): one
// queue of keys — "ns/name" for claims, "name" for volumes — synced from the informer caches.
// A claim is bound to the volume findMatchingVolume picks (or the one it names), claims whose
// class binds WaitForFirstConsumer wait for the scheduler (which pre-binds a volume or sets
// volume.kubernetes.io/selected-node), and claims no volume serves are handed to their class's
// provisioner through the volume.kubernetes.io/storage-provisioner annotation. A volume whose claim
// is gone is Released; then reclaimPolicy decides: Retain keeps it, Delete is the provisioner's
// to carry out for volumes it provisioned (pv.kubernetes.io/provisioned-by), and Failed otherwise,
// since Kite has no in-tree deleters. Phase changes are written through the status subresource.
// Unbound claims that name no class get the default class once one exists (retroactive default
// StorageClass assignment), and every volume and claim is synced again each
// --pvclaimbinder-sync-period (15 s), as Kubernetes does.

import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { formatTime } from '../../api/meta.js';
import { isNotFound } from '../../api/status-predicates.js';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimBoundTo, provisionerOf, volumeBoundTo } from '../../api/volume/binding.js';
import { findMatchingVolume, isVolumeBoundToClaim, volumeSatisfiesClaim } from '../../api/volume/pv-matching.js';
import { BETA_STORAGE_CLASS_ANNOTATION, classOf, defaultClassOf } from '../../api/volume/storage-class.js';
import type { EventRecorder } from '../../client/events/index.js';
import { objectOf, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources, type ResourceClient } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { claimStatusFor } from './phases.js';

export class PersistentVolumeController extends QueueController {
  private readonly volumes: SharedIndexInformer<PersistentVolume>;
  private readonly claims: SharedIndexInformer<PersistentVolumeClaim>;
  private readonly classes: SharedIndexInformer<StorageClass>;
  private readonly volumeApi: ResourceClient<PersistentVolume>;
  private readonly claimApi: ResourceClient<PersistentVolumeClaim>;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super('persistentvolume-binder', ctx, { workers: 1 });
    this.volumes = ctx.informers.forResource<PersistentVolume>(resources.PERSISTENTVOLUMES);
    this.claims = ctx.informers.forResource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS);
    this.classes = ctx.informers.forResource<StorageClass>(resources.STORAGECLASSES);
    this.volumeApi = ctx.client.resource<PersistentVolume>(resources.PERSISTENTVOLUMES);
    this.claimApi = ctx.client.resource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS);
    this.recorder = ctx.recorder('persistentvolume-controller');
    const onVolume = (pv: PersistentVolume) => {
      this.enqueue(pv);
      const ref = pv.spec?.claimRef;
      if (ref?.name) this.queue.add(`${ref.namespace ?? ''}/${ref.name}`);
      // A free volume may serve a claim that is waiting (Kubernetes finds it at the next 15 s resync).
      else if (pv.status?.phase === 'Available') this.enqueueWaitingClaims(classOf(pv));
    };
    this.volumes.addEventHandler({ onAdd: onVolume, onUpdate: (_o, pv) => onVolume(pv), onDelete: (o) => onVolume(objectOf(o)) });
    this.claims.addEventHandler({
      onAdd: (c) => this.enqueue(c),
      onUpdate: (_o, c) => this.enqueue(c),
      onDelete: (o) => {
        const c = objectOf(o);
        if (c.spec?.volumeName) this.queue.add(c.spec.volumeName);
        // A volume pre-bound to it by the scheduler or a provisioner may name it without spec.volumeName being set yet.
        for (const pv of this.volumes.lister().list()) if (isVolumeBoundToClaim(pv, c)) this.enqueue(pv);
      },
    });
    // A class that appears may let its waiting claims be provisioned.
    this.classes.addEventHandler({
      onAdd: (sc) => this.enqueueWaitingClaims(sc.metadata?.name ?? ''),
      // A class that becomes the default is given to the claims that name none.
      onUpdate: (_o, sc) => this.enqueueWaitingClaims(sc.metadata?.name ?? ''),
    });
  }

  /** Enqueues the claims of a class (and those naming none, which may get it) not bound to a volume yet. */
  private enqueueWaitingClaims(className: string): void {
    for (const c of this.claims.lister().list()) {
      if (!c.spec?.volumeName && (classOf(c) === className || c.spec?.storageClassName == null)) this.enqueue(c);
    }
  }

  /** The workers, and every --pvclaimbinder-sync-period a sync of every volume and claim (resync). */
  override async run(signal: AbortSignal): Promise<void> {
    const timer = this.ctx.clock.setInterval(() => {
      for (const pv of this.volumes.lister().list()) this.enqueue(pv);
      for (const c of this.claims.lister().list()) this.enqueue(c);
    }, this.ctx.settings.pvClaimBinderSyncPeriodMs);
    try {
      await super.run(signal);
    } finally {
      timer.cancel();
    }
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    if (!namespace) return this.syncVolume(name);
    const claim = this.claims.lister().namespace(namespace).get(name);
    if (!claim || claim.metadata?.deletionTimestamp) return;
    if (claim.metadata?.annotations?.[ANN_BIND_COMPLETED]) return this.syncBoundClaim(claim);
    return this.syncUnboundClaim(claim);
  }

  // ---- claims ---------------------------------------------------------------------------------

  private async syncUnboundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) {
      if (await this.assignDefaultClass(claim)) return; // its update event brings it back
      const sc = this.classes.lister().get(classOf(claim));
      const delayBinding = sc?.volumeBindingMode === 'WaitForFirstConsumer';
      const pv = findMatchingVolume(claim, this.volumes.lister().list(), { delayBinding });
      if (pv) return this.bind(pv, claim);
      if (delayBinding && !claim.metadata?.annotations?.[ANN_SELECTED_NODE]) {
        this.recorder.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      } else if (classOf(claim) !== '') {
        await this.provision(claim, sc);
      } else {
        this.recorder.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      }
      return this.setClaimPhase(claim, 'Pending');
    }
    const pv = this.volumes.lister().get(volumeName);
    if (!pv) return this.setClaimPhase(claim, 'Pending');
    if (!pv.spec?.claimRef) {
      const mismatch = volumeSatisfiesClaim(claim, pv);
      if (mismatch) {
        this.recorder.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${mismatch}`);
        return this.setClaimPhase(claim, 'Pending');
      }
      return this.bind(pv, claim);
    }
    if (isVolumeBoundToClaim(pv, claim)) return this.bind(pv, claim);
    if (!claim.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
      this.recorder.event(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
    }
    return this.setClaimPhase(claim, 'Pending');
  }

  private async syncBoundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) return this.lose(claim, 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    const pv = this.volumes.lister().get(volumeName);
    if (!pv) return this.lose(claim, 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, claim)) return this.bind(pv, claim);
    return this.lose(claim, 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  /**
   * Retroactive default StorageClass assignment: an unbound claim that names no class (not even "")
   * gets the default class once there is one. True when the claim was updated.
   */
  private async assignDefaultClass(claim: PersistentVolumeClaim): Promise<boolean> {
    if (claim.spec?.storageClassName !== undefined && claim.spec.storageClassName !== null) return false;
    if (claim.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] !== undefined) return false;
    const def = defaultClassOf(this.classes.lister().list());
    if (!def?.metadata?.name) return false;
    await this.claimApi.namespace(claim.metadata?.namespace ?? '').update({ ...claim, spec: { ...claim.spec, storageClassName: def.metadata.name } });
    return true;
  }

  /** Hands the claim to its class's provisioner (the external-provisioner protocol). */
  private async provision(claim: PersistentVolumeClaim, sc: StorageClass | undefined): Promise<void> {
    if (!sc) {
      this.recorder.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${classOf(claim)}" not found`);
      return;
    }
    if (provisionerOf(claim) !== sc.provisioner) {
      const annotations = { [ANN_STORAGE_PROVISIONER]: sc.provisioner, [ANN_BETA_STORAGE_PROVISIONER]: sc.provisioner };
      await this.claimApi.namespace(claim.metadata?.namespace ?? '').patch(claim.metadata?.name ?? '', 'merge', { metadata: { annotations } });
    }
    this.recorder.event(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  /** Both halves of the binding and both Bound phases, each written only when it differs. */
  private async bind(pv: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    const ns = claim.metadata?.namespace ?? '';
    const boundVolume = volumeBoundTo(pv, claim);
    if (boundVolume) pv = await this.volumeApi.update(boundVolume);
    if (pv.status?.phase !== 'Bound') pv = await this.volumeApi.updateStatus({ ...pv, status: { ...pv.status, phase: 'Bound', lastPhaseTransitionTime: this.now() } });
    const boundClaim = claimBoundTo(claim, pv);
    if (boundClaim) claim = await this.claimApi.namespace(ns).update(boundClaim);
    const status = claimStatusFor(claim, pv);
    if (status) await this.claimApi.namespace(ns).updateStatus({ ...claim, status });
  }

  private async setClaimPhase(claim: PersistentVolumeClaim, phase: 'Pending' | 'Lost'): Promise<void> {
    if (claim.status?.phase === phase) return;
    await this.claimApi.namespace(claim.metadata?.namespace ?? '').updateStatus({ ...claim, status: { ...claim.status, phase } });
  }

  private async lose(claim: PersistentVolumeClaim, reason: string, message: string): Promise<void> {
    if (claim.status?.phase === 'Lost') return;
    this.recorder.event(claim, 'Warning', reason, message);
    await this.setClaimPhase(claim, 'Lost');
  }

  // ---- volumes --------------------------------------------------------------------------------

  private async syncVolume(name: string): Promise<void> {
    const pv = this.volumes.lister().get(name);
    if (!pv || pv.metadata?.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref || !ref.uid) {
      // Free, or reserved for a claim (uid unset) whose sync will bind it.
      if (ref?.name) this.queue.add(`${ref.namespace ?? ''}/${ref.name}`);
      await this.setVolumePhase(pv, 'Available');
      return;
    }
    let claim = this.claims.lister().namespace(ref.namespace ?? '').get(ref.name ?? '');
    // The cache may not have seen a claim created an instant ago: ask the API server before releasing.
    if (!claim) claim = await this.liveClaim(ref.namespace ?? '', ref.name ?? '');
    if (!claim || claim.metadata?.uid !== ref.uid) return this.release(pv);
    if (!claim.spec?.volumeName) {
      this.queue.add(`${ref.namespace ?? ''}/${ref.name ?? ''}`); // binding in progress: the claim's sync finishes it
      return;
    }
    if (claim.spec.volumeName === name) {
      await this.setVolumePhase(pv, 'Bound');
      return;
    }
    // The claim is bound to another volume.
    if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY] && pv.spec?.persistentVolumeReclaimPolicy === 'Delete') return this.release(pv);
    const spec = { ...pv.spec };
    const annotations = { ...(pv.metadata?.annotations ?? {}) };
    if (annotations[ANN_BOUND_BY_CONTROLLER]) {
      delete spec.claimRef;
      delete annotations[ANN_BOUND_BY_CONTROLLER];
    } else {
      spec.claimRef = { ...ref, uid: '' };
    }
    const unbound = await this.volumeApi.update({ ...pv, metadata: { ...pv.metadata, annotations }, spec });
    await this.setVolumePhase(unbound, 'Available');
  }

  /** The claim is gone: Released, then the reclaim policy. */
  private async release(pv: PersistentVolume): Promise<void> {
    const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (pv.status?.phase === 'Failed') return;
    if (pv.status?.phase !== 'Released') pv = await this.setVolumePhase(pv, 'Released');
    if (policy === 'Retain') return;
    if (policy === 'Delete' && pv.metadata?.annotations?.[ANN_PROVISIONED_BY]) return; // the provisioner deletes it
    const message =
      policy === 'Delete'
        ? `error getting deleter volume plugin for volume "${pv.metadata?.name}": no deletable volume plugin matched`
        : `no volume plugin matched name: kubernetes.io/recycle`;
    this.recorder.event(pv, 'Warning', policy === 'Delete' ? 'VolumeFailedDelete' : 'VolumeFailedRecycle', message);
    await this.setVolumePhase(pv, 'Failed', message);
  }

  private async setVolumePhase(pv: PersistentVolume, phase: string, message?: string): Promise<PersistentVolume> {
    if (pv.status?.phase === phase) return pv;
    const status = { phase, lastPhaseTransitionTime: this.now(), ...(message ? { message } : {}) };
    return this.volumeApi.updateStatus({ ...pv, status });
  }

  private async liveClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> {
    try {
      return await this.claimApi.namespace(namespace).get(name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private now(): string {
    return formatTime(this.ctx.clock.now());
  }
}
