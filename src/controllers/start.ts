// startControllerManager: the controller manager as a process component (what `kite
// controller-manager` and `kite server` run). While it leads (Lease kube-system/
// kube-controller-manager) it builds the selected controllers on one shared informer factory,
// starts the informers, waits for their caches, then runs every controller until leadership is
// lost or it is stopped. Optionally serves /healthz and /metrics (work-queue metrics) over HTTP.

import { startComponentBase } from '../client/component.js';
import { SharedInformerFactory } from '../client/informer/index.js';
import { runElected, type LeaderElectionOptions } from '../client/leaderelection/index.js';
import type { RestClient } from '../client/rest/index.js';
import { realClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { Controller } from './framework/controller.js';
import type { CertificateAuthority } from '../util/pki/index.js';
import type { ControllerContext } from './framework/context.js';
import { ControllerMetrics } from './framework/metrics.js';
import { selectControllers, type ControllerDescriptor } from './framework/registry.js';
import { DEFAULT_CONTROLLER_SETTINGS, type ControllerSettings } from './framework/settings.js';
import { CONTROLLERS } from './registry.js';

export interface StartControllerManagerOptions {
  /** A kubeconfig path, or a RestClient (not closed by stop()). */
  kubeconfig?: string;
  client?: RestClient;
  /** The --controllers selection (default ["*"]). */
  controllers?: string[];
  /** The controllers to choose from (default: all of Kite's). */
  registry?: readonly ControllerDescriptor[];
  settings?: Partial<ControllerSettings>;
  leaderElection?: boolean | LeaderElectionOptions;
  clock?: Clock;
  random?: () => number;
  logger: Logger;
  /** Serve GET /healthz and /metrics over plain HTTP on this port (0: any free port); off when undefined. */
  metricsPort?: number;
  metricsHost?: string;
  /** The CA that signs approved CSRs (--cluster-signing-cert-file/--cluster-signing-key-file); CSRs stay unsigned without it. */
  clusterSigning?: CertificateAuthority;
}

export interface RunningControllerManager {
  /** Resolves once the controllers run (caches synced) for the first time. */
  started: Promise<void>;
  isLeading(): boolean;
  /** The names of the controllers this manager runs. */
  controllers: string[];
  metrics: ControllerMetrics;
  metricsPort?: number;
  stop(): Promise<void>;
}

export async function startControllerManager(options: StartControllerManagerOptions): Promise<RunningControllerManager> {
  const clock = options.clock ?? realClock;
  const random = options.random ?? Math.random;
  const logger = options.logger;
  const selected = selectControllers(options.registry ?? CONTROLLERS, options.controllers);
  const settings: ControllerSettings = { ...DEFAULT_CONTROLLER_SETTINGS, ...options.settings };
  const metrics = new ControllerMetrics();
  const base = await startComponentBase({ ...options, clock, metrics: metrics.registry, clientOverrides: { qps: settings.kubeApiQps, burst: settings.kubeApiBurst } });
  const { client, recorder } = base;

  let resolveStarted!: () => void;
  const started = new Promise<void>((r) => (resolveStarted = r));

  const runControllers = async (signal: AbortSignal) => {
    const informers = new SharedInformerFactory(client, { clock, random, logger: logger.child('informers'), defaultResyncMs: settings.resyncPeriodMs });
    const ca = client.config.tls?.ca;
    const rootCaPem = ca === undefined ? '' : ca.toString();
    const ctx: ControllerContext = { client, informers, recorder, clock, logger, metricsProvider: metrics.provider, settings, random, rootCaPem, ...(options.clusterSigning ? { clusterSigning: options.clusterSigning } : {}) };
    const controllers: Controller[] = selected.map((d) => d.create(ctx));
    informers.start();
    await informers.waitForCacheSync({ signal });
    if (signal.aborted) {
      await informers.shutdown();
      return;
    }
    logger.info('controllers started', { controllers: controllers.map((c) => c.name).join(',') });
    resolveStarted();
    await Promise.all(controllers.map((c) => c.run(signal).catch((err: unknown) => logger.error('controller failed', { controller: c.name, error: String(err) }))));
    await informers.shutdown();
  };

  const elected = runElected({
    component: 'kube-controller-manager',
    client: base.electionClient,
    leaderElection: options.leaderElection,
    run: runControllers,
    clock,
    logger,
    recorder: recorder('kube-controller-manager'),
    random,
  });

  let stopping: Promise<void> | undefined;
  return {
    started,
    isLeading: () => elected.isLeading(),
    controllers: selected.map((d) => d.name),
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
