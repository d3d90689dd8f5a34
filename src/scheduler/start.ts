// startScheduler: the scheduler as a process component (what `kite scheduler` and `kite server`
// run): a REST client, shared informers on pods and nodes feeding the scheduler's handlers (and on
// claims, volumes and StorageClasses for VolumeBinding, whose changes requeue waiting pods), an
// event broadcaster writing core/v1 Events, and — optionally — leader election on the
// kube-system/kube-scheduler Lease, scheduling only while leading.

import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { startComponentBase } from '../client/component.js';
import { SharedInformerFactory, isTombstone, objectOf, type SharedIndexInformer } from '../client/informer/index.js';
import { runElected, type LeaderElectionOptions } from '../client/leaderelection/index.js';
import { resources, type RestClient } from '../client/rest/index.js';
import { realClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { DEFAULT_CLIENT_BURST, DEFAULT_CLIENT_QPS, loadConfiguration, resolveConfiguration, type SchedulerConfiguration } from './framework/config.js';
import type { Registry } from './framework/interfaces.js';
import { podKey } from './framework/node-info.js';
import { inTreeRegistry } from './plugins/registry.js';
import { ClusterEvent } from './queue/scheduling-queue.js';
import { Scheduler, type SchedulerApi } from './scheduler.js';
import { SchedulerMetrics } from './metrics.js';


export type { LeaderElectionOptions };

export interface StartSchedulerOptions {
  /** A kubeconfig path, or a RestClient (not closed by stop()). */
  kubeconfig?: string;
  client?: RestClient;
  /** A configuration object, or the path of a KubeSchedulerConfiguration file (YAML/JSON). */
  config?: SchedulerConfiguration | string;
  clock?: Clock;
  logger: Logger;
  random?: () => number;
  registry?: Registry;
  /** Run only while holding the lease (false/undefined: always run). */
  leaderElection?: boolean | LeaderElectionOptions;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** The metrics to record into (a fresh SchedulerMetrics when absent). */
  metrics?: SchedulerMetrics;
  /** Serve GET /healthz and /metrics over plain HTTP on this port (0: any free port); off when undefined. */
  metricsPort?: number;
  /** Address for the metrics server (127.0.0.1). */
  metricsHost?: string;
}

export interface RunningScheduler {
  stop(): Promise<void>;
  /** True while this instance is scheduling (leading, or no leader election). */
  isLeading(): boolean;
  /** Resolves once the first scheduler has started (caches synced). */
  started: Promise<void>;
  /** The current scheduler, while leading (for tests and metrics). */
  scheduler(): Scheduler | undefined;
  /** The scheduler's Prometheus metrics (kept across leadership changes). */
  metrics: SchedulerMetrics;
  /** The port of the /healthz and /metrics server, when metricsPort was given. */
  metricsPort?: number;
}

function restApi(client: RestClient, pods: SharedIndexInformer<Pod>): SchedulerApi {
  const podClient = client.resource<Pod>(resources.PODS);
  return {
    async updatePodCondition(pod: Pod, condition: PodCondition, nominatedNodeName?: string) {
      const status: Record<string, unknown> = { conditions: [condition] };
      if (nominatedNodeName) status['nominatedNodeName'] = nominatedNodeName;
      await podClient.namespace(pod.metadata?.namespace ?? 'default').patch(pod.metadata?.name ?? '', 'strategic', { status }, { subresource: 'status' });
    },
    getPod(pod: Pod) {
      const cur = pods.getIndexer().getByKey(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
      return cur && podKey(cur) === podKey(pod) ? cur : undefined;
    },
  };
}

export async function startScheduler(options: StartSchedulerOptions): Promise<RunningScheduler> {
  const clock = options.clock ?? realClock;
  const logger = options.logger;
  const cfg = typeof options.config === 'string' ? loadConfiguration(options.config) : (options.config ?? {});
  const profiles = resolveConfiguration(cfg);
  const registry = options.registry ?? inTreeRegistry();
  const metrics = options.metrics ?? new SchedulerMetrics();
  // An own client gets clientConnection's limits (kube-scheduler's 50/100), not the REST client's 5/10.
  const clientOverrides = { qps: cfg.clientConnection?.qps ?? DEFAULT_CLIENT_QPS, burst: cfg.clientConnection?.burst ?? DEFAULT_CLIENT_BURST };
  const base = await startComponentBase({ ...options, clock, metrics: metrics.registry, clientOverrides });
  const client = base.client;
  const recorder = base.recorder('default-scheduler');

  let current: Scheduler | undefined;
  let factory: SharedInformerFactory | undefined;
  let resolveStarted!: () => void;
  const started = new Promise<void>((r) => (resolveStarted = r));

  const runScheduler = async (signal: AbortSignal) => {
    factory = new SharedInformerFactory(client, { clock, logger: logger.child('informers'), ...(options.random ? { random: options.random } : {}) });
    const pods = factory.forResource<Pod>(resources.PODS);
    const nodes = factory.forResource<Node>(resources.NODES);
    const pdbs = factory.forResource<PodDisruptionBudget>(resources.PODDISRUPTIONBUDGETS);
    const claims = factory.forResource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS);
    const volumes = factory.forResource<PersistentVolume>(resources.PERSISTENTVOLUMES);
    const classes = factory.forResource<StorageClass>(resources.STORAGECLASSES);
    const scheduler = new Scheduler({
      profiles,
      registry,
      clock,
      logger,
      client,
      api: restApi(client, pods),
      recorder,
      metrics,
      podDisruptionBudgets: () => pdbs.lister().list(),
      volumeListers: {
        claim: (ns, name) => claims.lister().namespace(ns).get(name),
        volumes: () => volumes.lister().list(),
        storageClass: (name) => classes.lister().get(name),
      },
      ...(options.random ? { random: options.random } : {}),
      ...(options.initialBackoffMs !== undefined ? { initialBackoffMs: options.initialBackoffMs } : {}),
      ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
    });
    nodes.addEventHandler({
      onAdd: (n) => scheduler.onNodeAdd(n),
      onUpdate: (o, n) => scheduler.onNodeUpdate(o, n),
      onDelete: (n) => scheduler.onNodeDelete(isTombstone(n) ? objectOf(n) : n),
    });
    pods.addEventHandler({
      onAdd: (p) => scheduler.onPodAdd(p),
      onUpdate: (o, p) => scheduler.onPodUpdate(o, p),
      onDelete: (p) => scheduler.onPodDelete(isTombstone(p) ? objectOf(p) : p),
    });
    // Storage changes may let pods waiting on their volumes fit.
    const move = (event: (typeof ClusterEvent)[keyof typeof ClusterEvent]) => () => scheduler.queue.moveAllToActiveOrBackoffQueue(event);
    claims.addEventHandler({ onAdd: move(ClusterEvent.PvcChange), onUpdate: move(ClusterEvent.PvcChange) });
    volumes.addEventHandler({ onAdd: move(ClusterEvent.PvChange), onUpdate: move(ClusterEvent.PvChange) });
    classes.addEventHandler({ onAdd: move(ClusterEvent.StorageClassAdd) });
    factory.start();
    await factory.waitForCacheSync({ signal });
    if (signal.aborted) {
      await factory.shutdown();
      return;
    }
    current = scheduler;
    metrics.setPendingSource(() => scheduler.queue.pending());
    scheduler.start();
    logger.info('scheduler started', { profiles: profiles.map((p) => p.schedulerName).join(',') });
    resolveStarted();
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    current = undefined;
    metrics.setPendingSource(undefined);
    await scheduler.stop();
    await factory.shutdown();
  };

  const elected = runElected({
    component: 'kube-scheduler',
    client: base.electionClient,
    leaderElection: options.leaderElection,
    run: runScheduler,
    clock,
    logger,
    recorder,
    ...(options.random ? { random: options.random } : {}),
  });

  let stopping: Promise<void> | undefined;
  return {
    started,
    isLeading: () => elected.isLeading(),
    scheduler: () => current,
    metrics,
    ...(base.metricsPort !== undefined ? { metricsPort: base.metricsPort } : {}),
    stop() {
      stopping ??= (async () => {
        await elected.stop();
        await base.close();
      })();
      return stopping;
    },
  };
}
