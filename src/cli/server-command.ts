// `kite server`: the control-plane process. Opens the cluster state store (embedded SQLite by
// default, or etcd) with periodic compaction, creates or reuses the cluster's certificates and the
// service-account signing key (DIR/pki/sa.key), serves the Kubernetes API over HTTPS, writes
// DIR/admin.kubeconfig, and shuts down gracefully on SIGTERM/SIGINT. Runs the scheduler and the
// controller manager (each under leader election) unless --disable-scheduler /
// --disable-controller-manager, and a kubelet for this node unless --disable-agent, on the process
// runtime or (--runtime containerd) a containerd's CRI socket.

import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { Compactor } from '../storage/compactor.js';
import { openBackend, type StorageConfig } from '../storage/open.js';
import { ObjectStore } from '../storage/store.js';
import { realClock } from '../util/clock.js';
import { createLogger } from '../util/log.js';
import { issueServingCertificate, loadOrCreatePki, loadOrCreateServiceAccountKey, loadVerificationKeys, writeKubeconfig } from '../util/pki/index.js';
import { DEFAULT_ISSUER } from '../apiserver/authn/service-account-token.js';
import { createBootstrapTokenAuthenticator, createTokenAuthenticator, createUnionAuthenticator, createX509Authenticator, loadTokenFile } from '../apiserver/authn/index.js';
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { BOOTSTRAP_TOKEN_NAMESPACE } from '../api/bootstrap-token.js';
import type { RestStore } from '../apiserver/registry/rest-store.js';
import { builtinResources } from '../apiserver/registry/builtin.js';
import { ApiServer } from '../apiserver/server.js';
import { startScheduler } from '../scheduler/index.js';
import { startControllerManager } from '../controllers/index.js';
import { addControllerFlags, controllerSelection, controllerSettings, type ControllerFlags } from './controller-flags.js';
import { addNodeFlags, duration, kubeletEviction, kubeletTimings, nonNegativeInt, port, runtimeChoice, type NodeFlags } from './node-flags.js';
import { imageGcPolicy } from './image-gc-flags.js';
import { shutdownStep } from '../util/shutdown-steps.js';
import { untilSignal } from './signals.js';
import { CachingStore } from '../apiserver/watchcache/index.js';
import { ServiceAllocation, ServiceAllocationRepair, ensureKubernetesService } from '../apiserver/allocators/index.js';
import { startSecureServer } from '../apiserver/serving/index.js';
import { defaultDataDir, prepareDataDir } from './data-dir.js';
import { defaultNodeName, startNodeAgent, parseTaints, type NodeAgent } from './node-agent.js';
import { defaultStorageClass } from '../kubelet/volumes/local-path/index.js';

interface ServerFlags extends ControllerFlags, NodeFlags {
  dataDir: string;
  port: number;
  bindAddress: string;
  advertiseAddress?: string;
  tokenAuthFile?: string;
  serviceAccountIssuer: string;
  apiAudiences?: string;
  serviceAccountKeyFile?: string;
  disableAdmissionPlugins?: string;
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  serviceCidr: string;
  disableScheduler?: boolean;
  disableControllerManager?: boolean;
  store: 'sqlite' | 'etcd';
  etcdServers?: string;
  sqliteSync: 'full' | 'normal' | 'off';
  compactionInterval: number;
  disableAgent?: boolean;
  controlPlaneTaint?: boolean;
}

