// A registry of long-running requests (watches, logs, exec): each registers an end() callback so
// a graceful shutdown can finish them cleanly instead of waiting for them or cutting them off.

export interface LongRunningRegistry {
  /**
   * Registers a long-running request. end() is called at most once, when the server shuts down.
   * Returns the function to call when the request finishes by itself (it unregisters).
   * After shutdown has begun, end() is called right away (in a microtask).
   */
  register(end: () => void): () => void;
  /** Number of registered requests. */
  readonly size: number;
  /** True once endAll() has run. */
  readonly closing: boolean;
  /** Ends every registered request and every one registered later. */
  endAll(): void;
}

export function createLongRunningRegistry(): LongRunningRegistry {
  const entries = new Set<() => void>();
  let closing = false;
  const callEnd = (end: () => void) => {
    try {
      end();
    } catch {
      // an end() that throws must not stop the others; the connection is torn down at the deadline
    }
  };
  return {
    register(end) {
      if (closing) {
        queueMicrotask(() => callEnd(end));
        return () => {};
      }
      const entry = () => callEnd(end);
      entries.add(entry);
      return () => void entries.delete(entry);
    },
    get size() {
      return entries.size;
    },
    get closing() {
      return closing;
    },
    endAll() {
      closing = true;
      const all = [...entries];
      entries.clear();
      for (const entry of all) entry();
    },
  };
}
