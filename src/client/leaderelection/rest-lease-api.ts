// The LeaseApi of leader election over Kite's REST client (coordination.k8s.io/v1 Leases).

import { LEASES } from '../rest/descriptors.js';
import type { RestClient } from '../rest/index.js';
import type { Lease, LeaseApi } from './lease-api.js';

export function restLeaseApi(client: RestClient): LeaseApi {
  const leases = client.resource<Lease & { metadata?: { namespace?: string } }>(LEASES);
  const inNamespace = (lease: Lease) => leases.namespace(lease.metadata?.namespace ?? 'default');
  return {
    get: (namespace, name) => leases.namespace(namespace).get(name),
    create: (lease) => inNamespace(lease).create(lease),
    update: (lease) => inNamespace(lease).update(lease),
  };
}
