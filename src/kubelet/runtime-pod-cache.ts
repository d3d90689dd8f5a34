// The pod cache, as Kubernetes' kubelet keeps one (pkg/kubelet/container/cache.go): the last
// RuntimePod read for each pod, reused by the pod's next syncs until something may have changed it.
// What may change a pod's runtime state: the runtime itself (a container exits, a sandbox dies),
// which the PLEG's relist notices within a relist period and reports per pod (invalidate), and the
// kubelet's own runtime calls (sandboxes and containers run, created, started, stopped, removed),
// after each of which every entry is dropped (mutating). So a periodic resync of an unchanged pod
// costs no runtime call, as in Kubernetes, where syncs read statuses the PLEG cached; without it,
// every resync of every pod made four or more CRI calls (110 pods: ~90 gRPC calls a second, whose
// garbage V8 let grow old space by ~40 MB before collecting it).
//
// Entries are used only while the PLEG is relisting (its last successful relist no older than
// maxStaleMs); otherwise every read goes to the runtime. A read that overlapped an invalidation is
// returned but not kept.

import type { ContainerRuntime } from '../runtime/runtime.js';
import { readRuntimePod, type RuntimePod } from './runtime-pod.js';

/** The ContainerRuntime methods that change sandboxes or containers. */
const MUTATING: ReadonlySet<string> = new Set([
  'runPodSandbox',
  'stopPodSandbox',
  'removePodSandbox',
  'createContainer',
  'startContainer',
  'stopContainer',
  'removeContainer',
]);

export interface RuntimePodCacheOptions {
  runtime: ContainerRuntime;
  /** True while the PLEG relists (entries are trusted only then). */
  relisting: () => boolean;
}

export class RuntimePodCache {
  private readonly entries = new Map<string, RuntimePod>();
  /** Bumped by every invalidation: a read that saw it change is not kept. */
  private generation = 0;
  /** The runtime for the kubelet's own calls: each mutating call drops every entry when it ends. */
  readonly runtime: ContainerRuntime;

  constructor(private readonly o: RuntimePodCacheOptions) {
    this.runtime = mutationsInvalidate(o.runtime, () => this.invalidateAll());
  }

  /** The pod's runtime state: the cached one while valid, else read from the runtime. */
  async read(uid: string): Promise<RuntimePod> {
    const relisting = this.o.relisting();
    const cached = this.entries.get(uid);
    if (cached && relisting) return cached;
    const generation = this.generation;
    const pod = await readRuntimePod(this.o.runtime, uid);
    if (relisting && generation === this.generation) this.entries.set(uid, pod);
    return pod;
  }

  /** The runtime reported a change for this pod (the PLEG). */
  invalidate(uid: string): void {
    this.generation++;
    this.entries.delete(uid);
  }

  invalidateAll(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The pod is gone from the kubelet. */
  forget(uid: string): void {
    this.invalidate(uid);
  }

  size(): number {
    return this.entries.size;
  }
}

/** The runtime, with `after()` called when each mutating call settles (resolved or rejected). */
function mutationsInvalidate(runtime: ContainerRuntime, after: () => void): ContainerRuntime {
  return new Proxy(runtime, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop !== 'string' || !MUTATING.has(prop)) return fn.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await fn.apply(target, args);
        } finally {
          after();
        }
      };
    },
  });
}
