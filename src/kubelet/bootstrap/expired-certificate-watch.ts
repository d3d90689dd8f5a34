// The kubelet's way out of a lost client certificate (client-go's certificate transport, with the
// kubelet's exitAfter of 5 minutes): every 10 s it looks at the node's current client certificate.
// Once that has been expired for exitAfter and the API server is responsive (its last answer to a
// certificate request said so), the node can only come back with new bootstrap credentials, so
// onLost is called — the agent exits 1, and its restart bootstraps again with its token. Expired
// while the server does not answer: it says so and keeps waiting.

import { X509Certificate } from 'node:crypto';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';

export const EXPIRED_CERTIFICATE_CHECK_MS = 10_000;
export const EXPIRED_CERTIFICATE_EXIT_AFTER_MS = 5 * 60_000;

export interface ExpiredCertificateWatchOptions {
  /** The node's client certificate in use now (PEM). */
  currentCertificate(): string;
  /** Whether the API server answered the last certificate request as a working server does. */
  serverHealthy(): boolean;
  clock: Clock;
  logger: Logger;
  /** Called once, with the reason, when the node must get new credentials. */
  onLost(reason: string): void;
  periodMs?: number;
  exitAfterMs?: number;
}

export function watchExpiredCertificate(o: ExpiredCertificateWatchOptions): { stop(): void } {
  const exitAfter = o.exitAfterMs ?? EXPIRED_CERTIFICATE_EXIT_AFTER_MS;
  let lastValidAt = o.clock.now();
  let reported = false;
  const timer = o.clock.setInterval(() => {
    const now = o.clock.now();
    if (now <= Date.parse(new X509Certificate(o.currentCertificate()).validTo)) {
      lastValidAt = now;
      reported = false;
      return;
    }
    if (now <= lastValidAt + exitAfter) return;
    if (o.serverHealthy()) {
      timer.cancel();
      const reason = 'The currently active client certificate has expired and the server is responsive, exiting.';
      o.logger.error(reason, { expiredForMs: now - lastValidAt });
      o.onLost(reason);
    } else if (!reported) {
      reported = true;
      o.logger.error('The currently active client certificate has expired, but the server is not responsive. A restart may be necessary to retrieve new initial credentials.');
    }
  }, o.periodMs ?? EXPIRED_CERTIFICATE_CHECK_MS);
  return { stop: () => timer.cancel() };
}
