import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { test } from 'node:test';
import { createCertificateAuthority } from './authority.js';
import { createCertificateRequest, parseCertificateRequest, signCertificateRequest } from './csr.js';

test('a CSR round-trips: create, parse, sign for client auth', async () => {
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
  const { csrPem, keyPem } = await createCertificateRequest({ commonName: 'system:node:n1', organizations: ['system:nodes'] });
  assert.match(csrPem, /BEGIN CERTIFICATE REQUEST/);
  assert.deepEqual(parseCertificateRequest(csrPem), {
    commonName: 'system:node:n1',
    organizations: ['system:nodes'],
    dnsNames: [],
    ipAddresses: [],
  });
  const certPem = await signCertificateRequest(ca, csrPem, { usages: ['digital signature', 'client auth'], validityDays: 1 });
  const cert = new X509Certificate(certPem);
  assert.equal(cert.subject, 'O=system:nodes\nCN=system:node:n1');
  assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)));
  assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
});

test('SANs requested in a CSR (kubelet serving) end up in the certificate', async () => {
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
  const { csrPem } = await createCertificateRequest({ commonName: 'system:node:n1', dnsNames: ['n1'], ipAddresses: ['10.0.0.5'] });
  const parsed = parseCertificateRequest(csrPem);
  assert.deepEqual([parsed.dnsNames, parsed.ipAddresses], [['n1'], ['10.0.0.5']]);
  const cert = new X509Certificate(await signCertificateRequest(ca, csrPem, { usages: ['server auth'], validityDays: 1 }));
  assert.equal(cert.subjectAltName, 'DNS:n1, IP Address:10.0.0.5');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
});

test('malformed or tampered CSRs and unknown usages are refused', async () => {
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
  assert.throws(() => parseCertificateRequest('not a csr'), /invalid certificate request/);
  const { csrPem } = await createCertificateRequest({ commonName: 'a' });
  const der = Buffer.from(csrPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  der[der.length - 5]! ^= 0xff; // corrupt the signature
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  await assert.rejects(signCertificateRequest(ca, tampered, { usages: ['client auth'], validityDays: 1 }), /signature|invalid/);
  await assert.rejects(
    signCertificateRequest(ca, csrPem, { usages: ['bogus' as 'client auth'], validityDays: 1 }),
    /unsupported key usage/,
  );
});
