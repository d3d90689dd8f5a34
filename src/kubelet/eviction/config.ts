// The eviction flags combined into thresholds (the kubelet's ParseThresholdConfig):
// --eviction-soft-grace-period "memory.available=1m30s,…" and --eviction-minimum-reclaim
// "memory.available=500Mi,nodefs.available=5%,…" parsed per signal, then each soft threshold given
// its grace period (a soft threshold without one is refused) and every threshold, hard or soft, the
// minimum reclaim of its signal.

import { Quantity } from '../../api/quantity.js';
import { parseDuration } from '../../util/duration.js';
import { SIGNALS, type Signal, type Threshold, type ThresholdValue } from './thresholds.js';

/** A grace period (ms) per signal (--eviction-soft-grace-period). */
export type SignalGracePeriods = Partial<Record<Signal, number>>;
/** A minimum reclaim per signal (--eviction-minimum-reclaim). */
export type SignalMinimumReclaims = Partial<Record<Signal, ThresholdValue>>;

const isSignal = (s: string): s is Signal => (SIGNALS as readonly string[]).includes(s);

/** "a=x,b=y" → [signal, value] pairs, each signal once, for the flag named `what`. */
function signalStatements(text: string, what: string, expected: string): [Signal, string][] {
  const out: [Signal, string][] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`invalid ${what} "${item}": expected signal=${expected}`);
    const signal = item.slice(0, eq).trim();
    if (!isSignal(signal)) throw new Error(`unsupported eviction signal ${signal}`);
    if (out.some(([s]) => s === signal)) throw new Error(`duplicate ${what} for signal ${signal}`);
    out.push([signal, item.slice(eq + 1).trim()]);
  }
  return out;
}

/** --eviction-soft-grace-period: "memory.available=1m30s,…" (non-negative durations). */
export function parseGracePeriods(text: string): SignalGracePeriods {
  const out: SignalGracePeriods = {};
  for (const [signal, value] of signalStatements(text, 'eviction grace period', 'duration')) {
    try {
      out[signal] = parseDuration(value);
    } catch {
      throw new Error(`invalid eviction grace period "${value}" for ${signal}: use a duration such as 30s, 1m30s or 2h`);
    }
  }
  return out;
}

/** --eviction-minimum-reclaim: "memory.available=0.5Gi,nodefs.available=5%,…" (a positive percentage or a non-negative quantity). */
export function parseMinimumReclaims(text: string): SignalMinimumReclaims {
  const out: SignalMinimumReclaims = {};
  for (const [signal, value] of signalStatements(text, 'eviction minimum reclaim', 'quantity or signal=percent')) {
    if (value.endsWith('%')) {
      const pct = Number(value.slice(0, -1));
      if (value.length === 1 || !Number.isFinite(pct)) throw new Error(`invalid eviction minimum reclaim percentage "${value}" for ${signal}`);
      if (pct <= 0) throw new Error(`eviction percentage minimum reclaim ${signal} must be positive: ${value}`);
      out[signal] = { percentage: pct / 100 };
      continue;
    }
    let quantity: number;
    try {
      quantity = Quantity.parse(value).value();
    } catch {
      throw new Error(`invalid eviction minimum reclaim quantity "${value}" for ${signal}`);
    }
    if (quantity < 0) throw new Error(`negative eviction minimum reclaim specified for ${signal}: ${value}`);
    out[signal] = { quantity };
  }
  return out;
}

export interface ThresholdFlags {
  hard: readonly Threshold[];
  soft?: readonly Threshold[];
  softGracePeriods?: SignalGracePeriods;
  minimumReclaims?: SignalMinimumReclaims;
}

/** The hard and soft thresholds the flags configure; throws on a soft threshold without a grace period. */
export function thresholdConfig(flags: ThresholdFlags): { hard: Threshold[]; soft: Threshold[] } {
  const withReclaim = (t: Threshold): Threshold => {
    const minReclaim = flags.minimumReclaims?.[t.signal];
    return minReclaim ? { ...t, minReclaim } : { ...t };
  };
  const soft = (flags.soft ?? []).map((t) => {
    const gracePeriodMs = flags.softGracePeriods?.[t.signal];
    if (gracePeriodMs === undefined) {
      throw new Error(`grace period must be specified for the soft eviction threshold ${t.signal} (--eviction-soft-grace-period ${t.signal}=<duration>)`);
    }
    return { ...withReclaim(t), gracePeriodMs };
  });
  return { hard: flags.hard.map(withReclaim), soft };
}
