// `kite agent`: a worker node joining a cluster. With a bootstrap token (`kite token create`) and
// the CA hash it gets the node's certificates through the kubelet's TLS bootstrap (kept under
// --data-dir, reused on later starts, and rotated while it runs), then runs the process runtime and a kubelet for this
// node against the API server, until SIGTERM/SIGINT (its containers keep running). A server not
// reachable yet is waited for. A client certificate that has expired for five minutes while the
// server answers ends it with exit code 1, as the kubelet: restarted, it bootstraps again.

import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { bootstrapKubeletCredentials, startCertificateRotation, untilReachable } from '../kubelet/bootstrap/index.js';
import { realClock } from '../util/clock.js';
import { createLogger } from '../util/log.js';
import { addNodeFlags, kubeletEviction, kubeletTimings, runtimeChoice, type NodeFlags } from './node-flags.js';
import { imageGcPolicy } from './image-gc-flags.js';
import { defaultNodeName, parseTaints, startNodeAgent } from './node-agent.js';
import { shutdownStep } from '../util/shutdown-steps.js';
import { untilSignal } from './signals.js';
import { AGENT_HEAP_FLAGS, applyHeapFlags } from './heap-tuning.js';

interface AgentFlags extends NodeFlags {
  server: string;
  token?: string;
  caCertHash?: string[];
  caFile?: string;
  dataDir: string;
  heapTuning: boolean;
}

export function agentCommand(): Command {
  const command = new Command('agent')
    .description('join this machine to a cluster as a worker node (a kubelet on the process runtime or containerd)')
    .requiredOption('--server <url>', 'the API server, e.g. https://10.0.0.1:6443')
    .option('--token <token>', 'bootstrap token from `kite token create` (needed on the first start)')
    .option('--ca-cert-hash <sha256:hex>', 'pins the cluster CA (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--ca-file <file>', 'trust this CA file instead of a pinned hash')
    .option('--data-dir <dir>', 'where the agent keeps its certificates, pods and runtime state', join(homedir(), '.kite', 'agent'))
    .option('--no-heap-tuning', `keep V8's default heap sizing instead of ${AGENT_HEAP_FLAGS.join(' ')} (smaller RSS, more frequent small GCs)`);
  addNodeFlags(command, { nodeIp: 'the local address used to reach --server' });
  return command.action((flags: AgentFlags) => runAgent(flags));
}

/** The local address this host uses to reach `server`. */
async function localAddressTowards(server: URL): Promise<string> {
  const host = server.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolveAddress, reject) => {
    const socket = connect({ host, port: Number(server.port || 443) }, () => {
      const address = socket.localAddress;
      socket.destroy();
      if (address) resolveAddress(address.replace(/^::ffff:/, ''));
      else reject(new Error(`no local address towards ${server.host}`));
    });
    socket.once('error', reject);
  });
}

async function runAgent(flags: AgentFlags): Promise<void> {
  if (flags.heapTuning) applyHeapFlags(AGENT_HEAP_FLAGS);
  const log = createLogger('kite-agent');
  const server = new URL(flags.server);
  if (server.protocol !== 'https:') throw new Error(`--server must be an https:// URL, not ${flags.server}`);
  const dataDir = resolve(flags.dataDir);
  const nodeName = flags.nodeName ?? defaultNodeName();
  const nodeIP = flags.nodeIp ?? (await untilReachable('node IP', () => localAddressTowards(server), { clock: realClock, logger: log, timeoutMs: 15 * 60_000 }));
  const credentials = await bootstrapKubeletCredentials({
    server: server.origin,
    dataDir,
    nodeName,
    nodeIP,
    ...(flags.token ? { token: flags.token } : {}),
    ...(flags.caCertHash ? { caCertHashes: flags.caCertHash } : {}),
    ...(flags.caFile ? { caPem: readFileSync(flags.caFile, 'utf8') } : {}),
    clock: realClock,
    logger: log.child('bootstrap'),
  });
  const stopped = untilSignal();
  const agent = await startNodeAgent({
    kubeconfig: credentials.kubeconfig,
    dataDir,
    nodeName,
    nodeIP,
    nodeLabels: flags.nodeLabels ?? {},
    taints: parseTaints(flags.registerWithTaints ?? ''),
    logger: log.child('kubelet'),
    timings: kubeletTimings(flags),
    eviction: kubeletEviction(flags),
    serving: { ...credentials.serving, clientCaPem: credentials.caPem },
    kubeletPort: flags.kubeletPort,
    runtime: runtimeChoice(flags),
    imageGc: imageGcPolicy(flags),
    ...(flags.cgroupRoot ? { cgroupRoot: flags.cgroupRoot } : {}),
    ...(flags.podManifestPath ? { podManifestPath: resolve(flags.podManifestPath) } : {}),
  });
  // the kubelet's certificate managers: both certificates renewed at 70–90 % of their lifetime
  const rotation = startCertificateRotation({
    server: server.origin,
    dataDir,
    nodeName,
    nodeIP,
    caPem: credentials.caPem,
    client: credentials.client,
    serving: credentials.serving,
    clock: realClock,
    logger: log.child('certificates'),
    onClientRotated: (pair) => agent.kubelet.setClientCertificate(pair.certPem, pair.keyPem),
    onServingRotated: (pair) => agent.setServingCertificate(pair.certPem, pair.keyPem),
  });
  await agent.kubelet.started;
  log.info('ready', { node: nodeName, server: server.origin, kubeconfig: credentials.kubeconfig, kubeletPort: agent.kubeletPort });
  // A client certificate expired for good ends the agent with 1: its restart bootstraps again.
  const cause = await Promise.race([stopped.then((signal) => ({ signal })), rotation.clientCertificateLost.then((lost) => ({ lost }))]);
  log.info('shutting down', cause);
  if ('lost' in cause) process.exitCode = 1;
  await shutdownStep('certificate rotation', rotation.stop());
  await shutdownStep('node agent', agent.stop());
  log.info('stopped');
}
