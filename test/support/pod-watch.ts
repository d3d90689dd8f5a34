// Follows the pods of a namespace through a real watch (from a list's resourceVersion) and keeps
// their latest state, calling a check after every event — for invariants that must hold at every
// step of a rollout (never fewer ready pods than desired, no old and new pods at once).

import type { Pod } from 'kubernetes-types/core/v1.js';
import { resources, type RestClient, type Watch } from '../../src/client/rest/index.js';

export class PodWatch {
  readonly pods = new Map<string, Pod>();
  private watch?: Watch<Pod>;
  private done?: Promise<void>;
  private readonly violations: string[] = [];

  private constructor(private readonly check: (pods: ReadonlyMap<string, Pod>) => string | undefined) {}

  /** Lists then watches pods matching `labelSelector` in `namespace`; `check` returns a violation or undefined. */
  static async start(rest: RestClient, namespace: string, labelSelector: string, check: (pods: ReadonlyMap<string, Pod>) => string | undefined): Promise<PodWatch> {
    const w = new PodWatch(check);
    const client = rest.resource<Pod>(resources.PODS).namespace(namespace);
    const list = await client.list({ labelSelector });
    for (const p of list.items) w.pods.set(p.metadata?.name ?? '', p);
    w.verify('initial list');
    w.watch = await client.watch({ labelSelector, resourceVersion: list.metadata.resourceVersion });
    const watch = w.watch;
    w.done = (async () => {
      for await (const ev of watch) {
        if (ev.type === 'ERROR') {
          w.violations.push(`watch error: ${JSON.stringify(ev.object)}`);
          return;
        }
        if (ev.type === 'BOOKMARK') continue;
        const name = ev.object.metadata?.name ?? '';
        if (ev.type === 'DELETED') w.pods.delete(name);
        else w.pods.set(name, ev.object);
        w.verify(`${ev.type} ${name}`);
      }
    })().catch((err: unknown) => void w.violations.push(`watch failed: ${String(err)}`));
    return w;
  }

  private verify(after: string): void {
    const v = this.check(this.pods);
    if (v) this.violations.push(`after ${after}: ${v}`);
  }

  /** Stops the watch and returns every violation seen. */
  async stop(): Promise<string[]> {
    this.watch?.stop();
    await this.done;
    return this.violations;
  }
}

export const isReady = (p: Pod): boolean => !p.metadata?.deletionTimestamp && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
