import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { failureStatus, StatusError } from '../../api/status.js';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { createCertificateAuthority, issueClientCertificate, type KeyAndCertificate } from '../../util/pki/index.js';
import { CertificateManager, rotationDeadline } from './certificate-manager.js';

const S = 1000;
const T0 = Date.UTC(2026, 0, 1);

async function setup() {
  const clock = new FakeClock(T0);
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 10 });
  /** A certificate valid for 100 s from now. */
  const issue = () => issueClientCertificate(ca, { commonName: 'system:node:n', validityDays: 1, window: { notBefore: clock.now(), notAfter: clock.now() + 100 * S } });
  return { clock, issue, first: await issue() };
}

/** Lets the rotation's key generation and signing (real async crypto) finish. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  assert.ok(check(), 'condition not reached');
}

test('the deadline is a jittered 70–90 % of the lifetime, from notBefore', async () => {
  const { first } = await setup();
  assert.equal(rotationDeadline(first.certPem, 0), T0 + 70 * S);
  assert.equal(rotationDeadline(first.certPem, 0.5), T0 + 80 * S);
  assert.equal(rotationDeadline(first.certPem, 0.75), T0 + 85 * S);
});

test('rotates at the deadline with a new certificate and schedules the next from it', async () => {
  const { clock, issue, first } = await setup();
  const installed: KeyAndCertificate[] = [];
  const requested: string[] = [];
  const manager = new CertificateManager({
    name: 'client',
    current: first,
    clock,
    logger: silentLogger,
    random: () => 0.5,
    request: async (current) => {
      requested.push(new X509Certificate(current.certPem).serialNumber);
      return issue();
    },
    install: async (pair) => void installed.push(pair),
  });
  manager.start();
  assert.equal(manager.nextRotation, T0 + 80 * S);
  await clock.step(80 * S - 1);
  assert.equal(installed.length, 0);
  await clock.step(1);
  await until(() => installed.length === 1);
  assert.deepEqual(requested, [new X509Certificate(first.certPem).serialNumber], 'asked for as the current certificate');
  assert.equal(manager.current, installed[0]);
  assert.notEqual(new X509Certificate(installed[0]!.certPem).serialNumber, new X509Certificate(first.certPem).serialNumber);
  assert.equal(manager.nextRotation, T0 + 160 * S, 'the next deadline is 80 % into the new certificate');
  await manager.stop();
  assert.equal(clock.pending(), 0);
});

test('a failed rotation is retried with backoff until it succeeds; the old certificate stays meanwhile', async () => {
  const { clock, issue, first } = await setup();
  let attempts = 0;
  const installed: KeyAndCertificate[] = [];
  const manager = new CertificateManager({
    name: 'serving',
    current: first,
    clock,
    logger: silentLogger,
    random: () => 0,
    request: async () => {
      attempts++;
      if (attempts <= 3) throw new Error('API server unavailable');
      return issue();
    },
    install: async (pair) => void installed.push(pair),
  });
  manager.start();
  await clock.step(70 * S);
  await until(() => manager.nextRotation === T0 + 72 * S);
  assert.equal(attempts, 1);
  assert.equal(manager.nextRotation, T0 + 72 * S, 'first retry after 2 s');
  await clock.step(2 * S);
  await until(() => attempts === 2 && manager.nextRotation === T0 + 76 * S);
  assert.equal(manager.nextRotation, T0 + 76 * S, 'then 4 s');
  assert.equal(manager.current, first);
  await clock.step(4 * S);
  await until(() => attempts === 3 && manager.nextRotation === T0 + 84 * S);
  assert.equal(manager.nextRotation, T0 + 84 * S, 'then 8 s');
  await clock.step(8 * S);
  await until(() => installed.length === 1);
  assert.equal(attempts, 4);
  assert.equal(installed.length, 1);
  assert.equal(manager.current, installed[0]);
  await manager.stop();
});

test('a deadline months away waits for it (timers hold at most ~24.8 days)', async () => {
  const clock = new FakeClock(T0);
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 10 });
  const year = 365 * 24 * 3600 * S;
  const cert = await issueClientCertificate(ca, { commonName: 'n', validityDays: 1, window: { notBefore: T0, notAfter: T0 + year } });
  let requests = 0;
  const manager = new CertificateManager({
    name: 'client',
    current: cert,
    clock,
    logger: silentLogger,
    random: () => 0,
    request: async () => {
      requests++;
      throw new Error('not now');
    },
    install: async () => {},
  });
  manager.start();
  await clock.step(30 * 24 * 3600 * S);
  assert.equal(requests, 0);
  await clock.step(0.7 * year - 30 * 24 * 3600 * S - 1);
  assert.equal(requests, 0);
  await clock.step(1);
  assert.equal(requests, 1);
  await manager.stop();
});

test("judges the API server's health from the answers to its requests, as client-go", async () => {
  const { clock, issue, first } = await setup();
  const answers: Array<() => Promise<KeyAndCertificate>> = [
    () => Promise.reject(new StatusError(failureStatus(401, 'Unauthorized', 'expired certificate'))),
    () => Promise.reject(new Error('connect ECONNREFUSED')),
    () => issue(),
  ];
  const manager = new CertificateManager({ name: 'client', current: first, clock, logger: silentLogger, random: () => 0, request: () => answers.shift()!(), install: async () => {}, backoff: { initialMs: 1000, maxMs: 1000 } });
  assert.equal(manager.serverHealthy, false, 'nothing heard yet');
  manager.start();
  await clock.step(70 * S);
  await until(() => answers.length === 2);
  await until(() => manager.serverHealthy);
  await clock.step(1000);
  await until(() => answers.length === 1 && !manager.serverHealthy);
  await clock.step(1000);
  await until(() => manager.rotations === 1 && manager.serverHealthy);
  await manager.stop();
});
