// What an informer tells its users about changes (cache.ResourceEventHandler).
//
// Handlers are called synchronously, in registration order, right after the cache has been
// updated — so they must be quick and must not block: the Kubernetes controller pattern is that a
// handler only computes a key and adds it to a work queue; the worker then reads the current
// state from the informer's cache (level-triggered), never from the event. A handler that throws
// is logged and skipped; the other handlers still run.

import type { KubeObject } from '../../api/object.js';
import type { DeletedFinalStateUnknown } from './tombstone.js';

export interface ResourceEventHandler<T extends KubeObject = KubeObject> {
  /** A new object; isInInitialList is true for objects of the first list (and for late handlers' replay). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** A changed object — or, on resync and relist, the same object again (oldObj === newObj on resync). */
  onUpdate?(oldObj: T, newObj: T): void;
  /** A deleted object: its final state, or a tombstone when the deletion was missed. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  /** True once the informer has synced and this handler has been given the initial objects. */
  hasSynced(): boolean;
  /** Stops calls to the handler. */
  remove(): void;
}

/**
 * cache.FilteringResourceEventHandler: passes on only objects that pass the filter; an update that
 * moves an object into or out of the filter becomes an add or a delete.
 */
export function filteringHandler<T extends KubeObject>(
  filter: (obj: T) => boolean,
  handler: ResourceEventHandler<T>,
): ResourceEventHandler<T> {
  return {
    onAdd: (obj, initial) => {
      if (filter(obj)) handler.onAdd?.(obj, initial);
    },
    onUpdate: (oldObj, newObj) => {
      const was = filter(oldObj);
      const is = filter(newObj);
      if (was && is) handler.onUpdate?.(oldObj, newObj);
      else if (!was && is) handler.onAdd?.(newObj, false);
      else if (was && !is) handler.onDelete?.(oldObj);
    },
    onDelete: (obj) => {
      const o = 'key' in obj && 'obj' in obj ? (obj as DeletedFinalStateUnknown<T>).obj : (obj as T);
      if (filter(o)) handler.onDelete?.(obj);
    },
  };
}
