// A bounded ring buffer of events in revision order: the watch cache's "sliding window" of recent
// changes (Kubernetes' watchCache.cache). Pushing past capacity evicts the oldest event; a binary
// search finds where a watch from revision N starts replaying.

export interface Revisioned {
  readonly revision: number;
}

export class EventRing<E extends Revisioned> {
  private readonly slots: (E | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<E | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.size;
  }

  /** Appends an event (revisions must not go backwards); returns the evicted oldest, if any. */
  push(event: E): E | undefined {
    let evicted: E | undefined;
    if (this.size === this.capacity) {
      evicted = this.slots[this.head];
      this.slots[this.head] = event;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.slots[(this.head + this.size) % this.capacity] = event;
      this.size++;
    }
    return evicted;
  }

  /** The i-th event, oldest first. */
  at(i: number): E {
    if (i < 0 || i >= this.size) throw new RangeError(`index ${i} outside 0..${this.size - 1}`);
    return this.slots[(this.head + i) % this.capacity] as E;
  }

  /** Index of the first event with revision > `revision` (length when there is none). */
  firstAfter(revision: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Events with revision > `revision`, oldest first. */
  *after(revision: number): IterableIterator<E> {
    for (let i = this.firstAfter(revision); i < this.size; i++) yield this.at(i);
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.size = 0;
  }
}
