// The kubelet's periods and backoffs, with Kubernetes' defaults; tests pass short ones.

export interface KubeletTimings {
  /** How often node status is computed and, when changed, posted (nodeStatusUpdateFrequency). */
  nodeStatusUpdateMs: number;
  /** Post node status at least this often even when unchanged (nodeStatusReportFrequency). */
  nodeStatusReportMs: number;
  /** How often the node Lease is renewed. */
  leaseRenewMs: number;
  leaseDurationSeconds: number;
  /** How often every pod is synced again. */
  podResyncMs: number;
  /** How often runtime state is relisted to notice container changes (the PLEG). */
  relistMs: number;
  /** How often runtime objects with no pod are cleaned up. */
  housekeepingMs: number;
  /** CrashLoopBackOff: first delay, cap, and how long a container must stay quiet for a reset. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  backoffResetMs: number;
  /** How often the static pod path is read again besides its watch (fileCheckFrequency). */
  fileCheckMs: number;
}

export const DEFAULT_TIMINGS: KubeletTimings = {
  nodeStatusUpdateMs: 10_000,
  nodeStatusReportMs: 5 * 60_000,
  leaseRenewMs: 10_000,
  leaseDurationSeconds: 40,
  podResyncMs: 10_000,
  relistMs: 1_000,
  housekeepingMs: 2_000,
  backoffInitialMs: 10_000,
  backoffMaxMs: 5 * 60_000,
  backoffResetMs: 10 * 60_000,
  fileCheckMs: 20_000,
};

export function resolveTimings(partial: Partial<KubeletTimings> = {}): KubeletTimings {
  return { ...DEFAULT_TIMINGS, ...partial };
}
