// V8 heap sizing for `kite agent`, a long-running process with a small live heap (~20 MB at 110
// pods) and a steady trickle of garbage (CRI relists, pod syncs, watch events). With V8's defaults
// its RSS is set by headroom, not by what it holds: the young generation grows to 2 × 16 MB after
// a busy spell (pods starting) and stays, and the old generation may grow to up to 4× the live heap
// before the next full collection. Two V8 flags, both read by V8 whenever it resizes (so setting
// them at start works), trade that headroom for more frequent, small collections:
//  --semi-space-growth-factor=1  the young generation keeps its size at start (a few MB);
//  --heap-growing-percent=50     the old generation's next limit is 1.5 × the live heap (as
//                                GOGC=50 would for Go's kubelet).
// A flag given to node itself (NODE_OPTIONS or its command line) wins over ours.

import { setFlagsFromString } from 'node:v8';

export const AGENT_HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=50'] as const;

const name = (flag: string) => flag.replace(/^--/, '').replace(/=.*$/, '').replaceAll('_', '-');

/** Sets each flag node was not started with; returns the ones set. */
export function applyHeapFlags(flags: readonly string[], execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].filter((a) => a.startsWith('--')).map(name));
  const applied = flags.filter((f) => !given.has(name(f)));
  for (const f of applied) setFlagsFromString(f);
  return applied;
}
