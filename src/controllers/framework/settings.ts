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
  /** Garbage collector workers (--concurrent-gc-syncs). */
  concurrentGcSyncs: number;
  /** Namespace controller workers (--concurrent-namespace-syncs). */
  concurrentNamespaceSyncs: number;
  /** How often terminating namespaces are looked at again (--namespace-sync-period). */
  namespaceSyncPeriodMs: number;
  /** Grace for a node that never posted status before it is marked unknown (--node-startup-grace-period). */
  nodeStartupGracePeriodMs: number;
  /** Evictions per second in a partially disrupted zone of a large cluster (--secondary-node-eviction-rate). */
  secondaryNodeEvictionRate: number;
  /** Share of not-ready nodes that makes a zone partially disrupted (--unhealthy-zone-threshold). */
  unhealthyZoneThreshold: number;
  /** Zones up to this many nodes stop evicting when partially disrupted (--large-cluster-size-threshold). */
  largeClusterSizeThreshold: number;
  /** How often pod GC runs (kube-controller-manager's fixed 20 s; Kite's --pod-gc-period). */
  podGcPeriodMs: number;
  /** How long pod GC waits before deleting the pods of a node that seems gone (fixed 40 s; Kite's --pod-gc-quarantine). */
  podGcQuarantineMs: number;
  /** How often the PV controller syncs every volume and claim (--pvclaimbinder-sync-period). */
  pvClaimBinderSyncPeriodMs: number;
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
  /** StatefulSet workers (--concurrent-statefulset-syncs). */
  concurrentStatefulSetSyncs: number;
  /** DaemonSet workers (--concurrent-daemonset-syncs). */
  concurrentDaemonSetSyncs: number;
  /** First delay before a failed Job pod is replaced, doubling per failure (kube's fixed 10 s; Kite's --job-pod-failure-backoff). */
  jobPodFailureBackoffMs: number;
  /** Default resync of informers, ms (0: none). */
  resyncPeriodMs: number;
  /** How often each HorizontalPodAutoscaler is reconciled (--horizontal-pod-autoscaler-sync-period). */
  hpaSyncPeriodMs: number;
  /** Scale-down stabilization window without behavior (--horizontal-pod-autoscaler-downscale-stabilization). */
  hpaDownscaleStabilizationMs: number;
  /** The longest certificate csrsigning issues, and the default without spec.expirationSeconds (--cluster-signing-duration, 8760h). */
  clusterSigningDurationMs: number;
}

export const DEFAULT_CONTROLLER_SETTINGS: ControllerSettings = {
  concurrentSyncs: 5,
  nodeMonitorGracePeriodMs: 50_000,
  nodeMonitorPeriodMs: 5_000,
  nodeEvictionRate: 0.1,
  terminatedPodGcThreshold: 12_500,
  maxEndpointsPerSlice: 100,
  concurrentGcSyncs: 20,
  concurrentNamespaceSyncs: 10,
  namespaceSyncPeriodMs: 5 * 60_000,
  nodeStartupGracePeriodMs: 60_000,
  secondaryNodeEvictionRate: 0.01,
  unhealthyZoneThreshold: 0.55,
  largeClusterSizeThreshold: 50,
  podGcPeriodMs: 20_000,
  podGcQuarantineMs: 40_000,
  pvClaimBinderSyncPeriodMs: 15_000,
  concurrentReplicaSetSyncs: 5,
  concurrentRCSyncs: 5,
  concurrentDeploymentSyncs: 5,
  kubeApiQps: 20,
  kubeApiBurst: 30,
  concurrentJobSyncs: 5,
  concurrentStatefulSetSyncs: 5,
  concurrentDaemonSetSyncs: 2,
  jobPodFailureBackoffMs: 10_000,
  resyncPeriodMs: 0,
  hpaSyncPeriodMs: 15_000,
  hpaDownscaleStabilizationMs: 5 * 60_000,
  clusterSigningDurationMs: 365 * 24 * 60 * 60_000,
};
