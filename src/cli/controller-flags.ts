// The controller manager's flags, shared by `kite controller-manager` and `kite server` (which runs
// the controllers in-process): the --controllers selection and kube-controller-manager's timings.

import { Command, InvalidArgumentError } from 'commander';
import type { ControllerSettings } from '../controllers/index.js';
import { parseDuration } from '../util/duration.js';

export interface ControllerFlags {
  controllers: string;
  nodeMonitorGracePeriod?: number;
  nodeMonitorPeriod?: number;
  nodeEvictionRate?: number;
  terminatedPodGcThreshold?: number;
  maxEndpointsPerSlice?: number;
  jobPodFailureBackoff?: number;
  concurrentGcSyncs?: number;
  concurrentNamespaceSyncs?: number;
  namespaceSyncPeriod?: number;
  nodeStartupGracePeriod?: number;
  secondaryNodeEvictionRate?: number;
  unhealthyZoneThreshold?: number;
  largeClusterSizeThreshold?: number;
  podGcPeriod?: number;
  podGcQuarantine?: number;
  pvclaimbinderSyncPeriod?: number;
  horizontalPodAutoscalerSyncPeriod?: number;
  horizontalPodAutoscalerDownscaleStabilization?: number;
  concurrentReplicasetSyncs?: number;
  concurrentRcSyncs?: number;
  concurrentDeploymentSyncs?: number;
  concurrentStatefulsetSyncs?: number;
  concurrentDaemonsetSyncs?: number;
  kubeApiQps?: number;
  kubeApiBurst?: number;
  clusterSigningDuration?: number;
}

const duration = (text: string): number => {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};
const number = (text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a non-negative number');
  return n;
};

export function addControllerFlags(command: Command): Command {
  return command
    .option('--controllers <list>', 'controllers to run: "*" for all, NAME to enable, -NAME to disable (comma-separated)', '*')
    .option('--node-monitor-grace-period <duration>', 'time a node may go without a heartbeat before it is marked unknown (50s)', duration)
    .option('--node-monitor-period <duration>', 'how often node health is checked (5s)', duration)
    .option('--node-eviction-rate <rate>', 'pods evicted per second per zone from unhealthy nodes (0.1)', number)
    .option('--terminated-pod-gc-threshold <n>', 'terminated pods kept before the oldest are deleted (12500)', number)
    .option('--max-endpoints-per-slice <n>', 'endpoints per EndpointSlice (100)', number)
    .option('--job-pod-failure-backoff <duration>', 'first delay before a failed Job pod is replaced, doubling per failure (10s)', duration)
    .option('--concurrent-gc-syncs <n>', 'garbage collector workers (20)', number)
    .option('--concurrent-namespace-syncs <n>', 'namespace controller workers (10)', number)
    .option('--namespace-sync-period <duration>', 'how often terminating namespaces are looked at again (5m)', duration)
    .option('--node-startup-grace-period <duration>', 'time a new node may go without posting status before it is marked unknown (1m)', duration)
    .option('--secondary-node-eviction-rate <rate>', 'nodes per second evicted in a partially disrupted zone (0.01)', number)
    .option('--unhealthy-zone-threshold <fraction>', 'share of not-ready nodes that makes a zone partially disrupted (0.55)', number)
    .option('--large-cluster-size-threshold <n>', 'zones larger than this keep evicting at the secondary rate when partially disrupted (50)', number)
    .option('--pod-gc-period <duration>', 'Kite: how often pod GC runs (20s)', duration)
    .option('--pod-gc-quarantine <duration>', 'Kite: how long pod GC waits before deleting the pods of a vanished node (40s)', duration)
    .option('--pvclaimbinder-sync-period <duration>', 'how often the PV controller syncs every volume and claim (15s)', duration)
    .option('--concurrent-replicaset-syncs <n>', 'replica sets synced concurrently (5)', number)
    .option('--concurrent-rc-syncs <n>', 'replication controllers synced concurrently (5)', number)
    .option('--concurrent-deployment-syncs <n>', 'deployments synced concurrently (5)', number)
    .option('--concurrent-statefulset-syncs <n>', 'stateful sets synced concurrently (5)', number)
    .option('--concurrent-daemonset-syncs <n>', 'daemon sets synced concurrently (2)', number)
    .option('--kube-api-qps <qps>', 'requests per second to the API server (20; 0: unlimited)', number)
    .option('--kube-api-burst <n>', 'burst of requests to the API server (30)', number)
    .option('--horizontal-pod-autoscaler-sync-period <duration>', 'how often each HorizontalPodAutoscaler is reconciled (15s)', duration)
    .option('--horizontal-pod-autoscaler-downscale-stabilization <duration>', 'scale-down stabilization window of autoscalers without behavior (5m)', duration)
    .option('--cluster-signing-duration <duration>', 'the longest certificate the CSR signer issues, and its default (8760h)', duration);
}

