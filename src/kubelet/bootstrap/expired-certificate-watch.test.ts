import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { createCertificateAuthority, issueClientCertificate } from '../../util/pki/index.js';
import { watchExpiredCertificate } from './expired-certificate-watch.js';

const S = 1000;
const T0 = Date.UTC(2026, 0, 1);

async function setup(healthy: { value: boolean }) {
  const clock = new FakeClock(T0);
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 10 });
  /** Expires 60 s from now (X.509 times are whole seconds). */
  const cert = await issueClientCertificate(ca, { commonName: 'system:node:n', validityDays: 1, window: { notBefore: T0, notAfter: T0 + 60 * S } });
  const lost: string[] = [];
  const watch = watchExpiredCertificate({
    currentCertificate: () => cert.certPem,
    serverHealthy: () => healthy.value,
    clock,
    logger: silentLogger,
    onLost: (reason) => lost.push(reason),
  });
  return { clock, lost, watch };
}

describe('the expired client certificate watch', () => {
  it('gives up once the certificate has been expired for five minutes and the server answers', async () => {
    const { clock, lost } = await setup({ value: true });
    await clock.step(60 * S);
    assert.deepEqual(lost, [], 'valid up to its notAfter');
    await clock.step(10 * S + 5 * 60 * S - 10 * S);
    assert.deepEqual(lost, [], 'not before five minutes of expiry');
    await clock.step(10 * S);
    assert.deepEqual(lost, ['The currently active client certificate has expired and the server is responsive, exiting.']);
    await clock.step(60 * S);
    assert.equal(lost.length, 1, 'once');
    assert.equal(clock.pending(), 0, 'and the watch stops');
  });

  it('keeps waiting while the server does not answer, and gives up once it does', async () => {
    const healthy = { value: false };
    const { clock, lost, watch } = await setup(healthy);
    await clock.step(60 * S + 30 * 60 * S);
    assert.deepEqual(lost, []);
    healthy.value = true;
    await clock.step(10 * S);
    assert.equal(lost.length, 1);
    watch.stop();
  });

  it('stops on stop()', async () => {
    const { clock, lost, watch } = await setup({ value: true });
    watch.stop();
    await clock.step(60 * 60 * S);
    assert.deepEqual(lost, []);
    assert.equal(clock.pending(), 0);
  });
});
