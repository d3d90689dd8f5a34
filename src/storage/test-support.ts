// Helpers for the storage tests: text <-> bytes, a bounded wait on a condition (no fixed sleeps),
// and a watch handler that records what it is given.

import type { BackendEvent, BackendWatchHandler } from './backend.js';

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));

/** Resolves once `condition()` holds, checking after each event-loop turn; rejects after
 *  `timeoutMs` naming `what`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export class RecordingHandler implements BackendWatchHandler {
  events: BackendEvent[] = [];
  progress: number[] = [];
  errors: Error[] = [];
  onEvents(events: BackendEvent[]): void {
    this.events.push(...events);
  }
  onProgress(revision: number): void {
    this.progress.push(revision);
  }
  onError(err: Error): void {
    this.errors.push(err);
  }
}

export const recorder = (): RecordingHandler => new RecordingHandler();
