// The node lifecycle controller (pkg/controller/nodelifecycle):
// - every --node-monitor-period it checks each node's heartbeats (node-health.ts); a node silent
//   for --node-monitor-grace-period gets its conditions set to Unknown, a "NodeNotReady" event, and
//   its pods marked not ready (nodes seen first and gone get RegisteredNode / RemovingNode events);
// - a node whose Ready condition was False or Unknown at the check is queued in its zone for the
//   node.kubernetes.io/not-ready or /unreachable NoExecute taint (zone-tainter.ts: at most
//   --node-eviction-rate nodes per second per zone, slower or stopped in disrupted zones,
//   zone-state.ts; with every zone fully disrupted, no node is tainted). A Ready node loses them.
//   The taint eviction controller then evicts the pods that do not tolerate the taint;
// - on every node change (its queue), the NoSchedule taints follow the node's conditions and
//   spec.unschedulable.

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod, PodCondition, Taint } from 'kubernetes-types/core/v1.js';
import { formatTime } from '../../api/meta.js';
import { messageOf } from '../../api/status.js';
import { isConflict, isNotFound } from '../../api/status-predicates.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import type { Timer } from '../../util/clock.js';
import { QueueController } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { checkNodeHealth, type HealthRecord } from './node-health.js';
import { podsByNode, POD_NODE_INDEX } from './pod-index.js';
import {
  NOT_READY_NO_EXECUTE,
  UNREACHABLE_NO_EXECUTE,
  getCondition,
  hasTaint,
  managedNoScheduleTaints,
  noScheduleTaintsFor,
  swapTaints,
  taintDiff,
  zoneOf,
} from './taints.js';
import { ZoneTainter } from './zone-tainter.js';
import { computeZoneState, zoneRate, type ZoneState } from './zone-state.js';

/** How often queued nodes are tainted (nodeEvictionPeriod). */
export const TAINTING_PASS_MS = 100;

export class NodeLifecycleController extends QueueController {
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly leases: SharedIndexInformer<Lease>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly health = new Map<string, HealthRecord>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainter: ZoneTainter;
  private timers: Timer[] = [];
  private monitoring = false;
  private tainting = false;

  constructor(ctx: ControllerContext) {
    super('nodelifecycle', ctx, { workers: 1 });
    this.tainter = new ZoneTainter(ctx.clock, ctx.settings.nodeEvictionRate);
    this.nodes = ctx.informers.forResource<Node>(resources.NODES);
    this.leases = ctx.informers.forResource<Lease>(resources.LEASES);
    this.pods = podsByNode(ctx.informers);
    this.nodes.addEventHandler({
      onAdd: (n) => this.queue.add(n.metadata?.name ?? ''),
      onUpdate: (_, n) => this.queue.add(n.metadata?.name ?? ''),
    });
  }

  override async run(signal: AbortSignal): Promise<void> {
    const s = this.ctx.settings;
    this.timers = [
      this.ctx.clock.setInterval(() => void this.monitorNodeHealth(), s.nodeMonitorPeriodMs),
      this.ctx.clock.setInterval(() => void this.taintingPass(), TAINTING_PASS_MS),
    ];
    signal.addEventListener('abort', () => this.timers.forEach((t) => t.cancel()), { once: true });
    await super.run(signal);
  }

  /** The NoSchedule taints of one node follow its conditions. */
  protected async reconcile(name: string): Promise<void> {
    const node = this.nodes.lister().get(name);
    if (!node) return;
    const { add, remove } = taintDiff(noScheduleTaintsFor(node), managedNoScheduleTaints(node));
    if (add.length + remove.length === 0) return;
    await this.patchTaints(node, add, remove);
  }

