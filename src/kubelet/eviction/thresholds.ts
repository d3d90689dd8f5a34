// Eviction signals and thresholds (the kubelet's eviction/api types and its threshold statements):
// "memory.available<100Mi,nodefs.available<10%" → thresholds, Kubernetes' Linux defaults, the node
// condition each signal drives, whether a threshold is hard or soft (a grace period), and whether an
// observation crosses a threshold, optionally by its minimum reclaim (thresholdsMet).

import { Quantity } from '../../api/quantity.js';

export const SIGNALS = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'] as const;
export type Signal = (typeof SIGNALS)[number];

export type PressureCondition = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

/** A threshold's value: an absolute quantity (bytes, inodes, pids) or a fraction of capacity. */
export type ThresholdValue = { quantity: number } | { percentage: number };

export interface Threshold {
  signal: Signal;
  /** The only operator Kubernetes supports: LessThan. */
  operator: 'LessThan';
  value: ThresholdValue;
  /** The text it was parsed from ("100Mi", "10%"), for messages. */
  text: string;
  /** A soft threshold's grace period (--eviction-soft-grace-period); absent or 0: a hard threshold. */
  gracePeriodMs?: number;
  /** How far past the threshold the signal must recover once met (--eviction-minimum-reclaim). */
  minReclaim?: ThresholdValue;
}

/** What was observed for a signal: what is available out of what capacity. */
export interface SignalObservation {
  available: number;
  capacity: number;
}
export type Observations = Partial<Record<Signal, SignalObservation>>;

/** The kubelet's Linux --eviction-hard default. */
export const DEFAULT_EVICTION_HARD = 'memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%';

const SIGNAL_CONDITION: Record<Signal, PressureCondition> = {
  'memory.available': 'MemoryPressure',
  'nodefs.available': 'DiskPressure',
  'nodefs.inodesFree': 'DiskPressure',
  'imagefs.available': 'DiskPressure',
  'imagefs.inodesFree': 'DiskPressure',
  'pid.available': 'PIDPressure',
};

/** The resource a signal's pressure starves (the eviction message's "low on resource: X"). */
const SIGNAL_RESOURCE: Record<Signal, string> = {
  'memory.available': 'memory',
  'nodefs.available': 'ephemeral-storage',
  'nodefs.inodesFree': 'inodes',
  'imagefs.available': 'ephemeral-storage',
  'imagefs.inodesFree': 'inodes',
  'pid.available': 'pids',
};

export const conditionOf = (signal: Signal): PressureCondition => SIGNAL_CONDITION[signal];
export const resourceOf = (signal: Signal): string => SIGNAL_RESOURCE[signal];

const isSignal = (s: string): s is Signal => (SIGNALS as readonly string[]).includes(s);

/** One "signal<value" statement; undefined for "0%" and "100%", which Kubernetes ignores. */
export function parseThreshold(statement: string): Threshold | undefined {
  const lt = statement.indexOf('<');
  if (lt <= 0) throw new Error(`invalid eviction threshold "${statement}": expected signal<value`);
  const signal = statement.slice(0, lt).trim();
  const text = statement.slice(lt + 1).trim();
  if (!isSignal(signal)) throw new Error(`unsupported eviction signal ${signal}`);
  if (text.endsWith('%')) {
    if (text === '0%' || text === '100%') return undefined;
    const pct = Number(text.slice(0, -1));
    if (!Number.isFinite(pct) || text.length === 1) throw new Error(`invalid eviction percentage threshold "${text}"`);
    if (pct < 0) throw new Error(`eviction percentage threshold ${signal} must be >= 0%: ${text}`);
    if (pct > 100) throw new Error(`eviction percentage threshold ${signal} must be <= 100%: ${text}`);
    return { signal, operator: 'LessThan', value: { percentage: pct / 100 }, text };
  }
  let quantity: number;
  try {
    quantity = Quantity.parse(text).value();
  } catch {
    throw new Error(`invalid eviction threshold quantity "${text}" for ${signal}`);
  }
  if (quantity <= 0) throw new Error(`eviction threshold ${signal} must be positive: ${text}`);
  return { signal, operator: 'LessThan', value: { quantity }, text };
}

/** "a<1,b<2" → thresholds (the --eviction-hard flag; a signal may appear once; "" disables them all). */
export function parseEvictionHard(text: string): Threshold[] {
  const out: Threshold[] = [];
  for (const statement of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const t = parseThreshold(statement);
    if (!t) continue;
    if (out.some((o) => o.signal === t.signal)) throw new Error(`duplicate eviction threshold for signal ${t.signal}`);
    out.push(t);
  }
  return out;
}

/** The threshold's value in the signal's unit for a given capacity. */
export function thresholdAmount(value: ThresholdValue, capacity: number): number {
  return 'quantity' in value ? value.quantity : Math.floor(value.percentage * capacity);
}

/** isHardEvictionThreshold: a threshold without a grace period evicts at once. */
export const isHard = (threshold: Threshold): boolean => !threshold.gracePeriodMs;

/**
 * Whether the observation crosses the threshold (available < threshold), as thresholdsMet does;
 * with `enforceMinReclaim`, whether it is still below threshold + minimum reclaim.
 */
export function crosses(threshold: Threshold, observation: SignalObservation | undefined, enforceMinReclaim = false): boolean {
  if (!observation) return false;
  let amount = thresholdAmount(threshold.value, observation.capacity);
  if (amount <= 0) return false;
  if (enforceMinReclaim && threshold.minReclaim) amount += thresholdAmount(threshold.minReclaim, observation.capacity);
  return observation.available < amount;
}
