// The kubelet's certificate manager (client-go's util/certificate Manager) for one certificate:
// it rotates at a jittered 70–90 % of the certificate's lifetime (counted from notBefore), by
// requesting a new certificate for a new key and installing it; a failed rotation is retried with
// backoff (2 s doubling, at most 32 s, 10 % jitter), as the kubelet keeps trying until it succeeds.
// It keeps client-go's judgement of the API server's health from the requests' answers
// (server-health.ts), which decides whether a node with an expired certificate gives up.

import { X509Certificate } from 'node:crypto';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { KeyAndCertificate } from '../../util/pki/index.js';
import { serverHealthAfter } from './server-health.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface CertificateManagerOptions {
  /** What the certificate is for, in logs ("client", "serving"). */
  name: string;
  current: KeyAndCertificate;
  clock: Clock;
  logger: Logger;
  /** Uniform in [0, 1): the jitter of deadlines and backoffs. */
  random?: () => number;
  /** A new certificate for a new key (a CSR, authenticated as the current certificate allows). */
  request: (current: KeyAndCertificate) => Promise<KeyAndCertificate>;
  /** Stores and applies the new pair (files, client connections, served certificate). */
  install: (pair: KeyAndCertificate) => Promise<void>;
  backoff?: { initialMs: number; maxMs: number };
}

/** When a certificate valid over [notBefore, notAfter] is due: notBefore + (0.7 + 0.2·r) of its lifetime. */
export function rotationDeadline(certPem: string, r: number): number {
  const cert = new X509Certificate(certPem);
  const notBefore = Date.parse(cert.validFrom);
  const notAfter = Date.parse(cert.validTo);
  return Math.floor(notBefore + (notAfter - notBefore) * (0.7 + 0.2 * r));
}

export class CertificateManager {
  private pair: KeyAndCertificate;
  private timer: Timer | undefined;
  private stopped = true;
  private failures = 0;
  private nextAt: number | undefined;
  private rotating: Promise<void> | undefined;
  private readonly random: () => number;
  /** Certificates installed since start (for diagnostics and tests). */
  rotations = 0;
  /** Whether the API server answered the last certificate request as a working server does. */
  serverHealthy = false;

  constructor(private readonly o: CertificateManagerOptions) {
    this.pair = o.current;
    this.random = o.random ?? Math.random;
  }

  get current(): KeyAndCertificate {
    return this.pair;
  }

  /** When the next rotation attempt is due (ms since the epoch), while started. */
  get nextRotation(): number | undefined {
    return this.nextAt;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleDeadline();
  }

  /** Stops the schedule and waits for a rotation in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.nextAt = undefined;
    await this.rotating;
  }

  private scheduleDeadline(): void {
    const deadline = rotationDeadline(this.pair.certPem, this.random());
    this.o.logger.info('certificate rotation scheduled', { certificate: this.o.name, expires: new Date(Date.parse(new X509Certificate(this.pair.certPem).validTo)).toISOString(), deadline: new Date(deadline).toISOString() });
    this.schedule(Math.max(0, deadline - this.o.clock.now()));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.nextAt = this.o.clock.now() + delayMs;
    this.arm();
  }

  /** A timer for nextAt, in steps a timer can hold (setTimeout fires at once past 2^31-1 ms, ~24.8 days). */
  private arm(): void {
    this.timer?.cancel();
    const at = this.nextAt;
    if (this.stopped || at === undefined) return;
    const remaining = at - this.o.clock.now();
    if (remaining > MAX_TIMER_MS) {
      this.timer = this.o.clock.setTimeout(() => this.arm(), MAX_TIMER_MS);
      return;
    }
    this.timer = this.o.clock.setTimeout(() => {
      this.rotating = this.rotate().finally(() => (this.rotating = undefined));
    }, Math.max(0, remaining));
  }

  private async requestJudgingServer(): Promise<KeyAndCertificate> {
    try {
      const next = await this.o.request(this.pair);
      this.serverHealthy = true;
      return next;
    } catch (err) {
      this.serverHealthy = serverHealthAfter(err, this.serverHealthy);
      throw err;
    }
  }

  private async rotate(): Promise<void> {
    if (this.stopped) return;
    try {
      const next = await this.requestJudgingServer();
      if (this.stopped) return;
      await this.o.install(next);
      this.pair = next;
      this.failures = 0;
      this.rotations++;
      this.o.logger.info('certificate rotated', { certificate: this.o.name, serial: new X509Certificate(next.certPem).serialNumber });
      this.scheduleDeadline();
    } catch (err) {
      const { initialMs, maxMs } = this.o.backoff ?? { initialMs: 2_000, maxMs: 32_000 };
      const delay = Math.min(initialMs * 2 ** this.failures, maxMs) * (1 + 0.1 * this.random());
      this.failures++;
      this.o.logger.warn('certificate rotation failed; retrying', { certificate: this.o.name, retryInMs: Math.round(delay), error: err as Error });
      this.schedule(delay);
    }
  }
}