  /** One health check of every node (monitorNodeHealth). */
  async monitorNodeHealth(): Promise<void> {
    if (this.monitoring) return;
    this.monitoring = true;
    try {
      const nodes = this.nodes.lister().list();
      const names = new Set(nodes.map((n) => n.metadata?.name ?? ''));
      const recorder = this.ctx.recorder('node-controller');
      const nodeRef = (name: string) => ({ kind: 'Node', name, uid: name, apiVersion: 'v1' });
      for (const name of [...this.health.keys()]) {
        if (names.has(name)) continue;
        this.health.delete(name);
        recorder.event(nodeRef(name), 'Normal', 'RemovingNode', `Removing Node ${name} from Controller`);
      }
      for (const name of names) {
        if (!this.health.has(name)) recorder.event(nodeRef(name), 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
      }
      const zoneReady = new Map<string, (string | undefined)[]>();
      for (const node of nodes) {
        const zone = zoneOf(node);
        if (!this.zoneStates.has(zone)) {
          this.zoneStates.set(zone, 'Initial');
          this.tainter.setRate(zone, this.ctx.settings.nodeEvictionRate);
        }
        try {
          const current = await this.checkNode(node, zone);
          zoneReady.set(zone, [...(zoneReady.get(zone) ?? []), current]);
        } catch (err) {
          if (!isConflict(err)) this.log.warn('node health check failed', { node: node.metadata?.name, error: messageOf(err) });
          zoneReady.set(zone, [...(zoneReady.get(zone) ?? []), getCondition(node, 'Ready')?.status]);
        }
      }
      await this.handleDisruption(zoneReady, nodes);
    } finally {
      this.monitoring = false;
    }
  }

  /** Checks one node; returns its Ready status after the check. */
  private async checkNode(node: Node, zone: string): Promise<string | undefined> {
    const name = node.metadata?.name ?? '';
    const now = this.ctx.clock.now();
    const lease = this.leases.lister().namespace('kube-node-lease').get(name);
    const check = checkNodeHealth(node, lease, this.health.get(name), now, formatTime(now), {
      monitorMs: this.ctx.settings.nodeMonitorGracePeriodMs,
      startupMs: this.ctx.settings.nodeStartupGracePeriodMs,
    });
    this.health.set(name, check.record);
    if (check.conditions) {
      await this.ctx.client.resource<Node>(resources.NODES).updateStatus({ ...node, status: { ...node.status, conditions: check.conditions } });
    }
    if (!check.current) return undefined;
    await this.processTaintBasedEviction(node, zone, check.observed.status);
    if (check.current.status !== 'True' && check.observed.status === 'True') {
      this.ctx.recorder('node-controller').event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      await this.markPodsNotReady(name);
    }
    return check.current.status;
  }

  private async processTaintBasedEviction(node: Node, zone: string, observed: string): Promise<void> {
    const name = node.metadata?.name ?? '';
    if (observed === 'False' || observed === 'Unknown') {
      const [want, opposite] = observed === 'False' ? [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE] : [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE];
      if (hasTaint(node, opposite)) {
        // Tainted already, for the other reason: swap at once.
        await this.patchTaints(node, [want], [opposite]);
      } else if (!hasTaint(node, want)) {
        this.tainter.add(zone, name);
      }
      return;
    }
    if (observed === 'True') {
      this.tainter.remove(zone, name);
      if (hasTaint(node, NOT_READY_NO_EXECUTE) || hasTaint(node, UNREACHABLE_NO_EXECUTE)) {
        await this.patchTaints(node, [], [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE]);
      }
    }
  }

  /** Zone states and their tainting rates; every zone fully disrupted stops tainting altogether. */
  private async handleDisruption(zoneReady: Map<string, (string | undefined)[]>, nodes: Node[]): Promise<void> {
    const s = this.ctx.settings;
    const rates = { evictionRate: s.nodeEvictionRate, secondaryEvictionRate: s.secondaryNodeEvictionRate, unhealthyZoneThreshold: s.unhealthyZoneThreshold, largeClusterSizeThreshold: s.largeClusterSizeThreshold };
    const next = new Map<string, ZoneState>();
    for (const [zone, statuses] of zoneReady) next.set(zone, computeZoneState(statuses, s.unhealthyZoneThreshold).state);
    for (const zone of [...this.zoneStates.keys()]) if (!next.has(zone)) this.zoneStates.delete(zone);
    const allNow = next.size > 0 && [...next.values()].every((st) => st === 'FullDisruption');
    const allWere = this.zoneStates.size > 0 && [...this.zoneStates.values()].every((st) => st === 'FullDisruption');
    if (allNow && !allWere) {
      this.log.info('every node is not ready: entering master disruption mode, no evictions');
      for (const zone of next.keys()) this.tainter.setRate(zone, 0);
      this.tainter.clear();
      for (const node of nodes) {
        if (hasTaint(node, NOT_READY_NO_EXECUTE) || hasTaint(node, UNREACHABLE_NO_EXECUTE)) {
          await this.patchTaints(node, [], [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE]).catch(() => undefined);
        }
      }
    } else if (!allNow && allWere) {
      this.log.info('some nodes are ready again: leaving master disruption mode');
      // Give every node a fresh grace period before judging it again.
      const now = this.ctx.clock.now();
      for (const record of this.health.values()) record.probeTimestamp = now;
      for (const [zone, st] of next) this.tainter.setRate(zone, zoneRate(st, zoneReady.get(zone)?.length ?? 0, rates));
    } else if (!allNow) {
      for (const [zone, st] of next) {
        if (this.zoneStates.get(zone) !== st) this.tainter.setRate(zone, zoneRate(st, zoneReady.get(zone)?.length ?? 0, rates));
      }
    }
    for (const [zone, st] of next) this.zoneStates.set(zone, st);
  }

  /** Taints the queued nodes the zones' rates allow (doNoExecuteTaintingPass). */
  async taintingPass(): Promise<void> {
    if (this.tainting) return;
    this.tainting = true;
    try {
      await this.tainter.tryPass(async (name) => {
        const node = this.nodes.lister().get(name);
        if (!node) return true;
        const status = getCondition(node, 'Ready')?.status;
        if (status === 'False') return this.patchTaints(node, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE]);
        if (status === 'Unknown') return this.patchTaints(node, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE]);
        return true;
      });
    } finally {
      this.tainting = false;
    }
  }

  /** Adds and removes taints in one write (SwapNodeControllerTaint); false on a conflict. */
  private async patchTaints(node: Node, add: readonly Taint[], remove: readonly Taint[]): Promise<boolean> {
    const taints = swapTaints(node, add, remove, formatTime(this.ctx.clock.now()));
    if (!taints) return true;
    try {
      await this.ctx.client
        .resource<Node>(resources.NODES)
        .patch(node.metadata?.name ?? '', 'merge', { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints } });
      return true;
    } catch (err) {
      if (isNotFound(err)) return true;
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Sets Ready=False on the pods of a node that stopped being ready (MarkPodsNotReady). */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const now = formatTime(this.ctx.clock.now());
    for (const pod of this.pods.getIndexer().byIndex(POD_NODE_INDEX, nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next: PodCondition[] = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
      try {
        await this.ctx.client.resource<Pod>(resources.PODS).namespace(pod.metadata?.namespace ?? '').patch(pod.metadata?.name ?? '', 'merge', { status: { conditions: next } }, { subresource: 'status' });
        this.ctx.recorder('node-controller').event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!isNotFound(err)) this.log.warn('cannot mark pod not ready', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, error: messageOf(err) });
      }
    }
  }
}
