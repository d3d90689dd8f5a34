// Bounded waits on a condition: poll until it holds or a deadline passes, then fail with a
// description of what was awaited (and, optionally, of the state that was seen last).

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Describes the state when the wait times out (appended to the error message). */
  describe?: () => string;
}

/** Resolves once `condition()` returns true (awaiting it if it is async); rejects after the timeout. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  const { timeoutMs = 10_000, intervalMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const state = options.describe ? `\nlast state: ${options.describe()}` : '';
      const cause = lastError !== undefined ? `\nlast error: ${String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Races a promise against a deadline. */
export async function withTimeout<T>(what: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
