// Waiting for the API server to be reachable at all, as a kubelet started before its control plane
// does: a step that fails because nothing answers (connection refused, host unreachable, TLS
// handshake timed out, …) is tried again with backoff (1 s doubling to 30 s) until a deadline;
// any other failure — a wrong CA hash, a refused token — ends at once.

import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'EPIPE']);

export function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && UNREACHABLE.has(code)) || /no TLS handshake/.test(String((err as Error)?.message));
}

export async function untilReachable<T>(what: string, step: () => Promise<T>, options: { clock: Clock; logger: Logger; timeoutMs: number }): Promise<T> {
  const deadline = options.clock.now() + options.timeoutMs;
  for (let delay = 1000; ; delay = Math.min(delay * 2, 30_000)) {
    try {
      return await step();
    } catch (err) {
      const left = deadline - options.clock.now();
      if (!isUnreachable(err) || left <= 0) throw err;
      options.logger.info(`${what}: server not reachable yet, retrying`, { error: (err as Error).message, inMs: Math.min(delay, left) });
      await options.clock.sleep(Math.min(delay, left));
    }
  }
}
