// What a StatefulSet or DaemonSet sync starts with: the owner's selector (undefined when invalid
// or empty: nothing to do), its controller reference, and the ControllerRevisions and pods it
// controls after adoption and release (claimObjects over the controller-UID index, one fresh
// read of the owner before any adoption).

import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { selectorFromLabelSelector, type Selector } from '../../api/labels/index.js';
import type { KubeObject, OwnerReference } from '../../api/object.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources, type ResourceDescriptor, type RestClient } from '../../client/rest/index.js';
import { ownedAndOrphans } from './controller-index.js';
import { controllerRefTo } from './pods.js';
import { claimObjects, recheckDeletionTimestamp } from './ref-manager.js';

/** The owner's spec.selector, or undefined when it does not parse. */
export function selectorOf(owner: { spec?: { selector?: LabelSelector } }): Selector | undefined {
  try {
    return selectorFromLabelSelector(owner.spec?.selector);
  } catch {
    return undefined;
  }
}

export interface WorkloadClaimSources {
  client: RestClient;
  /** The owner's resource (for the fresh read before adoption). */
  descriptor: ResourceDescriptor;
  apiVersion: string;
  kind: string;
  pods: SharedIndexInformer<Pod>;
  revisions: SharedIndexInformer<ControllerRevision>;
  /** Which orphan pods may be adopted besides matching the selector (a StatefulSet's: named after it). */
  podFilter?: (pod: Pod) => boolean;
}

export interface WorkloadClaims {
  ref: OwnerReference;
  revisions: ControllerRevision[];
  pods: Pod[];
}

export async function claimRevisionsAndPods(owner: KubeObject & { spec?: { selector?: LabelSelector } }, src: WorkloadClaimSources): Promise<WorkloadClaims | undefined> {
  const selector = selectorOf(owner);
  if (!selector || selector.empty) return undefined;
  const namespace = owner.metadata?.namespace ?? '';
  const uid = owner.metadata?.uid ?? '';
  const ref = controllerRefTo(owner, src.apiVersion, src.kind);
  const recheckOwner = recheckDeletionTimestamp(() => src.client.resource<KubeObject>(src.descriptor).namespace(namespace).get(owner.metadata?.name ?? ''), owner);
  const common = { owner, ownerRef: ref, selector, recheckOwner };
  const revisions = await claimObjects<ControllerRevision>(
    { ...common, client: src.client.resource<ControllerRevision>(resources.CONTROLLERREVISIONS).namespace(namespace), kind: 'ControllerRevision' },
    ownedAndOrphans(src.revisions, namespace, uid),
  );
  const candidates = ownedAndOrphans(src.pods, namespace, uid);
  const pods = await claimObjects<Pod>(
    { ...common, client: src.client.resource<Pod>(resources.PODS).namespace(namespace), kind: 'Pod' },
    src.podFilter ? candidates.filter(src.podFilter) : candidates,
  );
  return { ref, revisions, pods };
}
