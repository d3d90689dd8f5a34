// The node Lease (kube-node-lease/<node>): the kubelet's cheap heartbeat. Created with the node as
// holder and owner, renewed every leaseRenewMs; a conflict re-reads the Lease and tries again next
// tick.

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { formatMicroTime } from '../api/meta.js';
import { isNotFound } from '../api/status-predicates.js';
import type { Clock, Timer } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { NODE_LEASE_NAMESPACE, type KubeletApi } from './kubelet-api.js';

export interface NodeLeaseOptions {
  api: KubeletApi;
  clock: Clock;
  logger: Logger;
  nodeName: string;
  /** The registered Node, for the owner reference (renewals wait until it is known). */
  node: () => Node | undefined;
  renewMs: number;
  leaseDurationSeconds: number;
}

export class NodeLease {
  private lease: Lease | undefined;
  private timer: Timer | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: NodeLeaseOptions) {}

  start(): void {
    if (this.stopped) return;
    void this.renew();
    this.timer = this.o.clock.setInterval(() => void this.renew(), this.o.renewMs);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    return this.inFlight ?? Promise.resolve();
  }

  /** One renewal (or creation); errors are logged, and the next tick tries again. */
  renew(): Promise<void> {
    if (this.inFlight || this.stopped || !this.o.node()) return this.inFlight ?? Promise.resolve();
    this.inFlight = this.attempt()
      .catch((err: unknown) => {
        this.lease = undefined;
        this.o.logger.warn('failed to renew node lease', { error: err as Error });
      })
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async attempt(): Promise<void> {
    const now = formatMicroTime(this.o.clock.now());
    const spec = { holderIdentity: this.o.nodeName, leaseDurationSeconds: this.o.leaseDurationSeconds, renewTime: now };
    let current = this.lease;
    if (!current) {
      try {
        current = await this.o.api.getLease(NODE_LEASE_NAMESPACE, this.o.nodeName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.lease = await this.o.api.createLease(this.desired(undefined, spec));
        return;
      }
    }
    this.lease = await this.o.api.updateLease(this.desired(current, spec));
  }

  private desired(current: Lease | undefined, spec: NonNullable<Lease['spec']>): Lease {
    const node = this.o.node();
    const owner = node?.metadata?.uid
      ? [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: node.metadata.uid }]
      : (current?.metadata?.ownerReferences ?? []);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...(current?.metadata ?? {}), name: this.o.nodeName, namespace: NODE_LEASE_NAMESPACE, ownerReferences: owner },
      spec: { ...(current?.spec ?? {}), ...spec },
    };
  }
}
