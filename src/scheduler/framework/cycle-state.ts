// CycleState: per-scheduling-cycle data plugins share between their extension points (PreFilter
// computes, Filter reads). Plugins key their data by their own name. Data that PreFilter
// extensions change (AddPod/RemovePod during preemption's what-if runs) implements StateData, so a
// cloned CycleState can be changed without touching the original.

/** framework.StateData: state that must be deep-copied when the CycleState is cloned. */
export interface StateData {
  clone(): StateData;
}

function isStateData(v: unknown): v is StateData {
  return typeof v === 'object' && v !== null && typeof (v as { clone?: unknown }).clone === 'function';
}

export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Set when Filter plugins are skipped by PreFilter returning Skip. */
  readonly skipFilterPlugins = new Set<string>();
  readonly skipScorePlugins = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
  delete(key: string): void {
    this.data.delete(key);
  }
  /** A copy whose StateData values are cloned (others are shared: they are never changed). */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, isStateData(v) ? v.clone() : v);
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    return c;
  }
}
