// Node registration and heartbeat (the kubelet's registerWithAPIServer and updateNodeStatus):
// create the Node, or reconcile labels and taints into the one that exists; then every
// nodeStatusUpdateMs compute the status and PATCH nodes/NAME/status when it changed, or when
// nodeStatusReportMs passed since the last post.

import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import { formatTime } from '../api/meta.js';
import { isAlreadyExists } from '../api/status-predicates.js';
import type { Clock, Timer } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { Threshold } from './eviction/thresholds.js';
import type { HostInfo } from './host-info.js';
import type { KubeletApi } from './kubelet-api.js';
import { defaultNodeLabels, nodeConditions, initialNode, nodeStatusFacts, stampConditions, type NodeIdentity } from './node-object.js';

const MAX_IMAGES = 50;

export interface NodeStatusReporterOptions {
  api: KubeletApi;
  clock: Clock;
  logger: Logger;
  identity: NodeIdentity;
  host: () => HostInfo;
  updateMs: number;
  reportMs: number;
  /** A reason the node is not ready (e.g. "container runtime is down"), checked on every update. */
  readinessProblem?: () => Promise<string | undefined>;
  /** The images on the node (status.images, largest first, at most 50 as the kubelet reports). */
  images?: () => Promise<NonNullable<NodeStatus['images']>>;
  /** The pressure conditions in force (MemoryPressure, DiskPressure, PIDPressure), from the eviction manager. */
  pressure?: () => ReadonlySet<string>;
  /** The hard eviction thresholds allocatable is reduced by (default: Kubernetes'). */
  evictionHard?: readonly Threshold[];
  /** Records a Normal event on the Node ("Node N status is now: NodeHasDiskPressure"), as the kubelet does on each condition change. */
  recordNodeEvent?: (reason: string, message: string) => void;
  /** Registration retry backoff: first delay and cap. */
  registerBackoffMs?: { initialMs: number; maxMs: number };
}

export class NodeStatusReporter {
  private node: Node | undefined;
  private lastPosted: { at: number; status: NodeStatus } | undefined;
  private timer: Timer | undefined;
  private stopped = false;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly o: NodeStatusReporterOptions) {}

  /** The registered Node (uid and all), once registered. */
  get registered(): Node | undefined {
    return this.node;
  }

  /** Registers the node (retrying until it succeeds or stop()), posts its status, starts the heartbeat. */
  async start(): Promise<void> {
    const backoff = this.o.registerBackoffMs ?? { initialMs: 100, maxMs: 7_000 };
    let delay = backoff.initialMs;
    while (!this.stopped) {
      try {
        this.node = await this.register();
        break;
      } catch (err) {
        this.o.logger.warn('unable to register node', { node: this.o.identity.nodeName, error: err as Error });
        await this.o.clock.sleep(delay);
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
    if (this.stopped) return;
    this.o.logger.info('node registered', { node: this.o.identity.nodeName });
    await this.sync();
    this.timer = this.o.clock.setInterval(() => void this.sync(), this.o.updateMs);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    return this.inFlight ?? Promise.resolve();
  }

  /** Computes the status and posts it when changed or due; errors are logged and retried next tick. */
  sync(): Promise<void> {
    if (this.inFlight || this.stopped || !this.node) return this.inFlight ?? Promise.resolve();
    this.inFlight = this.post()
      .catch((err: unknown) => this.o.logger.warn('unable to update node status', { error: err as Error }))
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async post(): Promise<void> {
    const now = this.o.clock.now();
    const facts = nodeStatusFacts(this.o.identity, this.o.host(), this.o.evictionHard);
    const previous = this.lastPosted?.status.conditions ?? this.node?.status?.conditions;
    const problem = await this.o.readinessProblem?.();
    const images = await this.o.images?.().catch(() => undefined);
    const candidate: NodeStatus = {
      ...facts,
      conditions: stampConditions(nodeConditions(problem, this.o.pressure?.()), previous, formatTime(now)),
      ...(images ? { images: [...images].sort((a, b) => (b.sizeBytes ?? 0) - (a.sizeBytes ?? 0)).slice(0, MAX_IMAGES) } : {}),
    };
    const due = !this.lastPosted || now - this.lastPosted.at >= this.o.reportMs;
    if (!due && this.lastPosted && sameIgnoringHeartbeat(this.lastPosted.status, candidate)) return;
    this.node = await this.o.api.patchNodeStatus(this.o.identity.nodeName, candidate);
    this.lastPosted = { at: now, status: candidate };
    for (const reason of conditionEvents(previous, candidate.conditions ?? [])) {
      this.o.recordNodeEvent?.(reason, `Node ${this.o.identity.nodeName} status is now: ${reason}`);
    }
  }

  private async register(): Promise<Node> {
    const host = this.o.host();
    const wanted = initialNode(this.o.identity, host);
    try {
      return await this.o.api.createNode(wanted);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    const existing = await this.o.api.getNode(this.o.identity.nodeName);
    const labels = { ...(existing.metadata?.labels ?? {}), ...defaultNodeLabels(this.o.identity, host), ...this.o.identity.labels };
    const taints = [...(existing.spec?.taints ?? [])];
    for (const t of this.o.identity.taints) {
      if (!taints.some((x) => x.key === t.key && x.effect === t.effect)) taints.push(t);
    }
    const changed =
      JSON.stringify(labels) !== JSON.stringify(existing.metadata?.labels ?? {}) || taints.length !== (existing.spec?.taints ?? []).length;
    if (!changed) return existing;
    return this.o.api.updateNode({ ...existing, metadata: { ...existing.metadata, labels }, spec: { ...existing.spec, taints } });
  }
}

const CONDITION_EVENTS: Record<string, { True: string; False: string }> = {
  MemoryPressure: { True: 'NodeHasInsufficientMemory', False: 'NodeHasSufficientMemory' },
  DiskPressure: { True: 'NodeHasDiskPressure', False: 'NodeHasNoDiskPressure' },
  PIDPressure: { True: 'NodeHasInsufficientPID', False: 'NodeHasSufficientPID' },
  Ready: { True: 'NodeReady', False: 'NodeNotReady' },
};

/** The kubelet's node status events for conditions whose status changed (or first appeared). */
function conditionEvents(before: readonly NodeCondition[] | undefined, after: readonly NodeCondition[]): string[] {
  const out: string[] = [];
  for (const c of after) {
    const events = CONDITION_EVENTS[c.type];
    if (!events || (c.status !== 'True' && c.status !== 'False')) continue;
    if (before?.find((b) => b.type === c.type)?.status === c.status) continue;
    out.push(events[c.status]);
  }
  return out;
}

function sameIgnoringHeartbeat(a: NodeStatus, b: NodeStatus): boolean {
  const strip = (s: NodeStatus) => ({ ...s, conditions: (s.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })) });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
