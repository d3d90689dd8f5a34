// The flags `kite server` and `kite agent` share for the kubelet they run (node name and IP,
// labels, taints, the kubelet API port, node status and Lease timings, eviction thresholds, the
// static pod path), and the value parsers every command uses for ports, counts and durations.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONTAINERD_ENDPOINT } from '../runtime/containerd/endpoint.js';
import { RUNTIME_KINDS, type NodeRuntimeChoice } from './node-agent.js';
import {
  DEFAULT_EVICTION_HARD,
  DEFAULT_PRESSURE_TRANSITION_MS,
  parseEvictionHard,
  parseGracePeriods,
  parseMinimumReclaims,
  thresholdConfig,
  type EvictionThreshold,
  type KubeletEvictionOptions,
  type KubeletTimings,
  type SignalGracePeriods,
  type SignalMinimumReclaims,
} from '../kubelet/index.js';
import { parseDuration } from '../util/duration.js';
import { addImageGcFlags, type ImageGcFlags } from './image-gc-flags.js';

export const port = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer 0-65535');
  return n;
};

export const positiveInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
};

export const nonNegativeInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a non-negative integer');
  return n;
};

export const duration = (text: string): number => {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

/** "k=v,k2=v2" → labels (the kubelet's --node-labels). */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid label "${item}": expected key=value`);
    labels[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return labels;
}

export interface NodeFlags extends ImageGcFlags {
  nodeName?: string;
  nodeIp?: string;
  nodeLabels?: Record<string, string>;
  registerWithTaints?: string;
  kubeletPort: number;
  nodeStatusUpdateFrequency: number;
  nodeStatusReportFrequency: number;
  nodeLeaseDurationSeconds: number;
  runtime: 'process' | 'containerd';
  containerdEndpoint: string;
  containerdNetns?: string;
  cgroupRoot?: string;
  evictionHard: EvictionThreshold[];
  evictionSoft: EvictionThreshold[];
  evictionSoftGracePeriod: SignalGracePeriods;
  evictionMaxPodGracePeriod: number;
  evictionMinimumReclaim: SignalMinimumReclaims;
  evictionPressureTransitionPeriod: number;
  podManifestPath?: string;
  fileCheckFrequency: number;
}

/** A flag value parser whose errors are commander's InvalidArgumentError (the message kept). */
const argument =
  <T>(parse: (text: string) => T) =>
  (text: string): T => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };

/** The --eviction-hard and --eviction-soft value: "signal<quantity|percent,…" (the kubelet's syntax). */
export const evictionThresholds = argument(parseEvictionHard);

export function addNodeFlags(command: Command, defaults: { nodeIp: string }): Command {
  return addImageGcFlags(command)
    .option('--node-name <name>', "this node's name (default: the host name)")
    .option('--node-ip <ip>', `this node's InternalIP (default: ${defaults.nodeIp})`)
    .option('--node-labels <labels>', 'extra labels the node registers with: key=value,…', parseLabels)
    .option('--register-with-taints <taints>', 'taints the node registers with: key=value:Effect,…')
    .option('--kubelet-port <port>', 'HTTPS port of the kubelet API (0: any free port)', port, 10250)
    .addOption(new Option('--node-status-update-frequency <duration>', 'how often the kubelet computes node status (posted when changed)').argParser(duration).default(10_000, '10s'))
    .addOption(new Option('--node-status-report-frequency <duration>', 'how often the kubelet posts node status even when unchanged').argParser(duration).default(300_000, '5m'))
    .option('--node-lease-duration-seconds <n>', "the node Lease's duration; the kubelet renews it every quarter of it", positiveInt, 40)
    .addOption(new Option('--runtime <kind>', "the kubelet's container runtime").choices([...RUNTIME_KINDS]).default('process'))
    .option('--containerd-endpoint <sock>', "containerd's CRI socket (with --runtime containerd)", DEFAULT_CONTAINERD_ENDPOINT)
    .option('--containerd-netns <name>', "the network namespace containerd runs in, if not the host's (its streaming server is dialled there)")
    .option('--cgroup-root <path>', "the cgroup parent of the pods' sandboxes (default: the runtime's)")
    .addOption(
      new Option('--eviction-hard <thresholds>', 'hard eviction thresholds, signal<quantity or signal<percent,… (a given list replaces the defaults)')
        .argParser(evictionThresholds)
        .default(parseEvictionHard(DEFAULT_EVICTION_HARD), DEFAULT_EVICTION_HARD),
    )
    .addOption(new Option('--eviction-soft <thresholds>', 'soft eviction thresholds, signal<quantity or signal<percent,…, met once crossed for their grace period').argParser(evictionThresholds).default([], 'none'))
    .addOption(
      new Option('--eviction-soft-grace-period <periods>', 'how long each soft threshold must stay crossed before pods are evicted: signal=duration,… (every soft threshold needs one)')
        .argParser(argument(parseGracePeriods))
        .default({}, 'none'),
    )
    .option('--eviction-max-pod-grace-period <seconds>', "the most grace (seconds) a soft eviction gives a pod, if less than its own; 0: the pod's own", nonNegativeInt, 0)
    .addOption(
      new Option('--eviction-minimum-reclaim <reclaims>', 'how far past its threshold a signal must recover once met: signal=quantity or signal=percent,…')
        .argParser(argument(parseMinimumReclaims))
        .default({}, 'none'),
    )
    .addOption(
      new Option('--eviction-pressure-transition-period <duration>', 'how long a pressure condition stays on after its signal clears')
        .argParser(duration)
        .default(DEFAULT_PRESSURE_TRANSITION_MS, '5m'),
    )
    .option('--pod-manifest-path <path>', 'static pod manifests (a directory or a file) the kubelet runs without the API server (default: <data-dir>/manifests)')
    .addOption(new Option('--file-check-frequency <duration>', 'how often the static pod manifests are read again besides watching them').argParser(duration).default(20_000, '20s'))
    .hook('preAction', (cmd) => {
      try {
        kubeletEviction(cmd.opts<NodeFlags>());
      } catch (err) {
        cmd.error(`error: ${(err as Error).message}`);
      }
    });
}

/** The runtime the flags choose. */
export function runtimeChoice(flags: NodeFlags): NodeRuntimeChoice {
  if (flags.runtime === 'process') {
    if (flags.containerdNetns) throw new Error('--containerd-netns needs --runtime containerd');
    return { kind: 'process' };
  }
  return { kind: 'containerd', endpoint: flags.containerdEndpoint, ...(flags.containerdNetns ? { netns: flags.containerdNetns } : {}) };
}

export function kubeletTimings(flags: NodeFlags): Partial<KubeletTimings> {
  return {
    nodeStatusUpdateMs: flags.nodeStatusUpdateFrequency,
    nodeStatusReportMs: flags.nodeStatusReportFrequency,
    leaseDurationSeconds: flags.nodeLeaseDurationSeconds,
    leaseRenewMs: (flags.nodeLeaseDurationSeconds * 1000) / 4,
    fileCheckMs: flags.fileCheckFrequency,
  };
}

/** The kubelet's eviction settings; throws on a soft threshold without a grace period. */
export function kubeletEviction(flags: NodeFlags): KubeletEvictionOptions {
  const { hard, soft } = thresholdConfig({ hard: flags.evictionHard, soft: flags.evictionSoft, softGracePeriods: flags.evictionSoftGracePeriod, minimumReclaims: flags.evictionMinimumReclaim });
  return { hard, soft, maxPodGraceSeconds: flags.evictionMaxPodGracePeriod, pressureTransitionMs: flags.evictionPressureTransitionPeriod };
}
