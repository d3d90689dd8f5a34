// `kite server`: the control-plane process. Opens the cluster state store (embedded SQLite by
// default, or etcd) with periodic compaction, creates or reuses the cluster's certificates, serves
// the Kubernetes API over HTTPS, writes DIR/admin.kubeconfig, and shuts down gracefully on
// SIGTERM/SIGINT. Runs the scheduler and the controller manager (each under leader election)
// unless --disable-scheduler / --disable-controller-manager, and a kubelet for this node unless
// --disable-agent, on the process runtime or (--runtime containerd) a containerd's CRI socket.

import { Command, InvalidArgumentError, Option } from 'commander';
import { Compactor } from '../storage/compactor.js';
import { openBackend, type StorageConfig } from '../storage/open.js';
import { ObjectStore } from '../storage/store.js';
import { realClock } from '../util/clock.js';
import { parseDuration } from '../util/duration.js';
import { createLogger } from '../util/log.js';
import { loadOrCreatePki, writeKubeconfig } from '../util/pki/index.js';
import { createTokenAuthenticator, createUnionAuthenticator, createX509Authenticator, loadTokenFile } from '../apiserver/authn/index.js';
import { builtinResources } from '../apiserver/registry/builtin.js';
import { ApiServer } from '../apiserver/server.js';
import { startScheduler } from '../scheduler/index.js';
import { startControllerManager } from '../controllers/index.js';
import { addControllerFlags, controllerSelection, controllerSettings, type ControllerFlags } from './controller-flags.js';
import { untilSignal } from './signals.js';
import { CachingStore } from '../apiserver/watchcache/index.js';
import { ServiceAllocation, ServiceAllocationRepair, ensureKubernetesService } from '../apiserver/allocators/index.js';
import { startSecureServer } from '../apiserver/serving/index.js';
import { defaultDataDir, prepareDataDir } from './data-dir.js';
import { startNodeAgent, parseTaints, RUNTIME_KINDS, type NodeAgent, type NodeRuntimeChoice } from './node-agent.js';
import { DEFAULT_CONTAINERD_ENDPOINT } from '../runtime/containerd/index.js';

interface ServerFlags extends ControllerFlags {
  dataDir: string;
  port: number;
  bindAddress: string;
  advertiseAddress?: string;
  tokenAuthFile?: string;
  serviceCidr: string;
  disableScheduler?: boolean;
  disableControllerManager?: boolean;
  store: 'sqlite' | 'etcd';
  etcdServers?: string;
  sqliteSync: 'full' | 'normal' | 'off';
  compactionInterval: number;
  disableAgent?: boolean;
  nodeName?: string;
  nodeIp?: string;
  registerWithTaints?: string;
  controlPlaneTaint?: boolean;
  nodeStatusUpdateFrequency: number;
  nodeStatusReportFrequency: number;
  nodeLeaseDurationSeconds: number;
  runtime: 'process' | 'containerd';
  containerdEndpoint: string;
  containerdNetns?: string;
  cgroupRoot?: string;
}

