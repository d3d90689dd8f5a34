// The repair pass (kube-apiserver's ipallocator and portallocator repair controllers): rebuilds
// the stored bitmaps from the Services in the store. An item a service holds but the bitmap lacks
// is marked taken; an item the bitmap has but no service holds is a leak (a write that failed
// after its allocation, a crash), freed once it has been seen leaked on `leakGraceRuns`
// consecutive passes — so an allocation whose service is still being written survives. The write
// is a compare-and-swap against the bitmap read before the services were listed: an allocation
// in between makes the pass retry. Run it once at start (before serving: leaks can go at once)
// and then periodically.

import type { Store } from '../../storage/interface.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { resourcePrefix } from '../registry/keys.js';
import { AllocationBitmap } from './bitmap.js';
import type { ItemAllocator } from './item-allocator.js';
import type { ServiceAllocation } from './service-allocation.js';
import { heldIPs, heldPorts, type Svc } from './service-fields.js';

export interface RangeRepairReport<T> {
  /** Items in use after the pass. */
  allocated: number;
  /** Held by a service but missing from the bitmap: now marked taken. */
  added: T[];
  /** Leaked items freed by this pass. */
  released: T[];
  /** Leaked items kept for now (seen on fewer than leakGraceRuns passes). */
  leaked: T[];
  /** Held by a service but outside the range (the range changed): "namespace/name item". */
  outOfRange: string[];
  /** Held by more than one service: "namespace/name item". */
  duplicates: string[];
  /** Whether the stored bitmap was rewritten. */
  written: boolean;
}

export interface RepairReport {
  ips: RangeRepairReport<string>;
  nodePorts: RangeRepairReport<number>;
}

export interface RepairOptions {
  clock?: Clock;
  /** Interval of the periodic pass (start()); default 3 minutes, as kube-apiserver's. */
  intervalMs?: number;
  /** Passes an item must be seen leaked on before it is freed; default 3. */
  leakGraceRuns?: number;
  logger?: Logger;
}

const SERVICES_PREFIX = resourcePrefix({ group: '', resource: 'services' });
const PAGE = 500;
const ATTEMPTS = 5;

export class ServiceAllocationRepair {
  private readonly ipLeaks = new Map<number, number>();
  private readonly portLeaks = new Map<number, number>();
  private timer?: Timer;
  private running?: Promise<unknown>;

  constructor(
    private readonly store: Store,
    private readonly allocation: ServiceAllocation,
    private readonly options: RepairOptions = {},
  ) {}

  /**
   * One pass over both ranges. releaseLeaks: free every leak now (right for the pass at start,
   * before any request is served; not with other API servers sharing the store).
   */
  async runOnce(opts: { releaseLeaks?: boolean } = {}): Promise<RepairReport> {
    const grace = opts.releaseLeaks ? 1 : Math.max(1, this.options.leakGraceRuns ?? 3);
    const ips = await this.repairRange(this.allocation.ips, heldIPs, this.ipLeaks, grace);
    const nodePorts = await this.repairRange(this.allocation.nodePorts, heldPorts, this.portLeaks, grace);
    const report = { ips, nodePorts };
    this.log(report);
    return report;
  }

  /** Runs a pass every intervalMs (errors are logged). */
  start(): this {
    const clock = this.options.clock;
    if (!clock) throw new Error('ServiceAllocationRepair.start needs a clock');
    this.timer ??= clock.setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((err: unknown) => this.options.logger?.warn('service allocation repair failed', { error: err }))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs ?? 180_000);
    return this;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async repairRange<T>(
    allocator: ItemAllocator<T>,
    held: (s: Svc) => T[],
    leaks: Map<number, number>,
    grace: number,
  ): Promise<RangeRepairReport<T>> {
    const range = allocator.range;
    for (let attempt = 1; ; attempt++) {
      // The bitmap first, then the services: anything allocated after this read makes the
      // compare-and-swap below fail, and the pass starts over.
      const snap = await allocator.stored.snapshot();
      const sameRange = snap.range === undefined || snap.range === range.spec;
      const services = await this.listServices();
      const fresh = new AllocationBitmap(range.size, range.staticBand);
      const report: RangeRepairReport<T> = { allocated: 0, added: [], released: [], leaked: [], outOfRange: [], duplicates: [], written: false };
      for (const svc of services) {
        const who = `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
        for (const item of held(svc)) {
          const o = range.offsetOf(item);
          if (o === undefined) {
            report.outOfRange.push(`${who} ${String(item)}`);
            continue;
          }
          if (!fresh.allocate(o)) {
            report.duplicates.push(`${who} ${String(item)}`);
            continue;
          }
          if (!sameRange || !snap.bitmap.has(o)) report.added.push(item);
        }
      }
      const nextLeaks = new Map<number, number>();
      if (sameRange) {
        snap.bitmap.forEach((o) => {
          if (fresh.has(o)) return;
          const seen = (leaks.get(o) ?? 0) + 1;
          if (seen >= grace) {
            report.released.push(range.itemAt(o));
          } else {
            nextLeaks.set(o, seen);
            report.leaked.push(range.itemAt(o));
            fresh.allocate(o);
          }
        });
      }
      report.allocated = fresh.count;
      const unchanged = sameRange && snap.resourceVersion !== undefined && sameBits(fresh, snap.bitmap);
      if (!unchanged) {
        if (!(await allocator.stored.replace(fresh, snap.resourceVersion))) {
          if (attempt >= ATTEMPTS) throw new Error(`repair of ${allocator.stored.key}: the range kept changing; will try again`);
          continue;
        }
        report.written = true;
      }
      leaks.clear();
      for (const [o, n] of nextLeaks) leaks.set(o, n);
      return report;
    }
  }

  private async listServices(): Promise<Svc[]> {
    const out: Svc[] = [];
    let cont: string | undefined;
    do {
      const page = await this.store.list<Svc & { metadata: object }>(SERVICES_PREFIX, { limit: PAGE, continue: cont });
      out.push(...page.items);
      cont = page.continue;
    } while (cont);
    return out;
  }

  private log(report: RepairReport): void {
    const logger = this.options.logger;
    if (!logger) return;
    for (const [name, r] of [
      ['cluster IPs', report.ips],
      ['node ports', report.nodePorts],
    ] as const) {
      if (r.added.length) logger.warn(`repair: ${name} in use but not recorded as allocated; recorded now`, { items: r.added });
      if (r.released.length) logger.info(`repair: released leaked ${name}`, { items: r.released });
      if (r.outOfRange.length) logger.warn(`repair: ${name} outside the configured range`, { items: r.outOfRange });
      if (r.duplicates.length) logger.error(`repair: ${name} held by more than one service`, { items: r.duplicates });
    }
  }
}

function sameBits(a: AllocationBitmap, b: AllocationBitmap): boolean {
  const x = a.toBytes();
  const y = b.toBytes();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
