// What every control-plane component process shares around its work (kube-scheduler and
// kube-controller-manager alike): a REST client (from a kubeconfig, or given), an event
// broadcaster writing core/v1 Events with a recorder per reporting component, and optionally the
// plain-HTTP /healthz + /metrics server. close() stops them in order.

import { realClock, type Clock } from '../util/clock.js';
import { serveHealthAndMetrics, type HealthServer, type MetricsSource } from '../util/health-server.js';
import type { Logger } from '../util/log.js';
import { EventBroadcaster, restEventSink, type EventRecorder } from './events/index.js';
import { RestClient, type RestConfig } from './rest/index.js';

export interface ComponentBaseOptions {
  /** A kubeconfig path, or a RestClient (not closed by close()). */
  kubeconfig?: string;
  /** Overrides of the kubeconfig's client settings, e.g. qps and burst (--kube-api-qps/--kube-api-burst). */
  clientOverrides?: Partial<RestConfig>;
  client?: RestClient;
  clock?: Clock;
  logger: Logger;
  /** What /metrics serves. */
  metrics: MetricsSource;
  /** Serve /healthz and /metrics over plain HTTP on this port (0: any free port); off when undefined. */
  metricsPort?: number;
  /** Default 127.0.0.1. */
  metricsHost?: string;
}

export interface ComponentBase {
  client: RestClient;
  /**
   * The client leader election renews the component's Lease with: its own connection and rate
   * limit (the "leader-election" client of kube-scheduler and kube-controller-manager), so a busy
   * component's requests queued behind its QPS limit cannot starve renewals and lose the lease.
   * The given client when one was given.
   */
  electionClient: RestClient;
  /** The recorder of events reported as `component` (one per name). */
  recorder(component: string): EventRecorder;
  /** The port of the /healthz and /metrics server, when one was asked for. */
  metricsPort?: number;
  /** Flushes events, closes an own client and the health server; /healthz fails from the start. */
  close(): Promise<void>;
}

export async function startComponentBase(options: ComponentBaseOptions): Promise<ComponentBase> {
  const clock = options.clock ?? realClock;
  const ownClient = !options.client;
  const client = options.client ?? RestClient.fromKubeconfig(options.kubeconfig, options.clientOverrides ? { overrides: options.clientOverrides } : {});
  const electionClient = options.client ?? RestClient.fromKubeconfig(options.kubeconfig);
  let closing = false;
  let healthServer: HealthServer | undefined;
  if (options.metricsPort !== undefined) {
    healthServer = await serveHealthAndMetrics({
      port: options.metricsPort,
      ...(options.metricsHost ? { host: options.metricsHost } : {}),
      healthy: () => !closing,
      metrics: options.metrics,
    });
  }
  const broadcaster = new EventBroadcaster({ clock, logger: options.logger.child('events') });
  const sinkWatcher = broadcaster.startRecordingToSink(restEventSink(client));
  const recorders = new Map<string, EventRecorder>();
  let closed: Promise<void> | undefined;
  return {
    client,
    electionClient,
    recorder(component) {
      let r = recorders.get(component);
      if (!r) recorders.set(component, (r = broadcaster.newRecorder({ component })));
      return r;
    },
    ...(healthServer ? { metricsPort: healthServer.port } : {}),
    close() {
      closing = true;
      closed ??= (async () => {
        sinkWatcher.stop();
        await broadcaster.shutdown();
        if (ownClient) {
          client.close();
          electionClient.close();
        }
        await healthServer?.close();
      })();
      return closed;
    },
  };
}
