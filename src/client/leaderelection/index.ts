// Leader election on coordination.k8s.io/v1 Leases (client-go's leaderelection).

export {
  LeaderElector,
  DEFAULT_LEASE_DURATION_MS,
  DEFAULT_RENEW_DEADLINE_MS,
  DEFAULT_RETRY_PERIOD_MS,
  JITTER_FACTOR,
  type LeaderCallbacks,
  type LeaderElectionConfig,
} from './leader-elector.js';
export { LeaseLock, type LeaseLockOptions, type ResourceLock } from './lease-lock.js';
export type { Lease, LeaseApi } from './lease-api.js';
export { leaseSpecFromRecord, recordFromLeaseSpec, type LeaderElectionRecord } from './record.js';
export { restLeaseApi } from './rest-lease-api.js';
export { runElected, type ElectedComponent, type ElectedOptions, type LeaderElectionOptions } from './elected.js';
