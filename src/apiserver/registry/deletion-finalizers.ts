// The garbage collector's finalizers a delete puts on an object (the generic registry's
// deletionFinalizersForGarbageCollection): "orphan" when dependents are to be orphaned,
// "foregroundDeletion" when they are to be deleted first. An explicit propagationPolicy wins, then
// a finalizer the object already has, then the kind's default policy; the two never coexist.

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';
export type GarbageCollectionPolicy = 'DeleteDependents' | 'OrphanDependents' | 'Unsupported';

function shouldOrphan(finalizers: readonly string[], policy: PropagationPolicy | undefined, kindDefault: GarbageCollectionPolicy): boolean {
  if (kindDefault === 'Unsupported') return false;
  if (policy) return policy === 'Orphan';
  for (const f of finalizers) {
    if (f === FINALIZER_ORPHAN) return true;
    if (f === FINALIZER_FOREGROUND) return false;
  }
  return kindDefault === 'OrphanDependents';
}

function shouldDeleteFirst(finalizers: readonly string[], policy: PropagationPolicy | undefined, kindDefault: GarbageCollectionPolicy): boolean {
  if (kindDefault === 'Unsupported') return false;
  if (policy) return policy === 'Foreground';
  for (const f of finalizers) {
    if (f === FINALIZER_FOREGROUND) return true;
    if (f === FINALIZER_ORPHAN) return false;
  }
  return false;
}

/** The object's finalizers after a delete with `policy` (order kept; the GC's finalizers last). */
export function deletionFinalizers(
  finalizers: readonly string[],
  policy: PropagationPolicy | undefined,
  kindDefault: GarbageCollectionPolicy = 'DeleteDependents',
): string[] {
  const orphan = shouldOrphan(finalizers, policy, kindDefault);
  const foreground = shouldDeleteFirst(finalizers, policy, kindDefault);
  const next = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (orphan) next.push(FINALIZER_ORPHAN);
  if (foreground) next.push(FINALIZER_FOREGROUND);
  // Unchanged sets keep the object's own order.
  const same = next.length === finalizers.length && next.every((f) => finalizers.includes(f));
  return same ? [...finalizers] : next;
}
