// cache.DeletedFinalStateUnknown: what onDelete receives when an object vanished while the
// informer was not watching (a relist no longer has it), so its final state was never seen. `obj`
// is the last state the cache held, possibly stale.

import type { KubeObject } from '../../api/object.js';

export class DeletedFinalStateUnknown<T extends KubeObject = KubeObject> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

export function isTombstone<T extends KubeObject>(value: T | DeletedFinalStateUnknown<T>): value is DeletedFinalStateUnknown<T> {
  return value instanceof DeletedFinalStateUnknown;
}

/** The object itself, or the last known state inside a tombstone. */
export function objectOf<T extends KubeObject>(value: T | DeletedFinalStateUnknown<T>): T {
  return value instanceof DeletedFinalStateUnknown ? value.obj : value;
}
