// Rate-limited NoExecute tainting per zone (nodelifecycle's zoneNoExecuteTainter, a
// RateLimitedTimedQueue per zone): nodes that went NotReady or unreachable wait in their zone's
// queue; each pass takes as many as the zone's token bucket allows (--node-eviction-rate nodes per
// second, burst 1) and taints them — which is what evicts their pods. A zone's rate changes with
// its health: 0 stops tainting there.

import { TokenBucket } from '../../util/token-bucket.js';
import type { Clock } from '../../util/clock.js';

interface ZoneQueue {
  /** Node names in the order they were added. */
  nodes: Set<string>;
  bucket: TokenBucket | undefined;
  qps: number;
}

export class ZoneTainter {
  private readonly zones = new Map<string, ZoneQueue>();

  constructor(
    private readonly clock: Clock,
    private readonly defaultQps: number,
  ) {}

  /** Queues a node for tainting (no-op when queued already). */
  add(zone: string, node: string): void {
    this.zone(zone).nodes.add(node);
  }

  /** Drops a node from its zone's queue (it recovered, or is gone). */
  remove(zone: string, node: string): boolean {
    return this.zones.get(zone)?.nodes.delete(node) ?? false;
  }

  /** Sets a zone's rate (nodes per second); 0 pauses it. */
  setRate(zone: string, qps: number): void {
    const z = this.zone(zone);
    if (z.qps === qps) return;
    z.qps = qps;
    z.bucket = qps > 0 ? new TokenBucket(qps, 1, this.clock) : undefined;
  }

  /** Empties every zone's queue. */
  clear(): void {
    for (const z of this.zones.values()) z.nodes.clear();
  }

  queued(zone: string): string[] {
    return [...(this.zones.get(zone)?.nodes ?? [])];
  }

  /** One pass: for each zone, taint queued nodes while tokens last. `taint` returns false to keep a node queued for the next pass. */
  async tryPass(taint: (node: string) => Promise<boolean>): Promise<void> {
    for (const z of this.zones.values()) {
      for (const node of [...z.nodes]) {
        if (!z.bucket?.tryAccept()) break;
        z.nodes.delete(node);
        let ok = false;
        try {
          ok = await taint(node);
        } catch {
          ok = false;
        }
        if (!ok) z.nodes.add(node);
      }
    }
  }

  private zone(zone: string): ZoneQueue {
    let z = this.zones.get(zone);
    if (!z) {
      z = { nodes: new Set(), qps: this.defaultQps, bucket: this.defaultQps > 0 ? new TokenBucket(this.defaultQps, 1, this.clock) : undefined };
      this.zones.set(zone, z);
    }
    return z;
  }
}
