// startKubelet: the kubelet as a process component (what `kite server` and `kite agent` run):
// a REST client, node registration and status, the node Lease, the event recorder, the pod
// sources (the API server's and, with a static pod path, the manifest files') and the Kubelet core
// over a ContainerRuntime. The core starts at once, so static pods run without the API server.
// stop() ends the loops but leaves containers running, as a real kubelet does on shutdown.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Pod, Service, Taint } from 'kubernetes-types/core/v1.js';
import { EventBroadcaster, restEventSink } from '../client/events/index.js';
import { RestClient } from '../client/rest/index.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { realClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { readHostInfo, type HostInfo } from './host-info.js';
import { Kubelet } from './kubelet.js';
import { NODE_RESOURCE, restKubeletApi, type KubeletApi } from './kubelet-api.js';
import { NodeLease } from './node-lease.js';
import { NodeStatusReporter } from './node-status.js';
import { startPodSource } from './pod-source.js';
import { SharedInformerFactory } from '../client/informer/index.js';
import { restLookup } from './lookup/rest-lookup.js';
import { clusterPodHelpers } from './pod-helpers.js';
import { podPullCredentials } from './pull-secrets.js';
import { LocalPathProvisioner } from './volumes/local-path/index.js';
import type { PodHelpers } from './seams.js';
import { resolveTimings, type KubeletTimings } from './timings.js';
import { kubeletImageGc, type ImageGcSettings } from './images/kubelet-image-gc.js';
import type { ImageGcManager } from './images/image-gc.js';
import { EvictionManager } from './eviction/manager.js';
import { hostSignalObserver, type SignalObserver } from './eviction/host-signals.js';
import { runtimePodUsage } from './eviction/pod-stats.js';
import { DEFAULT_EVICTION_HARD, parseEvictionHard, type Threshold } from './eviction/thresholds.js';
import { FileSource } from './static/file-source.js';
import { shutdownStep } from '../util/shutdown-steps.js';

export interface KubeletOptions {
  /** A RestClient (not closed by stop()), or a kubeconfig path. */
  client?: RestClient;
  kubeconfig?: string;
  /** Client rate limits with a kubeconfig (default 50 QPS, burst 100, as the kubelet's). */
  apiQps?: number;
  apiBurst?: number;
  nodeName: string;
  nodeIP: string;
  /** Where the kubelet keeps pod logs (<dataDir>/pods/logs/…) and pod state. */
  dataDir: string;
  runtime: ContainerRuntime;
  clock?: Clock;
  logger: Logger;
  timings?: Partial<KubeletTimings>;
  /** Extra node labels (node-role.kubernetes.io/…) and taints to register with. */
  nodeLabels?: Record<string, string>;
  registerWithTaints?: Taint[];
  /** The kubelet API port reported in status.daemonEndpoints (10250). */
  kubeletPort?: number;
  /** Env, volumes, probes and hooks (default: clusterPodHelpers over the API). */
  helpers?: PodHelpers;
  /** Run this node's local-path provisioner (hostPath volumes under <dataDir>/storage for local-path claims). */
  localPathProvisioner?: boolean;
  /** The cgroup parent of the pods' sandboxes (the kubelet's --cgroup-root; default: the runtime's). */
  cgroupParent?: string;
  /** Host facts (default: read from this machine). */
  hostInfo?: () => HostInfo;
  /** The static pod path (the kubelet's staticPodPath): pod manifests run without the API server. */
  staticPodPath?: string;
  /** Image garbage collection: the policy (default: the kubelet's) and period (5 min). */
  imageGc?: ImageGcSettings;
  /** Hard and soft eviction thresholds (--eviction-hard, default Kubernetes'; --eviction-soft), the pressure transition period and the signal observer (default: this host). */
  eviction?: KubeletEvictionOptions;
}

export interface KubeletEvictionOptions {
  /** --eviction-hard thresholds, each with its minimum reclaim (eviction/config.ts's thresholdConfig). */
  hard?: readonly Threshold[];
  /** --eviction-soft thresholds, each with its grace period and minimum reclaim. */
  soft?: readonly Threshold[];
  /** --eviction-max-pod-grace-period (seconds; 0 by default). */
  maxPodGraceSeconds?: number;
  pressureTransitionMs?: number;
  monitoringMs?: number;
  observe?: SignalObserver;
}

export interface RunningKubelet {
  readonly nodeName: string;
  readonly kubelet: Kubelet;
  readonly runtime: ContainerRuntime;
  /** The static pods of the file source, as last read. */
  staticPods(): Pod[];
  /** Resolves once the node is registered and the pod source has synced. */
  readonly started: Promise<void>;
  /** The registered Node, once registered. */
  node(): Node | undefined;
  /** A rotated client certificate for the kubelet's own API clients (new connections use it). */
  setClientCertificate(certPem: string, keyPem: string): void;
  stop(): Promise<void>;
}

