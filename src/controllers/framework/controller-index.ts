// The "controllerUID" index (controller.AddPodControllerUIDIndexer, generalised): objects filed
// under their controller's UID, orphans under "". Controllers sharing an informer add it once.

import type { KubeObject } from '../../api/object.js';
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
