// The pod lifecycle event generator, by relisting: every relistMs the runtime's containers and
// sandboxes are listed and compared with the previous listing; each pod (by uid label) with a
// container or sandbox that appeared, vanished or changed state is reported, so its worker syncs
// at once instead of waiting for the periodic resync. The same report invalidates the pod's
// entry in the pod cache (runtime-pod-cache.ts), which trusts its entries while relists succeed.

import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Clock, Timer } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { LABEL_POD_UID } from './labels.js';

export class RelistPleg {
  private previous = new Map<string, string>();
  private timer: Timer | undefined;
  private inFlight = false;
  /** When the last successful relist finished (clock ms). */
  private lastSuccessAt: number | undefined;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onChange: (uid: string) => void,
  ) {}

  start(periodMs: number): void {
    this.timer = this.clock.setInterval(() => void this.relist(), periodMs);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.lastSuccessAt = undefined;
  }

  /** True while relisting runs and its last success is at most maxStaleMs old. */
  healthy(maxStaleMs: number): boolean {
    return this.timer !== undefined && this.lastSuccessAt !== undefined && this.clock.now() - this.lastSuccessAt <= maxStaleMs;
  }

  async relist(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const [containers, sandboxes] = await Promise.all([this.runtime.listContainers(), this.runtime.listPodSandbox()]);
      const current = new Map<string, string>();
      for (const c of containers) current.set(`c/${c.id}`, `${c.labels[LABEL_POD_UID] ?? ''}|${c.state}`);
      for (const s of sandboxes) current.set(`s/${s.id}`, `${s.labels[LABEL_POD_UID] ?? ''}|${s.state}`);
      const changed = new Set<string>();
      for (const [id, v] of current) if (this.previous.get(id) !== v) changed.add(v.split('|')[0]!);
      for (const [id, v] of this.previous) if (!current.has(id)) changed.add(v.split('|')[0]!);
      this.previous = current;
      for (const uid of changed) if (uid) this.onChange(uid);
      this.lastSuccessAt = this.clock.now();
    } catch (err) {
      this.logger.warn('runtime relist failed', { error: err as Error });
    } finally {
      this.inFlight = false;
    }
  }
}
