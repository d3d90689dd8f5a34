// Resource arithmetic for scheduling (framework.Resource): CPU in millicores, memory and
// ephemeral storage in bytes, everything else (extended resources, hugepages) as scalars; and a
// pod's effective request — the sum over its containers, at least the largest init container,
// plus the pod overhead — as kube-scheduler computes it.

import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** Defaults that scoring uses for containers without a request (DefaultMilliCPURequest, DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  scalar = new Map<string, number>();

  static fromList(list: Record<string, unknown> | undefined): Resource {
    const r = new Resource();
    r.addList(list);
    return r;
  }

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    r.scalar = new Map(this.scalar);
    return r;
  }

  get(name: string): number {
    switch (name) {
      case CPU:
        return this.milliCPU;
      case MEMORY:
        return this.memory;
      case EPHEMERAL_STORAGE:
        return this.ephemeralStorage;
      case PODS:
        return this.allowedPodNumber;
      default:
        return this.scalar.get(name) ?? 0;
    }
  }

  set(name: string, v: number): void {
    switch (name) {
      case CPU:
        this.milliCPU = v;
        break;
      case MEMORY:
        this.memory = v;
        break;
      case EPHEMERAL_STORAGE:
        this.ephemeralStorage = v;
        break;
      case PODS:
        this.allowedPodNumber = v;
        break;
      default:
        this.scalar.set(name, v);
    }
  }

  names(): string[] {
    return [CPU, MEMORY, EPHEMERAL_STORAGE, ...this.scalar.keys()];
  }

  addList(list: Record<string, unknown> | undefined): void {
    for (const [name, q] of Object.entries(list ?? {})) this.set(name, this.get(name) + quantityValue(name, q));
  }

  /** Per resource, the larger of this and list (for init containers). */
  setMaxList(list: Record<string, unknown> | undefined): void {
    for (const [name, q] of Object.entries(list ?? {})) this.set(name, Math.max(this.get(name), quantityValue(name, q)));
  }

  add(other: Resource, sign = 1): void {
    this.milliCPU += sign * other.milliCPU;
    this.memory += sign * other.memory;
    this.ephemeralStorage += sign * other.ephemeralStorage;
    this.allowedPodNumber += sign * other.allowedPodNumber;
    for (const [k, v] of other.scalar) this.scalar.set(k, (this.scalar.get(k) ?? 0) + sign * v);
  }
}

/** Parsed quantity strings (millicores, and whole units): pods repeat the same few strings. */
const parsed = new Map<string, { milli: number; value: number }>();
const PARSED_MAX = 4096;

/** A quantity as a number: millicores for cpu, whole units otherwise. */
export function quantityValue(name: string, q: unknown): number {
  if (q instanceof Quantity) return name === CPU ? q.milliValue() : q.value();
  const text = String(q);
  let v = parsed.get(text);
  if (!v) {
    const quantity = Quantity.parse(text);
    v = { milli: quantity.milliValue(), value: quantity.value() };
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(text, v);
  }
  return name === CPU ? v.milli : v.value;
}

function containerRequests(c: Container): Record<string, unknown> {
  // Limits without requests default the requests (the API server does this on create; be safe).
  return { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
}

function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/**
 * The pod's request (resourcehelper.PodRequests): sum of containers; for init containers the max of
 * each (restartable sidecars accumulate and run beside later ones); plus overhead. With nonZero,
 * containers without cpu/memory requests count the scoring defaults.
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const reqs = new Resource();
  const withDefaults = (c: Container): Record<string, unknown> => {
    const r = containerRequests(c);
    if (!nonZero) return r;
    const out: Record<string, unknown> = { ...r };
    if (out[CPU] === undefined) out[CPU] = `${DEFAULT_MILLI_CPU_REQUEST}m`;
    if (out[MEMORY] === undefined) out[MEMORY] = String(DEFAULT_MEMORY_REQUEST);
    return out;
  };
  for (const c of pod.spec?.containers ?? []) reqs.addList(withDefaults(c));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = Resource.fromList(withDefaults(c));
    if (isSidecar(c)) {
      sidecars.add(r);
      reqs.add(r);
      continue;
    }
    const withSidecars = r.clone();
    withSidecars.add(sidecars);
    for (const n of withSidecars.names()) initMax.set(n, Math.max(initMax.get(n), withSidecars.get(n)));
  }
  for (const n of initMax.names()) reqs.set(n, Math.max(reqs.get(n), initMax.get(n)));
  reqs.addList(pod.spec?.overhead);
  return reqs;
}

/** The node's allocatable (falling back to capacity), with the pod count. */
export function nodeAllocatable(node: Node): Resource {
  return Resource.fromList((node.status?.allocatable ?? node.status?.capacity) as Record<string, unknown> | undefined);
}
