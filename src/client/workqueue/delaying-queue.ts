// The delaying queue of client-go: addAfter(item, ms) adds the item once `ms` has passed on the
// injected clock. Items wait in a min-heap by ready time (then by arrival); one clock timer is set
// for the earliest. An item already waiting keeps the earlier of its two ready times.

import { Queue, type QueueOptions } from './queue.js';
import type { Timer } from '../../util/clock.js';

interface WaitingEntry<T> {
  item: T;
  readyAt: number;
  seq: number;
  index: number;
}

export class DelayingQueue<T extends {}> extends Queue<T> {
  private readonly heap: WaitingEntry<T>[] = [];
  private readonly known = new Map<T, WaitingEntry<T>>();
  private seq = 0;
  private timer: Timer | undefined;
  private timerAt = Infinity;

  constructor(options: QueueOptions = {}) {
    super(options);
  }

  /** Adds `item` after `ms` milliseconds (at once when ms ≤ 0). Ignored once shutting down. */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown()) return;
    this.metrics.retry();
    if (!(ms > 0)) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const existing = this.known.get(item);
    if (existing) {
      if (readyAt < existing.readyAt) {
        existing.readyAt = readyAt;
        this.siftUp(existing.index);
      }
    } else {
      const entry: WaitingEntry<T> = { item, readyAt, seq: this.seq++, index: this.heap.length };
      this.heap.push(entry);
      this.known.set(item, entry);
      this.siftUp(entry.index);
    }
    this.armTimer();
  }

  /** Number of items waiting for their delay to pass. */
  waitingLen(): number {
    return this.heap.length;
  }

  protected override beginShutdown(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
    this.heap.length = 0;
    this.known.clear();
    super.beginShutdown();
  }

  private armTimer(): void {
    const first = this.heap[0];
    if (!first) return;
    if (this.timer && this.timerAt <= first.readyAt) return;
    this.timer?.cancel();
    this.timerAt = first.readyAt;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, first.readyAt - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    while (this.heap.length > 0 && this.heap[0]!.readyAt <= now) {
      const entry = this.pop();
      this.known.delete(entry.item);
      this.add(entry.item);
    }
    this.armTimer();
  }

  private less(a: WaitingEntry<T>, b: WaitingEntry<T>): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    a.index = j;
    b.index = i;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i]!, this.heap[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && this.less(this.heap[l]!, this.heap[smallest]!)) smallest = l;
      if (r < n && this.less(this.heap[r]!, this.heap[smallest]!)) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private pop(): WaitingEntry<T> {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      last.index = 0;
      this.siftDown(0);
    }
    return top;
  }
}
