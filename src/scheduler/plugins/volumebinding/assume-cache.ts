// The scheduler's assumed volume state (volumebinding's PV and PVC assume caches): between Reserve
// and the informers catching up, volumes the scheduler chose carry their claimRef and claims it
// chose to provision carry volume.kubernetes.io/selected-node, so the next pods' cycles see them
// taken. Entries are dropped on Unreserve, and once PreBind has seen the claims bound.

import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { VolumeListers } from '../../framework/interfaces.js';

export class AssumeCache {
  private readonly volumes = new Map<string, PersistentVolume>();
  private readonly claims = new Map<string, PersistentVolumeClaim>();

  assumeVolume(pv: PersistentVolume): void {
    this.volumes.set(pv.metadata?.name ?? '', pv);
  }
  assumeClaim(claim: PersistentVolumeClaim): void {
    this.claims.set(`${claim.metadata?.namespace}/${claim.metadata?.name}`, claim);
  }
  restoreVolume(name: string): void {
    this.volumes.delete(name);
  }
  restoreClaim(claim: PersistentVolumeClaim): void {
    this.claims.delete(`${claim.metadata?.namespace}/${claim.metadata?.name}`);
  }

  /** The listers with the assumed objects laid over them. */
  over(listers: VolumeListers): VolumeListers {
    return {
      claim: (ns, name) => this.claims.get(`${ns}/${name}`) ?? listers.claim(ns, name),
      volumes: () => listers.volumes().map((pv) => this.volumes.get(pv.metadata?.name ?? '') ?? pv),
      storageClass: (name) => listers.storageClass(name),
    };
  }
}
