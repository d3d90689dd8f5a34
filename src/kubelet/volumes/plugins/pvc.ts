// persistentVolumeClaim (and generic ephemeral volumes, whose claim <pod>-<volume> the pod must
// own): the claim's bound PersistentVolume, which on a Kite node must be a hostPath or local volume
// (the local-path provisioner makes hostPath ones); the volume's path is mounted directly. An
// unbound or not yet created claim is a pending error (the pod stays Pending and is retried).

import { existsSync } from 'node:fs';
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import { SetUpError } from '../errors.js';
import { checkHostPathType } from './host-path.js';
import type { PluginContext, SetUpResult, VolumePlugin } from './plugin.js';

export const pvcPlugin: VolumePlugin = {
  dirName: '',
  handles: (v) => !!v.persistentVolumeClaim || !!v.ephemeral,
  async setUp(ctx: PluginContext, pod: Pod, volume: Volume): Promise<SetUpResult> {
    const ephemeral = !volume.persistentVolumeClaim;
    const source = volume.persistentVolumeClaim ?? { claimName: `${pod.metadata?.name ?? ''}-${volume.name}`, readOnly: false };
    const namespace = pod.metadata?.namespace ?? '';
    const claim = await ctx.lookup.getPersistentVolumeClaim(namespace, source.claimName);
    if (!claim) throw new SetUpError(`persistentvolumeclaim ${JSON.stringify(source.claimName)} not found`, true);
    if (ephemeral && !(claim.metadata?.ownerReferences ?? []).some((o) => o.controller && o.uid === pod.metadata?.uid)) {
      throw new SetUpError(`PVC ${namespace}/${source.claimName} was not created for pod ${namespace}/${pod.metadata?.name ?? ''} (pod is not owner)`);
    }
    if (claim.metadata?.deletionTimestamp) throw new SetUpError(`error processing PVC ${namespace}/${source.claimName}: PVC is being deleted`);
    const pvName = claim.spec?.volumeName;
    if (!pvName || claim.status?.phase !== 'Bound') throw new SetUpError(`error processing PVC ${namespace}/${source.claimName}: PVC is not bound`, true);
    const pv = await ctx.lookup.getPersistentVolume(pvName);
    if (!pv) throw new SetUpError(`persistentvolume ${JSON.stringify(pvName)} not found`, true);
    const ref = pv.spec?.claimRef;
    if (ref?.uid && claim.metadata?.uid && ref.uid !== claim.metadata.uid) {
      throw new SetUpError(`persistentvolume ${JSON.stringify(pvName)} is bound to a different claim (${ref.namespace}/${ref.name})`);
    }
    const readOnly = !!source.readOnly;
    if (pv.spec?.hostPath) {
      checkHostPathType(pv.spec.hostPath.path, pv.spec.hostPath.type);
      return { path: pv.spec.hostPath.path, readOnly };
    }
    if (pv.spec?.local) {
      if (!existsSync(pv.spec.local.path)) throw new SetUpError(`path "${pv.spec.local.path}" does not exist`);
      return { path: pv.spec.local.path, readOnly };
    }
    throw new SetUpError(`persistentvolume ${JSON.stringify(pvName)}: only hostPath and local volumes are supported on this node`);
  },
};