export function serverCommand(): Command {
  const command = new Command('server')
    .description('run the control plane (cluster state store; API server and the rest as they land)')
    .option('--data-dir <dir>', 'where the server keeps its state', defaultDataDir())
    .option('--port <port>', 'HTTPS port of the API server', port, 6443)
    .option('--bind-address <ip>', 'address the API server listens on', '127.0.0.1')
    .option('--advertise-address <ip>', 'address clients reach the API server at (added to its certificate)')
    .option('--token-auth-file <file>', 'static bearer tokens: CSV lines token,user,uid,"group1,group2"')
    .option('--service-account-issuer <url>', 'the iss of service-account tokens', DEFAULT_ISSUER)
    .option('--service-account-key-file <files>', 'comma-separated PEM files of further keys that service-account tokens may be signed with')
    .option('--api-audiences <audiences>', 'comma-separated audiences the API server accepts in tokens (default: the issuer)')
    .option('--disable-admission-plugins <names>', 'comma-separated admission plugins to turn off (e.g. ServiceAccount)')
    .option('--default-not-ready-toleration-seconds <n>', 'tolerationSeconds of the not-ready:NoExecute toleration added to pods without one', nonNegativeInt, 300)
    .option('--default-unreachable-toleration-seconds <n>', 'tolerationSeconds of the unreachable:NoExecute toleration added to pods without one', nonNegativeInt, 300)
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
    .addOption(new Option('--compaction-interval <duration>', 'how often old revisions are compacted (0 disables)').argParser(duration).default(300_000, '5m'))
    .option('--disable-agent', 'do not run a kubelet for this node in this process')
    .option('--control-plane-taint', 'register the node with node-role.kubernetes.io/control-plane:NoSchedule');
  addNodeFlags(command, { nodeIp: 'the advertise or bind address' });
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
  const serviceAccountKey = await loadOrCreateServiceAccountKey(dirs.pki);
  const authenticators = [createX509Authenticator()];
  if (flags.tokenAuthFile) authenticators.push(createTokenAuthenticator(await loadTokenFile(flags.tokenAuthFile)));
  // bootstrap tokens (`kite token create`) let `kite agent` join: read from the watch cache
  let secretStore: RestStore<KubeObject> | undefined;
  authenticators.push(
    createBootstrapTokenAuthenticator({
      getSecret: async (name) => {
        try {
          return (await secretStore?.get(BOOTSTRAP_TOKEN_NAMESPACE, name, '0')) as Secret | undefined;
        } catch (err) {
          if ((err as { code?: number }).code === 404) return undefined;
          throw err;
        }
      },
    }),
  );
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
    serviceAccountTokens: {
      issuer: flags.serviceAccountIssuer,
      audiences: list(flags.apiAudiences),
      signingKey: serviceAccountKey.privateKey,
      extraPublicKeys: await loadVerificationKeys(list(flags.serviceAccountKeyFile)),
    },
    disableAdmissionPlugins: list(flags.disableAdmissionPlugins),
    defaultTolerationSeconds: { notReady: flags.defaultNotReadyTolerationSeconds, unreachable: flags.defaultUnreachableTolerationSeconds },
  });
  const secrets = api.catalog.lookup('', 'v1', 'secrets');
  secretStore = secrets ? (api.storeFor(secrets) as unknown as RestStore<KubeObject>) : undefined;
  await api.ensureSystemNamespaces();
  await api.ensureSystemPriorityClasses();
  // k3s's default class: claims that name none get `local-path`, provisioned by the node agents.
  await api.ensureObjects('storage.k8s.io', 'storageclasses', [defaultStorageClass()]);
  await api.crds.start();
  await store.ready();
  const server = await startSecureServer({
    host: flags.bindAddress,
    port: flags.port,
    // the chain includes the CA, so that a joining agent can pin it by hash (`kite agent --ca-cert-hash`)
    tls: { certPem: `${pki.serving.certPem.trimEnd()}\n${pki.ca.certPem}`, keyPem: pki.serving.keyPem, clientCaPem: pki.ca.certPem },
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
        clusterSigning: pki.ca,
      });
  let agent: NodeAgent | undefined;
  if (!flags.disableAgent) {
    const taints = parseTaints(flags.registerWithTaints ?? '');
    if (flags.controlPlaneTaint) taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
    const nodeName = flags.nodeName ?? defaultNodeName();
    const nodeIP = flags.nodeIp ?? flags.advertiseAddress ?? clientHost;
    // the kubelet API's certificate, straight from the cluster CA (an agent gets its own through a CSR)
    const serving = await issueServingCertificate(pki.ca, { commonName: `system:node:${nodeName}`, ipAddresses: [nodeIP], dnsNames: [nodeName], validityDays: 365 });
    agent = await startNodeAgent({
      kubeconfig: dirs.adminKubeconfig,
      dataDir: dirs.root,
      nodeName,
      nodeIP,
      nodeLabels: { ...flags.nodeLabels, 'node-role.kubernetes.io/control-plane': 'true' },
      taints,
      runtime: runtimeChoice(flags),
      imageGc: imageGcPolicy(flags),
      ...(flags.cgroupRoot ? { cgroupRoot: flags.cgroupRoot } : {}),
      ...(flags.podManifestPath ? { podManifestPath: resolve(flags.podManifestPath) } : {}),
      logger: log.child('kubelet'),
      timings: kubeletTimings(flags),
      eviction: kubeletEviction(flags),
      serving: { ...serving, clientCaPem: pki.ca.certPem },
      kubeletPort: flags.kubeletPort,
    });
  }
  // Signal handlers go in before "ready" is announced: a signal right after it must not kill us.
  const stopped = untilSignal();
  log.info('ready', { url: `https://${clientHost}:${server.port}`, kubeconfig: dirs.adminKubeconfig });
  const signal = await stopped;
  log.info('shutting down', { signal });
  await shutdownStep('node agent', agent?.stop());
  await Promise.all([shutdownStep('scheduler', scheduler?.stop()), shutdownStep('controller manager', controllerManager?.stop())]);
  await shutdownStep('API server', server.shutdown({ timeoutMs: 10_000 }));
  api.crds.stop();
  repair.stop();
  await shutdownStep('IP repair', repair.idle());
  compactor?.stop();
  await shutdownStep('compactor', compactor?.idle());
  await shutdownStep('store', store.close());
  log.info('stopped');
}

/** A comma-separated flag value's items. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function storageConfig(flags: ServerFlags, databasePath: string): StorageConfig {
  if (flags.store === 'sqlite') {
    if (flags.etcdServers) throw new Error('--etcd-servers needs --store etcd');
    return { kind: 'sqlite', path: databasePath, synchronous: flags.sqliteSync };
  }
  const endpoints = list(flags.etcdServers);
  if (endpoints.length === 0) throw new Error('--store etcd needs --etcd-servers URL[,URL…]');
  return { kind: 'etcd', endpoints };
}
