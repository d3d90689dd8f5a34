// The allocation bitmap: one bit per item of a range, set when the item is taken. Random
// allocation works as kube-apiserver's randomScanStrategyWithOffset: pick a random start in the
// upper part of the range (above the static band) and scan forward, wrapping within that part;
// only when it is full, do the same in the static band. Pure data: no I/O, randomness injected.

export type Random = () => number;

export class AllocationBitmap {
  private readonly bits: Uint8Array;
  private allocated = 0;

  /**
   * @param size number of items (offsets 0..size-1)
   * @param staticBand offsets below this are handed out by allocateNext only once the rest is full
   */
  constructor(
    readonly size: number,
    readonly staticBand = 0,
    bytes?: Uint8Array,
  ) {
    if (!Number.isInteger(size) || size < 0) throw new Error(`invalid bitmap size ${size}`);
    if (!Number.isInteger(staticBand) || staticBand < 0 || staticBand > size) throw new Error(`invalid static band ${staticBand}`);
    this.bits = new Uint8Array(Math.ceil(size / 8));
    if (bytes) {
      this.bits.set(bytes.subarray(0, this.bits.length));
      // Bits past the end of the range (a snapshot of a larger range) are dropped.
      if (size % 8 !== 0 && this.bits.length > 0) this.bits[this.bits.length - 1]! &= (1 << size % 8) - 1;
      for (const b of this.bits) this.allocated += popcount(b);
    }
  }

  get count(): number {
    return this.allocated;
  }

  get free(): number {
    return this.size - this.allocated;
  }

  has(offset: number): boolean {
    if (!this.inRange(offset)) return false;
    return (this.bits[offset >> 3]! & (1 << (offset & 7))) !== 0;
  }

  /** Takes offset; false when it was already taken (or outside the range). */
  allocate(offset: number): boolean {
    if (!this.inRange(offset) || this.has(offset)) return false;
    this.bits[offset >> 3]! |= 1 << (offset & 7);
    this.allocated++;
    return true;
  }

  /** Frees offset; false when it was not taken. */
  release(offset: number): boolean {
    if (!this.has(offset)) return false;
    this.bits[offset >> 3]! &= ~(1 << (offset & 7));
    this.allocated--;
    return true;
  }

  /**
   * Takes a free offset chosen at random (upper part first, then the static band); undefined when
   * none is free. `skip` excludes offsets from random allocation (e.g. a reserved address).
   */
  allocateNext(random: Random, skip?: (offset: number) => boolean): number | undefined {
    if (this.allocated >= this.size) return undefined;
    const found =
      this.scan(this.staticBand, this.size - this.staticBand, random, skip) ?? this.scan(0, this.staticBand, random, skip);
    if (found !== undefined) this.allocate(found);
    return found;
  }

  /** Every taken offset, ascending. */
  forEach(fn: (offset: number) => void): void {
    for (let i = 0; i < this.bits.length; i++) {
      let b = this.bits[i]!;
      while (b !== 0) {
        const low = b & -b;
        fn(i * 8 + (31 - Math.clz32(low)));
        b &= b - 1;
      }
    }
  }

  /** The bitmap as bytes (bit i is bit i%8 of byte i/8), without trailing zero bytes. */
  toBytes(): Uint8Array {
    let end = this.bits.length;
    while (end > 0 && this.bits[end - 1] === 0) end--;
    return this.bits.slice(0, end);
  }

  clone(): AllocationBitmap {
    return new AllocationBitmap(this.size, this.staticBand, this.bits);
  }

  private inRange(offset: number): boolean {
    return Number.isInteger(offset) && offset >= 0 && offset < this.size;
  }

  /** A free offset in [start, start+length), scanning from a random point and wrapping. */
  private scan(start: number, length: number, random: Random, skip?: (offset: number) => boolean): number | undefined {
    if (length <= 0) return undefined;
    const first = Math.min(length - 1, Math.floor(random() * length));
    for (let i = 0; i < length; ) {
      const at = start + ((first + i) % length);
      // Whole bytes taken: jump to the next byte boundary (within the wrap).
      if ((at & 7) === 0 && this.bits[at >> 3] === 0xff && i + 8 <= length && (first + i) % length <= length - 8) {
        i += 8;
        continue;
      }
      if (!this.has(at) && !skip?.(at)) return at;
      i++;
    }
    return undefined;
  }
}

function popcount(b: number): number {
  let n = 0;
  while (b) {
    b &= b - 1;
    n++;
  }
  return n;
}
