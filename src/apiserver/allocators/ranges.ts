// The ranges Services draw from, as offsets into a bitmap: a service CIDR (IPv4 or IPv6; the
// network address, and for IPv4 the broadcast address, are never handed out, so offset 0 is the
// CIDR's first host address — 10.96.0.1 in 10.96.0.0/12) and a node port range (30000-32767).
// Each range also carries the size of its low "static" band (kube-apiserver's
// calculateRangeOffset): random allocation prefers the upper part, leaving the low addresses and
// ports to users who ask for a specific one.

/** A range of items of type T mapped onto bitmap offsets 0..size-1. */
export interface ItemRange<T> {
  /** How the range is written in the RangeAllocation object: "10.96.0.0/12", "30000-32767". */
  readonly spec: string;
  readonly size: number;
  /** The low band random allocation uses last. */
  readonly staticBand: number;
  /** The offset of item, or undefined when it is outside the range. */
  offsetOf(item: T): number | undefined;
  itemAt(offset: number): T;
}

export type IPFamily = 'IPv4' | 'IPv6';

/** The largest bitmap an IP range may need (2^20 bits = 128 KiB, kube-apiserver's limit). */
const MAX_HOST_BITS_V4 = 20;
/** IPv6 ranges are capped at 65536 addresses, as kube-apiserver's bitmap allocator does. */
const MAX_V6_SIZE = 65536;

export class IPRange implements ItemRange<string> {
  readonly spec: string;
  readonly size: number;
  readonly staticBand: number;
  /** The network address as a number. */
  private readonly network: bigint;
  private readonly bits: number;

  private constructor(
    readonly family: IPFamily,
    network: bigint,
    readonly prefixLength: number,
  ) {
    this.bits = family === 'IPv4' ? 32 : 128;
    const hostBits = this.bits - prefixLength;
    const mask = hostBits === 0 ? 0n : (1n << BigInt(hostBits)) - 1n;
    this.network = network & ~mask;
    this.spec = `${formatIP(this.network, family)}/${prefixLength}`;
    const total = 1n << BigInt(hostBits);
    // Minus the network address, and for IPv4 the broadcast address.
    let size = total - (family === 'IPv4' ? 2n : 1n);
    if (size < 0n) size = 0n;
    if (family === 'IPv6' && size > BigInt(MAX_V6_SIZE)) size = BigInt(MAX_V6_SIZE);
    this.size = Number(size);
    this.staticBand = rangeOffset(total, 16n, 256n, 16n);
  }

  /** Parses "10.96.0.0/12" (host bits are masked off). Throws on malformed or too large ranges. */
  static parse(cidr: string): IPRange {
    const slash = cidr.indexOf('/');
    if (slash < 0) throw new Error(`invalid CIDR address: ${cidr}`);
    const addr = parseIP(cidr.slice(0, slash));
    const prefixText = cidr.slice(slash + 1);
    if (!addr || !/^\d{1,3}$/.test(prefixText)) throw new Error(`invalid CIDR address: ${cidr}`);
    const prefix = Number(prefixText);
    const bits = addr.family === 'IPv4' ? 32 : 128;
    if (prefix > bits) throw new Error(`invalid CIDR address: ${cidr}`);
    if (addr.family === 'IPv4' && bits - prefix > MAX_HOST_BITS_V4) {
      throw new Error(`specified service CIDR ${cidr} is too large; for 32-bit addresses, the mask must be >= ${32 - MAX_HOST_BITS_V4}`);
    }
    return new IPRange(addr.family, addr.value, prefix);
  }

  offsetOf(ip: string): number | undefined {
    const addr = parseIP(ip);
    if (!addr || addr.family !== this.family) return undefined;
    const offset = addr.value - this.network - 1n;
    if (offset < 0n || offset >= BigInt(this.size)) return undefined;
    return Number(offset);
  }

  itemAt(offset: number): string {
    return formatIP(this.network + 1n + BigInt(offset), this.family);
  }

  /** The network address itself (what a dry run reports for an address it did not pick). */
  networkAddress(): string {
    return formatIP(this.network, this.family);
  }
}

export class PortRange implements ItemRange<number> {
  readonly spec: string;
  readonly size: number;
  readonly staticBand: number;

  constructor(
    readonly base: number,
    size: number,
  ) {
    if (!Number.isInteger(base) || !Number.isInteger(size) || base < 1 || size < 1 || base + size - 1 > 65535) {
      throw new Error(`invalid port range: base ${base}, size ${size}`);
    }
    this.size = size;
    this.spec = `${base}-${base + size - 1}`;
    this.staticBand = rangeOffset(BigInt(size), 16n, 128n, 32n);
  }

  /** Parses "30000-32767" or a single port "30000". */
  static parse(text: string): PortRange {
    const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(text);
    if (!m) throw new Error(`unable to parse port range: ${text}`);
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (high < low) throw new Error(`unable to parse port range: ${text}: end port is less than start port`);
    return new PortRange(low, high - low + 1);
  }

  offsetOf(port: number): number | undefined {
    if (!Number.isInteger(port)) return undefined;
    const offset = port - this.base;
    return offset >= 0 && offset < this.size ? offset : undefined;
  }

  itemAt(offset: number): number {
    return this.base + offset;
  }
}

/** kube-apiserver's calculateRangeOffset: min(max(min, size/step), max), 0 for tiny ranges. */
function rangeOffset(size: bigint, min: bigint, max: bigint, step: bigint): number {
  if (size <= min) return 0;
  const offset = size / step;
  if (offset < min) return Number(min);
  if (offset > max) return Number(max);
  return Number(offset);
}

// ---- IP text <-> numbers --------------------------------------------------------------------

export interface ParsedIP {
  family: IPFamily;
  value: bigint;
}

/** Parses an IPv4 or IPv6 address (leading zeros in IPv4 octets are accepted, as Go's ParseIPSloppy does). */
export function parseIP(text: string): ParsedIP | undefined {
  if (text.includes(':')) {
    const value = parseIPv6(text);
    if (value === undefined) return undefined;
    // An IPv4-mapped address (::ffff:a.b.c.d) is IPv4, as Go sees it.
    if (value >> 32n === 0xffffn) return { family: 'IPv4', value: value & 0xffffffffn };
    return { family: 'IPv6', value };
  }
  const v4 = parseIPv4(text);
  return v4 === undefined ? undefined : { family: 'IPv4', value: BigInt(v4) };
}

function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  let all: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    all = head;
  }
  if (all.length !== 8) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Canonical text: dotted quad, or RFC 5952 (lower case, longest zero run as "::"). */
export function formatIP(value: bigint, family: IPFamily): string {
  if (family === 'IPv4') {
    const n = Number(value & 0xffffffffn);
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}
