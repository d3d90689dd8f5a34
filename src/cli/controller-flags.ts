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
  concurrentReplicasetSyncs?: number;
  concurrentRcSyncs?: number;
  concurrentDeploymentSyncs?: number;
  kubeApiQps?: number;
  kubeApiBurst?: number;
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
    .option('--concurrent-replicaset-syncs <n>', 'replica sets synced concurrently (5)', number)
    .option('--concurrent-rc-syncs <n>', 'replication controllers synced concurrently (5)', number)
    .option('--concurrent-deployment-syncs <n>', 'deployments synced concurrently (5)', number)
    .option('--kube-api-qps <qps>', 'requests per second to the API server (20; 0: unlimited)', number)
    .option('--kube-api-burst <n>', 'burst of requests to the API server (30)', number);
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
  if (flags.concurrentReplicasetSyncs !== undefined) s.concurrentReplicaSetSyncs = flags.concurrentReplicasetSyncs;
  if (flags.concurrentRcSyncs !== undefined) s.concurrentRCSyncs = flags.concurrentRcSyncs;
  if (flags.concurrentDeploymentSyncs !== undefined) s.concurrentDeploymentSyncs = flags.concurrentDeploymentSyncs;
  if (flags.kubeApiQps !== undefined) s.kubeApiQps = flags.kubeApiQps;
  if (flags.kubeApiBurst !== undefined) s.kubeApiBurst = flags.kubeApiBurst;
  return s;
}
