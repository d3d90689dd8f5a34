// Routing a controlled object's events (pods, ControllerRevisions) to the owner to sync, as the
// workload controllers' addPod/updatePod/deletePod do: an object with a controller reference wakes
// that owner (if it is of the controller's kind, found in the cache with the same UID); a changed
// reference also wakes the old owner; an orphan — added, or whose labels or reference changed —
// wakes every owner whose selector matches it, to be adopted. Optional hooks see the observed
// creations and deletions (for ControllerExpectations).

import type { Selector } from '../../api/labels/index.js';
import { controllerOf } from '../../api/meta.js';
import type { KubeObject } from '../../api/object.js';
import { objectOf, type SharedIndexInformer } from '../../client/informer/index.js';
import { ownersSelecting, resolveControllerRef } from './controller-index.js';

export interface OwnedObjectRouting<O extends KubeObject, T extends KubeObject> {
  owners: SharedIndexInformer<O>;
  /** The owners' kind, as controller references name it. */
  ownerKind: string;
  selector: (owner: O) => Selector | undefined;
  enqueue: (owner: O) => void;
  /** A controlled object was created (or first seen). */
  created?: (owner: O, obj: T) => void;
  /** A controlled object is being deleted or is gone. */
  deleted?: (owner: O, obj: T) => void;
  /** A controlled object changed (after its owner was enqueued), e.g. to requeue later for minReadySeconds. */
  updated?: (owner: O, old: T, cur: T) => void;
}

export function routeOwnedObjects<O extends KubeObject, T extends KubeObject>(informer: SharedIndexInformer<T>, r: OwnedObjectRouting<O, T>): void {
  const ownerOf = (obj: T): O | undefined => resolveControllerRef(r.owners, r.ownerKind, obj.metadata?.namespace ?? '', controllerOf(obj));
  const adopters = (obj: T): O[] => ownersSelecting(r.owners, obj, r.selector);
  const gone = (obj: T): void => {
    const owner = ownerOf(obj);
    if (!owner) return;
    r.deleted?.(owner, obj);
    r.enqueue(owner);
  };
  informer.addEventHandler({
    onAdd: (obj) => {
      if (obj.metadata?.deletionTimestamp) return gone(obj);
      const owner = ownerOf(obj);
      if (owner) {
        r.created?.(owner, obj);
        r.enqueue(owner);
      } else if (!controllerOf(obj)) {
        for (const o of adopters(obj)) r.enqueue(o);
      }
    },
    onUpdate: (old, cur) => {
      if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
      if (cur.metadata?.deletionTimestamp) return gone(cur);
      const oldRef = controllerOf(old);
      const curRef = controllerOf(cur);
      const refChanged = oldRef?.uid !== curRef?.uid;
      if (refChanged && oldRef) {
        const previous = ownerOf(old);
        if (previous) r.enqueue(previous);
      }
      if (curRef) {
        const owner = ownerOf(cur);
        if (!owner) return;
        r.enqueue(owner);
        r.updated?.(owner, old, cur);
        return;
      }
      const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
      if (labelsChanged || refChanged) for (const o of adopters(cur)) r.enqueue(o);
    },
    onDelete: (obj) => gone(objectOf(obj)),
  });
}
