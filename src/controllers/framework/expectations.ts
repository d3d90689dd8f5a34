// ControllerExpectations (pkg/controller/controller_utils.go): after a controller issues N creates
// or deletes for an owner, it waits until its informer has observed them before acting on that
// owner again, so a slow watch never leads to double creates or deletes. Expectations expire after
// a TTL (5 minutes) in case an observation is lost. Deletions are tracked by pod key
// (UIDTrackingControllerExpectations), so a deletion is counted once however often it is observed.

import type { Clock } from '../../util/clock.js';

/** kube-controller-manager's ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Expectation>();
  private readonly deleteKeys = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** Whether the owner may be synced: no expectations, all observed, or expired. */
  satisfied(key: string): boolean {
    const e = this.records.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.timestamp > this.timeoutMs;
  }

  /** Pending (adds, dels) for the owner, if any (for logs and tests). */
  get(key: string): { add: number; del: number } | undefined {
    const e = this.records.get(key);
    return e && { add: e.add, del: e.del };
  }

  expectCreations(key: string, adds: number): void {
    this.records.set(key, { add: adds, del: 0, timestamp: this.clock.now() });
  }

  /** Expects the deletion of these pods ("namespace/name" keys). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.deleteKeys.set(key, new Set(podKeys));
    this.records.set(key, { add: 0, del: podKeys.length, timestamp: this.clock.now() });
  }

  /** Expects `adds` creations and the deletion of these pods at once (SetExpectations). */
  expect(key: string, adds: number, podKeys: readonly string[]): void {
    this.deleteKeys.set(key, new Set(podKeys));
    this.records.set(key, { add: adds, del: podKeys.length, timestamp: this.clock.now() });
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  /** A pod's deletion was observed (or will never happen); counted once per pod key. */
  deletionObserved(key: string, podKey: string): void {
    const keys = this.deleteKeys.get(key);
    if (!keys?.has(podKey)) return;
    keys.delete(podKey);
    this.lower(key, 0, 1);
  }

  /** Forgets the owner (it was deleted). */
  delete(key: string): void {
    this.records.delete(key);
    this.deleteKeys.delete(key);
  }

  private lower(key: string, add: number, del: number): void {
    const e = this.records.get(key);
    if (!e) return;
    e.add -= add;
    e.del -= del;
  }
}
