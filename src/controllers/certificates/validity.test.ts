import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certificateWindow, signingTtlMs } from './validity.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const YEAR = 365 * 24 * HOUR;

test('expirationSeconds is honoured within [10 min, --cluster-signing-duration]', () => {
  assert.equal(signingTtlMs(undefined, YEAR), YEAR);
  assert.equal(signingTtlMs(3600, YEAR), HOUR);
  assert.equal(signingTtlMs(60, YEAR), 10 * MIN, 'raised to the 10 minute floor');
  assert.equal(signingTtlMs(2 * 365 * 24 * 3600, YEAR), YEAR, 'capped at the signing duration');
  assert.equal(signingTtlMs(undefined, 20_000), 20_000, 'a short signing duration applies as it is');
  assert.equal(signingTtlMs(3600, 20_000), 20_000);
});

test('backdated 5 minutes; short certificates keep their full TTL after now; never past the CA', () => {
  const now = Date.UTC(2026, 0, 1);
  assert.deepEqual(certificateWindow(now, HOUR, now + YEAR), { notBefore: now - 5 * MIN, notAfter: now + HOUR });
  assert.deepEqual(certificateWindow(now, YEAR, now + 10 * YEAR), { notBefore: now - 5 * MIN, notAfter: now + YEAR - 5 * MIN });
  assert.deepEqual(certificateWindow(now, YEAR, now + HOUR), { notBefore: now - 5 * MIN, notAfter: now + HOUR });
  assert.deepEqual(certificateWindow(now, 20_000, now + YEAR), { notBefore: now - 10_000, notAfter: now + 20_000 }, 'backdate at most half the TTL');
  assert.throws(() => certificateWindow(now, HOUR, now - 1), /signer has expired/);
});
