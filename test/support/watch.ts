// Test helpers for watch streams: take the next N events, or wait for one that matches, bounded.

import type { WatchEvent, WatchStream } from '../../src/storage/interface.js';

export async function takeEvents<T>(
  stream: WatchStream<T>,
  count: number,
  options: { timeoutMs?: number; skipProgress?: boolean } = {},
): Promise<WatchEvent<T>[]> {
  const { timeoutMs = 10_000, skipProgress = true } = options;
  const events: WatchEvent<T>[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`watch: got ${events.length} of ${count} events within ${timeoutMs} ms`)),
        Math.max(0, remaining),
      );
    });
    try {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) throw new Error(`watch ended after ${events.length} of ${count} events`);
      if (skipProgress && next.value.type === 'PROGRESS') continue;
      events.push(next.value);
    } finally {
      clearTimeout(timer);
    }
  }
  return events;
}

/** Reads events until one satisfies `match`; returns it. */
export async function waitForEvent<T>(
  stream: WatchStream<T>,
  match: (event: WatchEvent<T>) => boolean,
  timeoutMs = 10_000,
): Promise<WatchEvent<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`watch: no matching event within ${timeoutMs} ms`);
    const [event] = await takeEvents(stream, 1, { timeoutMs: remaining, skipProgress: false });
    if (event && match(event)) return event;
  }
}

/** Resolves with the error that ends the stream; rejects if it ends cleanly or not in time. */
export async function watchError<T>(stream: WatchStream<T>, timeoutMs = 10_000): Promise<unknown> {
  const iterator = stream[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      let next: IteratorResult<WatchEvent<T>> | 'timeout';
      try {
        next = await Promise.race([iterator.next(), timeout]);
      } catch (err) {
        return err;
      }
      if (next === 'timeout') throw new Error(`watch did not fail within ${timeoutMs} ms`);
      if (next.done) throw new Error('watch ended without an error');
    }
  } finally {
    clearTimeout(timer);
  }
}
