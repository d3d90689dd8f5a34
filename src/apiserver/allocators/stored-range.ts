// A range's allocation bitmap kept in the cluster state store, in the spirit of Kubernetes'
// RangeAllocation objects (/registry/ranges/serviceips, /registry/ranges/servicenodeports): every
// change is a compare-and-swap write of the whole bitmap, so API servers sharing a store never
// hand out one item twice. Changes asked for in the same event-loop turn (or while a write is in
// flight) are applied together in one write; each change is all-or-nothing on its own.
//
// The object: { apiVersion: v1, kind: RangeAllocation, metadata: { name }, range, data } where
// data is the bitmap (bit i = offset i, little-endian within bytes, trailing zero bytes dropped),
// deflated and base64-encoded — a sparse 2^20-bit bitmap is then a few KiB, not 128 KiB per write.

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { KubeObject } from '../../api/object.js';
import { isStorageError } from '../../storage/errors.js';
import type { Store } from '../../storage/interface.js';
import { AllocationBitmap, type Random } from './bitmap.js';
import type { ItemRange } from './ranges.js';

export interface RangeAllocationObject extends KubeObject {
  range: string;
  data: string;
}

/** The range stored differs from the configured one (the flag changed): repair rewrites it. */
export class RangeMismatchError extends Error {
  constructor(stored: string, configured: string) {
    super(`the provided range does not match the current range (stored ${stored}, configured ${configured})`);
  }
}

/** A change to the bitmap: may read, take and free bits; a throw undoes its own changes. */
export interface BitmapTxn {
  readonly size: number;
  has(offset: number): boolean;
  allocate(offset: number): boolean;
  release(offset: number): boolean;
  allocateNext(skip?: (offset: number) => boolean): number | undefined;
}

interface Queued {
  change: (txn: BitmapTxn) => unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface Snapshot {
  bitmap: AllocationBitmap;
  /** The stored object's resourceVersion; undefined when nothing is stored yet. */
  resourceVersion?: string;
  /** The range the stored object is for (may differ from the configured one). */
  range?: string;
}

export class StoredRange {
  private queue: Queued[] = [];
  private flushing = false;

  constructor(
    private readonly store: Store,
    readonly key: string,
    readonly range: ItemRange<unknown>,
    private readonly random: Random,
  ) {}

  /** Applies change to the stored bitmap (batched with others, retried on conflict). */
  change<R>(change: (txn: BitmapTxn) => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ change, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** The stored bitmap as it is now (an empty one when nothing is stored). */
  async snapshot(): Promise<Snapshot> {
    let obj: RangeAllocationObject;
    try {
      obj = await this.store.get<RangeAllocationObject>(this.key);
    } catch (err) {
      if (isStorageError(err, 'KeyNotFound')) return { bitmap: this.empty() };
      throw err;
    }
    const bitmap = obj.range === this.range.spec ? this.decode(obj) : this.empty();
    return { bitmap, resourceVersion: obj.metadata?.resourceVersion, range: obj.range };
  }

  /**
   * Replaces the stored bitmap, if it is still at resourceVersion (undefined: if nothing is stored).
   * Returns false when it changed meanwhile.
   */
  async replace(bitmap: AllocationBitmap, resourceVersion: string | undefined): Promise<boolean> {
    try {
      if (resourceVersion === undefined) {
        await this.store.create(this.key, this.object(bitmap));
      } else {
        await this.store.guaranteedUpdate<RangeAllocationObject>(this.key, (current) => ({ ...current, range: this.range.spec, data: encode(bitmap) }), {
          preconditions: { resourceVersion },
        });
      }
      return true;
    } catch (err) {
      if (isStorageError(err, 'KeyExists') || isStorageError(err, 'InvalidObj') || isStorageError(err, 'KeyNotFound')) return false;
      throw err;
    }
  }

  private empty(): AllocationBitmap {
    return new AllocationBitmap(this.range.size, this.range.staticBand);
  }

  private decode(obj: RangeAllocationObject): AllocationBitmap {
    const bytes = obj.data ? inflateRawSync(Buffer.from(obj.data, 'base64')) : new Uint8Array(0);
    return new AllocationBitmap(this.range.size, this.range.staticBand, bytes);
  }

  private object(bitmap: AllocationBitmap): RangeAllocationObject {
    const name = this.key.slice(this.key.lastIndexOf('/') + 1);
    return { apiVersion: 'v1', kind: 'RangeAllocation', metadata: { name }, range: this.range.spec, data: encode(bitmap) };
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      let outcomes: Outcome[] = [];
      const applyAll = (bitmap: AllocationBitmap): void => {
        outcomes = batch.map((q) => applyOne(bitmap, q.change, this.random));
      };
      try {
        await this.store.guaranteedUpdate<RangeAllocationObject>(
          this.key,
          (current) => {
            if (current.range !== this.range.spec) throw new RangeMismatchError(current.range, this.range.spec);
            const bitmap = this.decode(current);
            applyAll(bitmap);
            return { ...current, data: encode(bitmap) };
          },
          {
            create: () => {
              const bitmap = this.empty();
              applyAll(bitmap);
              return this.object(bitmap);
            },
          },
        );
      } catch (err) {
        for (const q of batch) q.reject(err);
        continue;
      }
      batch.forEach((q, i) => {
        const o = outcomes[i] as Outcome;
        if (o.ok) q.resolve(o.value);
        else q.reject(o.error);
      });
    }
    this.flushing = false;
  }
}

function applyOne(bitmap: AllocationBitmap, change: (txn: BitmapTxn) => unknown, random: Random): Outcome {
  const undo: (() => void)[] = [];
  const txn: BitmapTxn = {
    size: bitmap.size,
    has: (o) => bitmap.has(o),
    allocate(o) {
      const ok = bitmap.allocate(o);
      if (ok) undo.push(() => bitmap.release(o));
      return ok;
    },
    release(o) {
      const ok = bitmap.release(o);
      if (ok) undo.push(() => bitmap.allocate(o));
      return ok;
    },
    allocateNext(skip) {
      const o = bitmap.allocateNext(random, skip);
      if (o !== undefined) undo.push(() => bitmap.release(o));
      return o;
    },
  };
  try {
    return { ok: true, value: change(txn) };
  } catch (error) {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
    return { ok: false, error };
  }
}

function encode(bitmap: AllocationBitmap): string {
  const bytes = bitmap.toBytes();
  return bytes.length === 0 ? '' : deflateRawSync(bytes).toString('base64');
}
