// Simulated nodes for controller tests and benchmarks, standing in for kubelets that the tests do
// not need (the kubelet has its own suites): Node objects with capacity and a Ready condition,
// their Leases in kube-node-lease renewed on a timer, and pods bound to them moved to Running and
// Ready (or to a given phase) through pods/status as a kubelet reports them; a pod being deleted is
// removed (grace 0, uid precondition) as the kubelet does once its containers have stopped. A node
// can be "killed": its heartbeats stop and its pods are left as they are.

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { SharedInformerFactory, type SharedIndexInformer } from '../../src/client/informer/index.js';
import { resources, type RestClient } from '../../src/client/rest/index.js';
import { formatMicroTime, formatTime } from '../../src/api/meta.js';
import { isNotFound } from '../../src/api/status-predicates.js';

export interface SimulatedNodeOptions {
  labels?: Record<string, string>;
  taints?: NonNullable<Node['spec']>['taints'];
  cpu?: string;
  memory?: string;
  pods?: string;
}

export interface NodeSimulatorOptions {
  /** Lease renewal period (the kubelet's 10 s). */
  leaseRenewMs?: number;
  /** Lease duration written on the Lease (the kubelet's 40 s). */
  leaseDurationSeconds?: number;
  /** Decides a pod's reported phase (default Running and Ready); e.g. Succeeded for Job tests. */
  podOutcome?: (pod: Pod) => { phase: 'Running' | 'Succeeded' | 'Failed'; ready?: boolean; exitCode?: number };
}

export class NodeSimulator {
  private readonly nodes = new Map<string, { ip: string; alive: boolean }>();
  private readonly factory: SharedInformerFactory;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly timer: NodeJS.Timeout;
  private readonly inFlight = new Set<string>();
  private podSeq = 0;
  private readonly errors: string[] = [];

  constructor(
    private readonly client: RestClient,
    private readonly options: NodeSimulatorOptions = {},
  ) {
    this.factory = new SharedInformerFactory(client);
    this.pods = this.factory.forResource<Pod>(resources.PODS);
    this.pods.addEventHandler({ onAdd: (p) => this.handle(p), onUpdate: (_, p) => this.handle(p) });
    this.factory.start();
    this.timer = setInterval(() => void this.renewLeases(), options.leaseRenewMs ?? 10_000);
  }

  /** Creates a Ready node with capacity, its Lease, and starts handling its pods. */
  async addNode(name: string, opts: SimulatedNodeOptions = {}): Promise<Node> {
    const ip = `10.250.${(this.nodes.size >> 8) & 255}.${(this.nodes.size & 255) + 1}`;
    this.nodes.set(name, { ip, alive: true });
    const nodes = this.client.resource<Node>(resources.NODES);
    await nodes.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...opts.labels } },
      spec: opts.taints ? { taints: opts.taints } : {},
    });
    const capacity = { cpu: opts.cpu ?? '8', memory: opts.memory ?? '32Gi', pods: opts.pods ?? '110' };
    const now = formatTime(Date.now());
    const node = await nodes.patch(
      name,
      'merge',
      {
        status: {
          capacity,
          allocatable: capacity,
          addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
        },
      },
      { subresource: 'status' },
    );
    await this.client.resource<Lease>(resources.LEASES).namespace('kube-node-lease').create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata?.uid ?? '' }] },
      spec: { holderIdentity: name, leaseDurationSeconds: this.options.leaseDurationSeconds ?? 40, renewTime: formatMicroTime(Date.now()) },
    });
    for (const pod of this.pods.lister().list()) this.handle(pod);
    return node;
  }

  /** Stops a node's heartbeats and its handling of pods, as if its kubelet died. */
  killNode(name: string): void {
    const node = this.nodes.get(name);
    if (node) node.alive = false;
  }

  /** Errors met while reporting (for assertions). */
  problems(): readonly string[] {
    return this.errors;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.factory.shutdown();
  }

  private async renewLeases(): Promise<void> {
    const leases = this.client.resource<Lease>(resources.LEASES).namespace('kube-node-lease');
    await Promise.all(
      [...this.nodes].filter(([, n]) => n.alive).map(async ([name]) => {
        try {
          await leases.patch(name, 'merge', { spec: { renewTime: formatMicroTime(Date.now()) } });
        } catch (err) {
          if (!isNotFound(err)) this.errors.push(`renew ${name}: ${String(err)}`);
        }
      }),
    );
  }

  private handle(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? this.nodes.get(nodeName) : undefined;
    if (!node?.alive) return;
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}/${pod.metadata?.uid}`;
    if (this.inFlight.has(key)) return;
    if (pod.metadata?.deletionTimestamp) {
      // Already asked to go at once: finalizers hold it, nothing more for a kubelet to do.
      if (pod.metadata.deletionGracePeriodSeconds === 0) return;
      this.inFlight.add(key);
      void this.client
        .resource<Pod>(resources.PODS)
        .namespace(pod.metadata.namespace ?? 'default')
        .delete(pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } })
        .catch((err: unknown) => {
          if (!isNotFound(err)) this.errors.push(`delete ${key}: ${String(err)}`);
        })
        .finally(() => this.inFlight.delete(key));
      return;
    }
    const outcome = this.options.podOutcome?.(pod) ?? { phase: 'Running' as const, ready: true };
    if (pod.status?.phase === outcome.phase) return;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    this.inFlight.add(key);
    void this.report(pod, node.ip, outcome)
      .catch((err: unknown) => {
        if (!isNotFound(err)) this.errors.push(`status ${key}: ${String(err)}`);
      })
      .finally(() => {
        this.inFlight.delete(key);
        // Changes that arrived while the report was in flight (a deletion, say) were skipped: look again.
        const latest = this.pods.lister().namespace(pod.metadata?.namespace ?? 'default').get(pod.metadata?.name ?? '');
        if (latest && latest.metadata?.uid === pod.metadata?.uid) this.handle(latest);
      });
  }

  private async report(pod: Pod, hostIP: string, outcome: { phase: 'Running' | 'Succeeded' | 'Failed'; ready?: boolean; exitCode?: number }): Promise<void> {
    const now = formatTime(Date.now());
    const seq = ++this.podSeq;
    const podIP = `10.244.${(seq >> 8) & 255}.${seq & 255}`;
    const running = outcome.phase === 'Running';
    const ready = running && (outcome.ready ?? true);
    const cond = (type: string, status: boolean) => ({ type, status: status ? 'True' : 'False', lastTransitionTime: now, lastProbeTime: null });
    const containerStatuses = (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `sim://${c.image}`,
      containerID: `sim://${pod.metadata?.uid}-${c.name}`,
      ready,
      started: running,
      restartCount: 0,
      state: running
        ? { running: { startedAt: now } }
        : { terminated: { exitCode: outcome.exitCode ?? (outcome.phase === 'Succeeded' ? 0 : 1), reason: outcome.phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: now, finishedAt: now } },
    }));
    await this.client
      .resource<Pod>(resources.PODS)
      .namespace(pod.metadata?.namespace ?? 'default')
      .patch(
        pod.metadata?.name ?? '',
        'merge',
        {
          status: {
            phase: outcome.phase,
            hostIP,
            hostIPs: [{ ip: hostIP }],
            podIP,
            podIPs: [{ ip: podIP }],
            startTime: now,
            conditions: [cond('PodScheduled', true), cond('Initialized', true), cond('ContainersReady', ready), cond('Ready', ready)],
            containerStatuses,
          },
        },
        { subresource: 'status' },
      );
  }
}
