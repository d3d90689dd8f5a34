// Finding owners and owned objects in informer caches: the "controllerUID" index
// (controller.AddPodControllerUIDIndexer, generalised: objects filed under their controller's UID,
// orphans under ""; controllers sharing an informer add it once), resolving a controller reference,
// and the owners whose selector matches an orphan.

import type { Selector } from '../../api/labels/index.js';
import type { KubeObject, OwnerReference } from '../../api/object.js';
import { controllerOf } from '../../api/meta.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';

export const CONTROLLER_UID_INDEX = 'controllerUID';
/** The index key of objects without a controller. */
export const ORPHAN_INDEX_KEY = '';

export function ensureControllerUIDIndex<T extends KubeObject>(informer: SharedIndexInformer<T>): void {
  if (informer.getIndexer().indexerNames().includes(CONTROLLER_UID_INDEX)) return;
  informer.addIndexers({ [CONTROLLER_UID_INDEX]: (obj: T) => [controllerOf(obj)?.uid ?? ORPHAN_INDEX_KEY] });
}

/** Objects controlled by `uid` plus the orphans (the candidates a controller may claim). */
export function ownedAndOrphans<T extends KubeObject>(informer: SharedIndexInformer<T>, namespace: string, uid: string): T[] {
  const ix = informer.getIndexer();
  const orphans = ix.byIndex(CONTROLLER_UID_INDEX, ORPHAN_INDEX_KEY).filter((o) => o.metadata?.namespace === namespace);
  return [...ix.byIndex(CONTROLLER_UID_INDEX, uid), ...orphans];
}

/** resolveControllerRef: the owner a controller reference names, if it is of `kind` and has the same UID. */
export function resolveControllerRef<T extends KubeObject>(informer: SharedIndexInformer<T>, kind: string, namespace: string, ref: OwnerReference | undefined): T | undefined {
  if (!ref || ref.kind !== kind) return undefined;
  const owner = informer.lister().namespace(namespace).get(ref.name);
  return owner?.metadata?.uid === ref.uid ? owner : undefined;
}

/** The owners in the object's namespace whose (non-empty) selector matches its labels — candidates to adopt an orphan. */
export function ownersSelecting<T extends KubeObject>(informer: SharedIndexInformer<T>, obj: KubeObject, selectorOf: (owner: T) => Selector | undefined): T[] {
  const labels = obj.metadata?.labels;
  if (!labels || Object.keys(labels).length === 0) return [];
  return informer
    .lister()
    .namespace(obj.metadata?.namespace ?? '')
    .list()
    .filter((o) => {
      const s = selectorOf(o);
      return s !== undefined && !s.empty && s.matches(labels);
    });
}
