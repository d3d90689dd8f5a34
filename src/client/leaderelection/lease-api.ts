// What leader election needs from the API server: get, create and update one Lease. Errors are
// StatusErrors (404 NotFound, 409 Conflict on a stale resourceVersion, …), as the REST client
// throws them; anything else counts as a transient failure.

import type { Lease } from 'kubernetes-types/coordination/v1.js';

export type { Lease };

export interface LeaseApi {
  get(namespace: string, name: string): Promise<Lease>;
  /** Creates the lease; throws AlreadyExists if another elector created it first. */
  create(lease: Lease): Promise<Lease>;
  /** Replaces the lease; throws Conflict unless metadata.resourceVersion is the current one. */
  update(lease: Lease): Promise<Lease>;
}
