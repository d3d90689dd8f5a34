// Items (IP addresses, ports) over a stored bitmap: a range maps items to offsets, and the errors
// say what kube-apiserver's ipallocator and portallocator say ("provided IP is already
// allocated", "provided port is not in the valid range. The range of valid ports is 30000-32767",
// "range is full").

import type { Store } from '../../storage/interface.js';
import type { Random } from './bitmap.js';
import type { IPRange, ItemRange, PortRange } from './ranges.js';
import { StoredRange, type BitmapTxn } from './stored-range.js';

export type AllocationErrorReason = 'Allocated' | 'NotInRange' | 'Full';

export class AllocationError extends Error {
  constructor(
    readonly reason: AllocationErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** The operations a change sees, in items. */
export interface ItemTxn<T> {
  has(item: T): boolean;
  /** Takes item; throws AllocationError (NotInRange, Allocated). */
  take(item: T): void;
  /** Takes a free item; throws AllocationError (Full). */
  takeNext(): T;
  /** Frees item (no-op when it is free or outside the range). */
  release(item: T): void;
}

export interface ItemMessages<T> {
  allocated: string;
  notInRange(item: T): string;
}

export class ItemAllocator<T> {
  readonly stored: StoredRange;

  constructor(
    store: Store,
    key: string,
    readonly range: ItemRange<T>,
    private readonly messages: ItemMessages<T>,
    random: Random,
    /** Offsets allocateNext never picks (they may still be asked for by name). */
    private readonly reserved: ReadonlySet<number> = new Set(),
  ) {
    this.stored = new StoredRange(store, key, range, random);
  }

  /** Runs fn against the stored bitmap as one all-or-nothing change. */
  change<R>(fn: (txn: ItemTxn<T>) => R): Promise<R> {
    return this.stored.change((txn) => fn(this.wrap(txn)));
  }

  allocate(item: T): Promise<void> {
    return this.change((t) => t.take(item));
  }

  allocateNext(): Promise<T> {
    return this.change((t) => t.takeNext());
  }

  async release(items: readonly T[]): Promise<void> {
    if (items.length === 0) return;
    await this.change((t) => {
      for (const item of items) t.release(item);
    });
  }

  /** Whether item is allocated now (a read; nothing is taken). */
  async has(item: T): Promise<boolean> {
    const offset = this.range.offsetOf(item);
    if (offset === undefined) return false;
    return (await this.stored.snapshot()).bitmap.has(offset);
  }

  /** Throws the error allocate(item) would throw for a range problem; does not read the store. */
  checkInRange(item: T): void {
    if (this.range.offsetOf(item) === undefined) throw new AllocationError('NotInRange', this.messages.notInRange(item));
  }

  /** Every allocated item. */
  async list(): Promise<T[]> {
    const { bitmap } = await this.stored.snapshot();
    const items: T[] = [];
    bitmap.forEach((o) => items.push(this.range.itemAt(o)));
    return items;
  }

  private wrap(txn: BitmapTxn): ItemTxn<T> {
    const { range, messages, reserved } = this;
    return {
      has: (item) => {
        const o = range.offsetOf(item);
        return o !== undefined && txn.has(o);
      },
      take: (item) => {
        const o = range.offsetOf(item);
        if (o === undefined) throw new AllocationError('NotInRange', messages.notInRange(item));
        if (!txn.allocate(o)) throw new AllocationError('Allocated', messages.allocated);
      },
      takeNext: () => {
        const o = txn.allocateNext(reserved.size > 0 ? (x) => reserved.has(x) : undefined);
        if (o === undefined) throw new AllocationError('Full', 'range is full');
        return range.itemAt(o);
      },
      release: (item) => {
        const o = range.offsetOf(item);
        if (o !== undefined) txn.release(o);
      },
    };
  }
}

export const SERVICE_IPS_KEY = '/registry/ranges/serviceips';
export const SERVICE_NODE_PORTS_KEY = '/registry/ranges/servicenodeports';

/** The service IP allocator: the CIDR's first host address is reserved for the `kubernetes` service. */
export function serviceIPAllocator(store: Store, range: IPRange, random: Random): ItemAllocator<string> {
  return new ItemAllocator<string>(
    store,
    SERVICE_IPS_KEY,
    range,
    {
      allocated: 'provided IP is already allocated',
      notInRange: (ip) => `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${range.spec}`,
    },
    random,
    new Set(range.size > 1 ? [0] : []),
  );
}

export function nodePortAllocator(store: Store, range: PortRange, random: Random): ItemAllocator<number> {
  return new ItemAllocator<number>(
    store,
    SERVICE_NODE_PORTS_KEY,
    range,
    {
      allocated: 'provided port is already allocated',
      notInRange: () => `provided port is not in the valid range. The range of valid ports is ${range.spec}`,
    },
    random,
  );
}

