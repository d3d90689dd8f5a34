// metav1.Preconditions: a delete or update that names a uid or resourceVersion happens only if
// the stored object still has them; otherwise it fails with InvalidObj (409 at the API).

import type { KubeObject } from '../api/object.js';
import { StorageError } from './errors.js';
import type { Preconditions } from './interface.js';

export function checkPreconditions(key: string, preconditions: Preconditions | undefined, current: KubeObject): void {
  if (!preconditions) return;
  const meta = current.metadata ?? {};
  if (preconditions.uid !== undefined && preconditions.uid !== meta.uid) {
    throw new StorageError(
      'InvalidObj',
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${meta.uid ?? ''}`,
      key,
    );
  }
  if (preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== meta.resourceVersion) {
    throw new StorageError(
      'InvalidObj',
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
      key,
    );
  }
}