export function controllerSelection(flags: ControllerFlags): string[] {
  return flags.controllers.split(',').map((s) => s.trim()).filter(Boolean);
}

export function controllerSettings(flags: ControllerFlags): Partial<ControllerSettings> {
  const s: Partial<ControllerSettings> = {};
  if (flags.nodeMonitorGracePeriod !== undefined) s.nodeMonitorGracePeriodMs = flags.nodeMonitorGracePeriod;
  if (flags.nodeMonitorPeriod !== undefined) s.nodeMonitorPeriodMs = flags.nodeMonitorPeriod;
  if (flags.nodeEvictionRate !== undefined) s.nodeEvictionRate = flags.nodeEvictionRate;
  if (flags.terminatedPodGcThreshold !== undefined) s.terminatedPodGcThreshold = flags.terminatedPodGcThreshold;
  if (flags.maxEndpointsPerSlice !== undefined) s.maxEndpointsPerSlice = flags.maxEndpointsPerSlice;
  if (flags.jobPodFailureBackoff !== undefined) s.jobPodFailureBackoffMs = flags.jobPodFailureBackoff;
  if (flags.concurrentGcSyncs !== undefined) s.concurrentGcSyncs = flags.concurrentGcSyncs;
  if (flags.concurrentNamespaceSyncs !== undefined) s.concurrentNamespaceSyncs = flags.concurrentNamespaceSyncs;
  if (flags.namespaceSyncPeriod !== undefined) s.namespaceSyncPeriodMs = flags.namespaceSyncPeriod;
  if (flags.nodeStartupGracePeriod !== undefined) s.nodeStartupGracePeriodMs = flags.nodeStartupGracePeriod;
  if (flags.secondaryNodeEvictionRate !== undefined) s.secondaryNodeEvictionRate = flags.secondaryNodeEvictionRate;
  if (flags.unhealthyZoneThreshold !== undefined) s.unhealthyZoneThreshold = flags.unhealthyZoneThreshold;
  if (flags.largeClusterSizeThreshold !== undefined) s.largeClusterSizeThreshold = flags.largeClusterSizeThreshold;
  if (flags.podGcPeriod !== undefined) s.podGcPeriodMs = flags.podGcPeriod;
  if (flags.podGcQuarantine !== undefined) s.podGcQuarantineMs = flags.podGcQuarantine;
  if (flags.pvclaimbinderSyncPeriod !== undefined) s.pvClaimBinderSyncPeriodMs = flags.pvclaimbinderSyncPeriod;
  if (flags.horizontalPodAutoscalerSyncPeriod !== undefined) s.hpaSyncPeriodMs = flags.horizontalPodAutoscalerSyncPeriod;
  if (flags.horizontalPodAutoscalerDownscaleStabilization !== undefined) s.hpaDownscaleStabilizationMs = flags.horizontalPodAutoscalerDownscaleStabilization;
  if (flags.concurrentReplicasetSyncs !== undefined) s.concurrentReplicaSetSyncs = flags.concurrentReplicasetSyncs;
  if (flags.concurrentRcSyncs !== undefined) s.concurrentRCSyncs = flags.concurrentRcSyncs;
  if (flags.concurrentDeploymentSyncs !== undefined) s.concurrentDeploymentSyncs = flags.concurrentDeploymentSyncs;
  if (flags.concurrentStatefulsetSyncs !== undefined) s.concurrentStatefulSetSyncs = flags.concurrentStatefulsetSyncs;
  if (flags.concurrentDaemonsetSyncs !== undefined) s.concurrentDaemonSetSyncs = flags.concurrentDaemonsetSyncs;
  if (flags.kubeApiQps !== undefined) s.kubeApiQps = flags.kubeApiQps;
  if (flags.kubeApiBurst !== undefined) s.kubeApiBurst = flags.kubeApiBurst;
  if (flags.clusterSigningDuration !== undefined) s.clusterSigningDurationMs = flags.clusterSigningDuration;
  return s;
}
