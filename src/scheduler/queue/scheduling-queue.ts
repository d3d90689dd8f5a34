// The scheduling queue (internal/queue.PriorityQueue): activeQ (a heap by priority, then arrival),
// backoffQ (a heap by the end of each pod's exponential backoff: 1 s doubling to 10 s per failed
// attempt), and unschedulablePods (parked until a cluster event that could make them fit moves
// them, or 5 minutes pass). A move request during a pod's scheduling cycle sends that pod to
// backoffQ rather than parking it, so the event is not lost. Time comes from the injected clock.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, Timer } from '../../util/clock.js';
import { podKey } from '../framework/node-info.js';
import { KeyedHeap } from './heap.js';

export interface QueuedPodInfo {
  pod: Pod;
  key: string;
  /** When the pod was last added to the queue (or last failed). */
  timestamp: number;
  /** When the pod first entered the queue. */
  initialAttemptTimestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Plugins that rejected the pod in its last attempt. */
  unschedulablePlugins: Set<string>;
}

/** Cluster events that move unschedulable pods (framework.ClusterEvent, by name). */
export const ClusterEvent = {
  NodeAdd: 'NodeAdd',
  NodeUpdate: 'NodeUpdate',
  AssignedPodDelete: 'AssignedPodDelete',
  AssignedPodAdd: 'AssignedPodAdd',
  AssignedPodUpdate: 'AssignedPodUpdate',
  UnschedulableTimeout: 'UnschedulableTimeout',
  ForceActivate: 'ForceActivate',
  PvcChange: 'PvcChange',
  PvChange: 'PvChange',
  StorageClassAdd: 'StorageClassAdd',
} as const;
export type ClusterEventName = (typeof ClusterEvent)[keyof typeof ClusterEvent];

export interface SchedulingQueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod may stay in unschedulablePods before it is retried anyway (5 min). */
  podMaxInUnschedulablePodsDurationMs?: number;
}

export const DEFAULT_INITIAL_BACKOFF_MS = 1000;
export const DEFAULT_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>(
    (p) => p.key,
    (a, b) => podPriority(a.pod) > podPriority(b.pod) || (podPriority(a.pod) === podPriority(b.pod) && a.timestamp < b.timestamp),
  );
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done (for updates that arrive during their cycle). */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private cycle = 0;
  private moveRequestCycle = -1;
  private closed = false;
  private waiters: (() => void)[] = [];
  private timers: Timer[] = [];

  constructor(options: SchedulingQueueOptions) {
    this.clock = options.clock;
    this.initialBackoffMs = options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    this.maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.maxUnschedulableMs = options.podMaxInUnschedulablePodsDurationMs ?? DEFAULT_POD_MAX_IN_UNSCHEDULABLE_MS;
    this.backoffQ = new KeyedHeap<QueuedPodInfo>(
      (p) => p.key,
      (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
    );
  }

  /** Starts the periodic flushes (backoffQ every second, unschedulable leftovers every 30 s). */
  run(): void {
    this.timers.push(this.clock.setInterval(() => this.flushBackoffQCompleted(), 1000));
    this.timers.push(this.clock.setInterval(() => this.flushUnschedulableLeftover(), 30_000));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.wake();
  }

  get schedulingCycle(): number {
    return this.cycle;
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    const now = this.clock.now();
    const existing = this.unschedulable.get(key) ?? this.backoffQ.get(key) ?? this.activeQ.get(key);
    this.unschedulable.delete(key);
    this.backoffQ.delete(key);
    this.activeQ.addOrUpdate(existing ? { ...existing, pod } : { pod, key, timestamp: now, initialAttemptTimestamp: now, attempts: 0, unschedulablePlugins: new Set() });
    this.wake();
  }

  /** A pending pod changed. */
  update(oldPod: Pod | undefined, newPod: Pod): void {
    const key = podKey(newPod);
    const active = this.activeQ.get(key);
    if (active) return this.activeQ.addOrUpdate({ ...active, pod: newPod });
    const backoff = this.backoffQ.get(key);
    if (backoff) return this.backoffQ.addOrUpdate({ ...backoff, pod: newPod });
    const parked = this.unschedulable.get(key);
    if (parked) {
      // A real change (not only status) may make it schedulable: retry it.
      const info = { ...parked, pod: newPod };
      if (oldPod && !podSpecChanged(oldPod, newPod)) {
        this.unschedulable.set(key, info);
        return;
      }
      this.unschedulable.delete(key);
      if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info);
      else {
        this.activeQ.addOrUpdate(info);
        this.wake();
      }
      return;
    }
    const inFlight = this.inFlight.get(key);
    if (inFlight) {
      inFlight.pod = newPod;
      return;
    }
    this.add(newPod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** Blocks until a pod is available; undefined once closed. */
  async pop(): Promise<QueuedPodInfo | undefined> {
    while (!this.closed && this.activeQ.size === 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.closed) return undefined;
    const info = this.activeQ.pop()!;
    info.attempts++;
    this.cycle++;
    this.inFlight.set(info.key, info);
    return info;
  }

  /** The pod's cycle ended (scheduled, or handed back through addUnschedulableIfNotPresent). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * A pod that failed its attempt: parked in unschedulablePods, or straight to backoffQ when a move
   * request happened since its cycle began (or it failed on an error rather than a rejection).
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo, podSchedulingCycle: number, error = false): void {
    const key = info.key;
    if (!this.inFlight.has(key)) return; // deleted meanwhile
    const current = this.inFlight.get(key)!;
    this.inFlight.delete(key);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    const next: QueuedPodInfo = { ...info, pod: current.pod, timestamp: this.clock.now() };
    if (error || this.moveRequestCycle >= podSchedulingCycle) this.backoffQ.addOrUpdate(next);
    else this.unschedulable.set(key, next);
  }

  /** A cluster event: every parked pod goes to backoffQ (if still backing off) or activeQ. */
  moveAllToActiveOrBackoffQueue(_event: ClusterEventName, filter?: (info: QueuedPodInfo) => boolean): void {
    let moved = false;
    for (const [key, info] of this.unschedulable) {
      if (filter && !filter(info)) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info);
      else {
        this.activeQ.addOrUpdate(info);
        moved = true;
      }
    }
    this.moveRequestCycle = this.cycle;
    if (moved) this.wake();
  }

  /** Moves pods whose backoff has ended from backoffQ to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    let moved = false;
    for (;;) {
      const head = this.backoffQ.peek();
      if (!head || this.backoffExpiry(head) > now) break;
      this.backoffQ.pop();
      this.activeQ.addOrUpdate(head);
      moved = true;
    }
    if (moved) this.wake();
  }

  /** Retries pods parked longer than podMaxInUnschedulablePodsDuration. */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    this.moveAllToActiveOrBackoffQueue(ClusterEvent.UnschedulableTimeout, (info) => now - info.timestamp > this.maxUnschedulableMs);
  }

  backoffDurationMs(info: QueuedPodInfo): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < info.attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDurationMs(info);
  }

  isBackingOff(info: QueuedPodInfo): boolean {
    return this.backoffExpiry(info) > this.clock.now();
  }

  /** Counts per sub-queue (for metrics and tests). */
  pending(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  has(pod: Pod): 'active' | 'backoff' | 'unschedulable' | 'inFlight' | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}

function strip(pod: Pod): string {
  return JSON.stringify({ spec: pod.spec, labels: pod.metadata?.labels, annotations: pod.metadata?.annotations });
}

/** isPodUpdated: anything but status, resourceVersion and managedFields changed. */
function podSpecChanged(a: Pod, b: Pod): boolean {
  return strip(a) !== strip(b);
}
