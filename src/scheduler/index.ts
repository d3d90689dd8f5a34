// Kite's scheduler (kube-scheduler): the entry point the CLI calls, and the parts for embedding.

export { startScheduler, type RunningScheduler, type StartSchedulerOptions, type LeaderElectionOptions } from './start.js';
export { Scheduler, numFeasibleNodesToFind, selectHost, type SchedulerApi, type SchedulerOptions } from './scheduler.js';
export { loadConfiguration, resolveConfiguration, DEFAULT_PLUGINS, DEFAULT_SCHEDULER_NAME, type SchedulerConfiguration, type Profile } from './framework/config.js';
export { inTreeRegistry } from './plugins/registry.js';
export { Status, Code } from './framework/status.js';
export type * from './framework/interfaces.js';
export { SchedulerMetrics, serveMetrics, type SchedulerMetricsSink, type AttemptResult, type MetricsServer } from './metrics.js';