export async function startKubelet(options: KubeletOptions): Promise<RunningKubelet> {
  const clock = options.clock ?? realClock;
  const logger = options.logger;
  const timings = resolveTimings(options.timings);
  const ownClient = !options.client;
  // the kubelet's client limits (kubeAPIQPS 50, kubeAPIBurst 100), not client-go's 5/10
  const client =
    options.client ??
    RestClient.fromKubeconfig(options.kubeconfig, { clock, logger: logger.child('client'), overrides: { qps: options.apiQps ?? 50, burst: options.apiBurst ?? 100 } });
  const api: KubeletApi = restKubeletApi(client);
  const runtime = options.runtime;
  const version = await runtime.version();
  const logRoot = join(options.dataDir, 'pods', 'logs');
  mkdirSync(logRoot, { recursive: true });
  const host = options.hostInfo ?? (() => readHostInfo(options.dataDir));

  // events go through a client of their own, as the kubelet's eventRecordQPS/eventBurst (50/100)
  // limit them apart from its other API calls: a burst of pod events must not delay pod status
  const eventClient = options.client
    ? undefined
    : RestClient.fromKubeconfig(options.kubeconfig, { clock, logger: logger.child('events-client'), overrides: { qps: 50, burst: 100 } });
  const broadcaster = new EventBroadcaster({ clock, logger: logger.child('events') });
  const sinkWatcher = broadcaster.startRecordingToSink(restEventSink(eventClient ?? client));
  const recorder = broadcaster.newRecorder({ component: 'kubelet', host: options.nodeName });

  const evictionHard = options.eviction?.hard ?? parseEvictionHard(DEFAULT_EVICTION_HARD);
  let core: Kubelet | undefined;
  let imageGc: ImageGcManager | undefined;
  const nodeRef = { kind: 'Node', name: options.nodeName, uid: options.nodeName };
  const eviction = new EvictionManager({
    recordNodeEvent: (reason, message) => recorder.event(nodeRef, 'Warning', reason, message),
    reclaimNodeLevel: async () => {
      await imageGc?.deleteUnusedImages();
    },
    evictor: {
      activePods: () => core?.activePods() ?? [],
      usage: () => runtimePodUsage(runtime),
      evict: (pod, message, graceSeconds) => core?.evict(pod, message, graceSeconds) ?? Promise.resolve(),
    },
    thresholds: [...evictionHard, ...(options.eviction?.soft ?? [])],
    observe: options.eviction?.observe ?? hostSignalObserver(options.dataDir),
    clock,
    logger: logger.child('eviction'),
    ...(options.eviction?.pressureTransitionMs !== undefined ? { transitionMs: options.eviction.pressureTransitionMs } : {}),
    ...(options.eviction?.monitoringMs !== undefined ? { monitoringMs: options.eviction.monitoringMs } : {}),
    ...(options.eviction?.maxPodGraceSeconds !== undefined ? { maxPodGraceSeconds: options.eviction.maxPodGraceSeconds } : {}),
  });
  eviction.start();

  const reporter = new NodeStatusReporter({
    api,
    clock,
    logger: logger.child('node-status'),
    identity: {
      nodeName: options.nodeName,
      nodeIP: options.nodeIP,
      labels: options.nodeLabels ?? {},
      taints: options.registerWithTaints ?? [],
      kubeletPort: options.kubeletPort ?? 10250,
      containerRuntimeVersion: `${version.runtimeName}://${version.runtimeVersion}`,
    },
    host,
    pressure: () => new Set(eviction.conditions()),
    // the kubelet's node reference: kind Node, uid = the node's name
    recordNodeEvent: (reason, message) => recorder.event(nodeRef, 'Normal', reason, message),
    evictionHard,
    updateMs: timings.nodeStatusUpdateMs,
    reportMs: timings.nodeStatusReportMs,
    images: async () => (await runtime.listImages()).map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.sizeBytes })),
    readinessProblem: async () => {
      try {
        await runtime.version();
        return undefined;
      } catch (err) {
        return `container runtime is down: ${(err as Error).message}`;
      }
    },
  });
  const lease = new NodeLease({
    api,
    clock,
    logger: logger.child('lease'),
    nodeName: options.nodeName,
    node: () => reporter.registered,
    renewMs: timings.leaseRenewMs,
    leaseDurationSeconds: timings.leaseDurationSeconds,
  });
  // services for the containers' service environment variables
  const serviceFactory = new SharedInformerFactory(client, { clock, logger: logger.child('services') });
  const services = serviceFactory.forResource<Service>({ group: '', version: 'v1', resource: 'services', namespaced: true, kind: 'Service' });
  serviceFactory.start();
  // its own Node, as users and controllers change it (labels and taints for admission)
  const nodeFactory = new SharedInformerFactory(client, { clock, logger: logger.child('node'), fieldSelector: `metadata.name=${options.nodeName}` });
  const nodeInformer = nodeFactory.forResource<Node>(NODE_RESOURCE);
  nodeFactory.start();
  const currentNode = (): Node | undefined => nodeInformer.getIndexer().getByKey(options.nodeName) ?? reporter.registered;
  let onProbeResult: (uid: string) => void = () => {};
  const lookup = restLookup(client);
  const clusterHelpers = options.helpers
    ? undefined
    : clusterPodHelpers({
        runtime,
        clock,
        lookup,
        dataDir: options.dataDir,
        nodeIP: options.nodeIP,
        services: () => services.getIndexer().list(),
        nodeAllocatable: () => (reporter.registered?.status?.allocatable ?? {}) as Record<string, string>,
        onProbeResult: (uid) => onProbeResult(uid),
        recordEvent: (pod, type, reason, message) => recorder.event(pod, type, reason, message),
      });
  let apiSourceSynced = false;
  const kubelet = new Kubelet({
    api,
    runtime,
    helpers: options.helpers ?? clusterHelpers!,
    clock,
    logger: logger.child('pods'),
    timings,
    nodeIP: options.nodeIP,
    node: currentNode,
    logRoot,
    runtimeName: version.runtimeName,
    recorder,
    pullCredentials: (pod, image) => podPullCredentials(lookup, pod, image),
    admitHandlers: [(pod) => eviction.admit(pod)],
    ...(options.cgroupParent ? { cgroupParent: options.cgroupParent } : {}),
    sourcesReady: () => apiSourceSynced,
  });
  core = kubelet;
  onProbeResult = (uid) => kubelet.workers.enqueue(uid);
  const provisioner = options.localPathProvisioner
    ? new LocalPathProvisioner({ client, factory: serviceFactory, nodeName: options.nodeName, dataDir: options.dataDir, clock, logger: logger.child('local-path') })
    : undefined;
  provisioner?.start().catch((err: unknown) => logger.error('local-path provisioner failed to start', { error: err as Error }));
  const registered = reporter.start().then(() => lease.start());
  const files = options.staticPodPath
    ? new FileSource({ path: options.staticPodPath, nodeName: options.nodeName, handlers: kubelet, clock, logger: logger.child('static-pods'), checkMs: timings.fileCheckMs })
    : undefined;
  files?.start();
  const source = startPodSource(client, options.nodeName, kubelet, clock, logger.child('pod-source'));
  const gc = kubeletImageGc({ runtime, runtimeName: version.runtimeName, nodeName: options.nodeName, recorder, clock, logger: logger.child('image-gc'), ...options.imageGc });
  imageGc = gc;
  let stopped = false;
  // the loops run from the start (static pods need no API server); housekeeping waits for the API source
  kubelet.start();
  void source.synced.then((synced) => (apiSourceSynced = synced));
  const started = Promise.all([registered, source.synced]).then(([, synced]) => {
    if (synced && !stopped) {
      gc.start();
      logger.info('kubelet started', { node: options.nodeName, runtime: `${version.runtimeName}://${version.runtimeVersion}` });
    }
  });
  started.catch((err: unknown) => logger.error('kubelet failed to start', { error: err as Error }));

  let stopping: Promise<void> | undefined;
  return {
    nodeName: options.nodeName,
    kubelet,
    runtime,
    staticPods: () => files?.list() ?? [],
    started,
    node: () => reporter.registered,
    setClientCertificate(certPem, keyPem) {
      if (!ownClient) throw new Error('the kubelet was given its client: rotate that client instead');
      client.setClientCertificate(certPem, keyPem);
      eventClient?.setClientCertificate(certPem, keyPem);
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        await shutdownStep('eviction manager', eviction.stop());
        files?.stop();
        await shutdownStep('pod source', source.stop());
        await shutdownStep('pod workers', kubelet.stop());
        await shutdownStep('image GC', gc.stop());
        clusterHelpers?.stop();
        await shutdownStep('local-path provisioner', provisioner?.stop());
        await shutdownStep('informers', Promise.all([serviceFactory.shutdown(), nodeFactory.shutdown()]));
        await shutdownStep('node status and lease', Promise.all([reporter.stop(), lease.stop()]));
        sinkWatcher.stop();
        await shutdownStep('events', broadcaster.shutdown());
        if (ownClient) client.close();
        eventClient?.close();
      })();
      return stopping;
    },
  };
}
