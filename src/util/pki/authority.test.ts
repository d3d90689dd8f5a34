import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { test } from 'node:test';
import { FakeClock } from '../clock.js';
import { createCertificateAuthority } from './authority.js';
import { x509 } from './x509-lib.js';

test('a CA is self-signed, CA:true, may sign certificates and CRLs, with an EC P-256 key', async () => {
  const ca = await createCertificateAuthority({ commonName: 'test-ca', validityDays: 10 });
  const cert = new X509Certificate(ca.certPem);
  assert.equal(cert.ca, true);
  assert.equal(cert.subject, 'CN=test-ca');
  assert.equal(cert.issuer, 'CN=test-ca');
  assert.ok(cert.verify(cert.publicKey));
  assert.ok(cert.checkPrivateKey(createPrivateKey(ca.keyPem)));
  assert.equal(createPrivateKey(ca.keyPem).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const parsed = new x509.X509Certificate(ca.certPem);
  const usages = parsed.getExtension(x509.KeyUsagesExtension)!;
  assert.ok(usages.critical);
  assert.ok(usages.usages & x509.KeyUsageFlags.keyCertSign);
  assert.ok(usages.usages & x509.KeyUsageFlags.cRLSign);
  const bc = parsed.getExtension(x509.BasicConstraintsExtension)!;
  assert.ok(bc.critical && bc.ca);
});

test('validity follows the injected clock', async () => {
  const clock = new FakeClock(Date.UTC(2030, 5, 1));
  const ca = await createCertificateAuthority({ commonName: 'c', validityDays: 2, clock });
  const cert = new X509Certificate(ca.certPem);
  assert.ok(Date.parse(cert.validFrom) <= clock.now());
  assert.equal(Date.parse(cert.validTo), clock.now() + 2 * 86_400_000);
});
