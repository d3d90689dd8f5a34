// The controller manager's settings — kube-controller-manager's flags, with its defaults. Each
// controller reads its own; tests shorten the timings.

export interface ControllerSettings {
  /** Workers per controller unless a controller has its own setting (--concurrent-*-syncs). */
  concurrentSyncs: number;
  /** How long a node may go without a heartbeat before it is marked unknown (--node-monitor-grace-period). */
  nodeMonitorGracePeriodMs: number;
  /** How often node health is checked (--node-monitor-period). */
  nodeMonitorPeriodMs: number;
  /** Evictions per second per healthy zone (--node-eviction-rate). */
  nodeEvictionRate: number;
  /** Terminated pods kept before pod GC deletes the oldest (--terminated-pod-gc-threshold). */
  terminatedPodGcThreshold: number;
  /** Endpoints per EndpointSlice (--max-endpoints-per-slice). */
  maxEndpointsPerSlice: number;
  /** ReplicaSet workers (--concurrent-replicaset-syncs). */
  concurrentReplicaSetSyncs: number;
  /** ReplicationController workers (--concurrent-rc-syncs). */
  concurrentRCSyncs: number;
  /** Deployment workers (--concurrent-deployment-syncs). */
  concurrentDeploymentSyncs: number;
  /** Requests per second to the API server (--kube-api-qps); <= 0: unlimited. */
  kubeApiQps: number;
  /** Burst of requests to the API server (--kube-api-burst). */
  kubeApiBurst: number;
  /** Job workers (--concurrent-job-syncs). */
  concurrentJobSyncs: number;
  /** First delay before a failed Job pod is replaced, doubling per failure (kube's fixed 10 s; Kite's --job-pod-failure-backoff). */
  jobPodFailureBackoffMs: number;
  /** Default resync of informers, ms (0: none). */
  resyncPeriodMs: number;
}

export const DEFAULT_CONTROLLER_SETTINGS: ControllerSettings = {
  concurrentSyncs: 5,
  nodeMonitorGracePeriodMs: 50_000,
  nodeMonitorPeriodMs: 5_000,
  nodeEvictionRate: 0.1,
  terminatedPodGcThreshold: 12_500,
  maxEndpointsPerSlice: 100,
  concurrentReplicaSetSyncs: 5,
  concurrentRCSyncs: 5,
  concurrentDeploymentSyncs: 5,
  kubeApiQps: 20,
  kubeApiBurst: 30,
  concurrentJobSyncs: 5,
  jobPodFailureBackoffMs: 10_000,
  resyncPeriodMs: 0,
};
