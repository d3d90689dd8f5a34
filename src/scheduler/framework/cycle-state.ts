// CycleState: per-scheduling-cycle data plugins share between their extension points (PreFilter
// computes, Filter reads). Plugins key their data by their own name.

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
}