const port = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer 0-65535');
  return n;
};
const positiveInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
};
const duration = (text: string): number => {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

export function serverCommand(): Command {
  const command = new Command('server')
    .description('run the control plane (cluster state store; API server and the rest as they land)')
    .option('--data-dir <dir>', 'where the server keeps its state', defaultDataDir())
    .option('--port <port>', 'HTTPS port of the API server', port, 6443)
    .option('--bind-address <ip>', 'address the API server listens on', '127.0.0.1')
    .option('--advertise-address <ip>', 'address clients reach the API server at (added to its certificate)')
    .option('--token-auth-file <file>', 'static bearer tokens: CSV lines token,user,uid,"group1,group2"')
    .option('--service-cidr <cidr>', 'range Service ClusterIPs are allocated from', '10.96.0.0/12')
    .option('--disable-scheduler', 'do not run the scheduler in this process')
    .option('--disable-controller-manager', 'do not run the controllers in this process')
    .addOption(new Option('--store <kind>', 'cluster state store').choices(['sqlite', 'etcd']).default('sqlite'))
    .option('--etcd-servers <urls>', 'comma-separated etcd client URLs (with --store etcd)')
    .addOption(
      new Option('--sqlite-sync <mode>', "SQLite synchronous setting: full survives power loss, normal a process kill")
        .choices(['full', 'normal', 'off'])
        .default('full'),
    )
    .option('--compaction-interval <duration>', 'how often old revisions are compacted (0 disables)', duration, 300_000)
    .option('--disable-agent', 'do not run a kubelet for this node in this process')
    .option('--node-name <name>', "this node's name (default: the host name)")
    .option('--node-ip <ip>', "this node's InternalIP (default: the advertise or bind address)")
    .option('--register-with-taints <taints>', 'taints the node registers with: key=value:Effect,…')
    .option('--control-plane-taint', 'register the node with node-role.kubernetes.io/control-plane:NoSchedule')
    .option('--node-status-update-frequency <duration>', 'how often the kubelet computes node status (posted when changed)', duration, 10_000)
    .option('--node-status-report-frequency <duration>', 'how often the kubelet posts node status even when unchanged', duration, 300_000)
    .option('--node-lease-duration-seconds <n>', "the node Lease's duration; the kubelet renews it every quarter of it", positiveInt, 40)
    .addOption(new Option('--runtime <kind>', "the kubelet's container runtime").choices([...RUNTIME_KINDS]).default('process'))
    .option('--containerd-endpoint <sock>', "containerd's CRI socket (with --runtime containerd)", DEFAULT_CONTAINERD_ENDPOINT)
    .option('--containerd-netns <name>', 'the network namespace containerd runs in, if not the host\'s (its streaming server is dialled there)')
    .option('--cgroup-root <path>', "the cgroup parent of the pods' sandboxes (default: the runtime's)");
  return addControllerFlags(command).action((flags: ServerFlags) => runServer(flags));
}

async function runServer(flags: ServerFlags): Promise<void> {
  const log = createLogger('kite-server');
  const dirs = prepareDataDir(flags.dataDir);
  const config = storageConfig(flags, dirs.database);
  const backend = await openBackend(config);
  const store = new CachingStore(new ObjectStore(backend), { clock: realClock, logger: log.child('watchcache') });
  const compactor =
    flags.compactionInterval > 0
      ? new Compactor(backend, {
          clock: realClock,
          intervalMs: flags.compactionInterval,
          onError: (err) => log.warn('compaction failed', { error: err }),
          onCompacted: (revision) => log.debug('compacted', { revision }),
        }).start()
      : undefined;
  log.info('cluster state store open', {
    store: config.kind,
    location: config.kind === 'sqlite' ? config.path : config.endpoints.join(','),
    revision: await backend.currentRevision(),
    dataDir: dirs.root,
  });

  const extraNames = flags.advertiseAddress ? [flags.advertiseAddress] : [];
  const pki = await loadOrCreatePki(dirs.pki, {
    hostnames: extraNames,
    ips: flags.bindAddress !== '0.0.0.0' && flags.bindAddress !== '::' ? [flags.bindAddress] : [],
  });
  const allocation = new ServiceAllocation(store, { serviceCIDR: flags.serviceCidr, logger: log.child('allocators') });
  const repair = new ServiceAllocationRepair(store, allocation, { clock: realClock, logger: log.child('allocators') });
  // With several API servers on one etcd, leaks are released by the periodic pass only.
  await repair.runOnce({ releaseLeaks: config.kind === 'sqlite' });
  const authenticators = [createX509Authenticator()];
  if (flags.tokenAuthFile) authenticators.push(createTokenAuthenticator(await loadTokenFile(flags.tokenAuthFile)));
  const clientHost = flags.bindAddress === '0.0.0.0' || flags.bindAddress === '::' ? '127.0.0.1' : flags.bindAddress;
  const api = new ApiServer({
    store,
    clock: realClock,
    logger: log.child('apiserver'),
    authenticator: createUnionAuthenticator(authenticators),
    resources: builtinResources(),
    advertiseAddress: `${flags.advertiseAddress ?? clientHost}:${flags.port}`,
    healthChecks: [{ name: 'etcd', check: async () => void (await backend.currentRevision()) }],
    extraAdmission: [allocation],
    kubeletClient: { certPem: pki.kubeletClient.certPem, keyPem: pki.kubeletClient.keyPem, caPem: pki.ca.certPem },
  });
  await api.ensureSystemNamespaces();
  await api.ensureSystemPriorityClasses();
  await api.crds.start();
  await store.ready();
  const server = await startSecureServer({
    host: flags.bindAddress,
    port: flags.port,
    tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.ca.certPem },
    handler: api.handler,
    upgradeHandler: api.upgradeHandler,
    longRunning: api.longRunning,
    logger: log.child('serving'),
  });
  const services = api.catalog.lookup('', 'v1', 'services');
  if (services) {
    await ensureKubernetesService(api.storeFor(services), { clusterIP: allocation.kubernetesServiceIP, apiServerPort: server.port });
  }
  repair.start();
  await writeKubeconfig(dirs.adminKubeconfig, {
    server: `https://${clientHost.includes(':') ? `[${clientHost}]` : clientHost}:${server.port}`,
    caPem: pki.ca.certPem,
    clientCertPem: pki.admin.certPem,
    clientKeyPem: pki.admin.keyPem,
    user: 'kubernetes-admin',
    cluster: 'kite',
    context: 'kite',
  });

  const scheduler = flags.disableScheduler
    ? undefined
    : await startScheduler({ kubeconfig: dirs.adminKubeconfig, logger: log.child('scheduler'), leaderElection: true });
  const controllerManager = flags.disableControllerManager
    ? undefined
    : await startControllerManager({
        kubeconfig: dirs.adminKubeconfig,
        logger: log.child('controller-manager'),
        leaderElection: true,
        controllers: controllerSelection(flags),
        settings: controllerSettings(flags),
      });
  let agent: NodeAgent | undefined;
  if (!flags.disableAgent) {
    const taints = parseTaints(flags.registerWithTaints ?? '');
    if (flags.controlPlaneTaint) taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
    agent = await startNodeAgent({
      kubeconfig: dirs.adminKubeconfig,
      dataDir: dirs.root,
      ...(flags.nodeName ? { nodeName: flags.nodeName } : {}),
      nodeIP: flags.nodeIp ?? flags.advertiseAddress ?? clientHost,
      nodeLabels: { 'node-role.kubernetes.io/control-plane': 'true' },
      taints,
      runtime: runtimeChoice(flags),
      ...(flags.cgroupRoot ? { cgroupRoot: flags.cgroupRoot } : {}),
      logger: log.child('kubelet'),
      timings: {
        nodeStatusUpdateMs: flags.nodeStatusUpdateFrequency,
        nodeStatusReportMs: flags.nodeStatusReportFrequency,
        leaseDurationSeconds: flags.nodeLeaseDurationSeconds,
        leaseRenewMs: (flags.nodeLeaseDurationSeconds * 1000) / 4,
      },
    });
  }
  // Signal handlers go in before "ready" is announced: a signal right after it must not kill us.
  const stopped = untilSignal();
  log.info('ready', { url: `https://${clientHost}:${server.port}`, kubeconfig: dirs.adminKubeconfig });
  const signal = await stopped;
  log.info('shutting down', { signal });
  await agent?.stop();
  await Promise.all([scheduler?.stop(), controllerManager?.stop()]);
  await server.shutdown({ timeoutMs: 10_000 });
  api.crds.stop();
  repair.stop();
  await repair.idle();
  compactor?.stop();
  await compactor?.idle();
  await store.close();
  log.info('stopped');
}

function runtimeChoice(flags: ServerFlags): NodeRuntimeChoice {
  if (flags.runtime === 'process') {
    if (flags.containerdNetns) throw new Error('--containerd-netns needs --runtime containerd');
    return { kind: 'process' };
  }
  return { kind: 'containerd', endpoint: flags.containerdEndpoint, ...(flags.containerdNetns ? { netns: flags.containerdNetns } : {}) };
}

function storageConfig(flags: ServerFlags, databasePath: string): StorageConfig {
  if (flags.store === 'sqlite') {
    if (flags.etcdServers) throw new Error('--etcd-servers needs --store etcd');
    return { kind: 'sqlite', path: databasePath, synchronous: flags.sqliteSync };
  }
  const endpoints = (flags.etcdServers ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (endpoints.length === 0) throw new Error('--store etcd needs --etcd-servers URL[,URL…]');
  return { kind: 'etcd', endpoints };
}
