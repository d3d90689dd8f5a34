// The leader election record (client-go's LeaderElectionRecord) and its mapping onto a Lease's
// spec: holderIdentity, leaseDurationSeconds, acquireTime and renewTime (MicroTime,
// "2006-01-02T15:04:05.000000Z"), leaseTransitions.

import type { LeaseSpec } from 'kubernetes-types/coordination/v1.js';
import { formatMicroTime, parseTime } from '../../api/meta.js';

export interface LeaderElectionRecord {
  /** Who holds the lease; "" when it was released. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** Epoch milliseconds, or undefined when the lease does not say. */
  acquireTime: number | undefined;
  renewTime: number | undefined;
  leaderTransitions: number;
}

/** LeaseSpecToLeaderElectionRecord. */
export function recordFromLeaseSpec(spec: LeaseSpec | undefined): LeaderElectionRecord {
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: parseTime(spec?.acquireTime),
    renewTime: parseTime(spec?.renewTime),
    leaderTransitions: spec?.leaseTransitions ?? 0,
  };
}

/** LeaderElectionRecordToLeaseSpec. */
export function leaseSpecFromRecord(record: LeaderElectionRecord): LeaseSpec {
  const spec: LeaseSpec = {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    leaseTransitions: record.leaderTransitions,
  };
  if (record.acquireTime !== undefined) spec.acquireTime = formatMicroTime(record.acquireTime);
  if (record.renewTime !== undefined) spec.renewTime = formatMicroTime(record.renewTime);
  return spec;
}

/** The record as the server holds it, for telling whether it changed since the last look. */
export function rawRecord(spec: LeaseSpec | undefined): string {
  return JSON.stringify([
    spec?.holderIdentity ?? '',
    spec?.leaseDurationSeconds ?? 0,
    spec?.acquireTime ?? '',
    spec?.renewTime ?? '',
    spec?.leaseTransitions ?? 0,
  ]);
}
