// Requests made without the X.509 library parse, verify and sign with it: long names (multi-byte
// DER lengths), several organizations, IPv4 and IPv6 SANs.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { createCertificateAuthority } from './authority.js';
import { createCertificateRequest, ipBytes } from './certificate-request.js';
import { parseCertificateRequest, signCertificateRequest } from './csr.js';
import { oid, tlv } from './der.js';

test('DER lengths and object identifiers are encoded as X.690 says', () => {
  assert.deepEqual([...tlv(0x04, Buffer.alloc(5)).subarray(0, 2)], [0x04, 5]);
  assert.deepEqual([...tlv(0x04, Buffer.alloc(200)).subarray(0, 3)], [0x04, 0x81, 200]);
  assert.deepEqual([...tlv(0x04, Buffer.alloc(300)).subarray(0, 4)], [0x04, 0x82, 0x01, 0x2c]);
  assert.equal(oid('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
});

test('IP addresses become 4 or 16 bytes', () => {
  assert.equal(ipBytes('10.0.0.5').toString('hex'), '0a000005');
  assert.equal(ipBytes('fd00::1').toString('hex'), 'fd000000000000000000000000000001');
  assert.equal(ipBytes('::ffff:10.1.2.3').toString('hex'), '00000000000000000000ffff0a010203');
  assert.throws(() => ipBytes('nope'), /not an IP address/);
});

test('a request with many names verifies and is signed with every SAN', async () => {
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
  const dnsNames = Array.from({ length: 12 }, (_, i) => `node-${i}.a-rather-long-domain.example`);
  const { csrPem } = await createCertificateRequest({ commonName: 'system:node:n1', organizations: ['system:nodes', 'extra'], dnsNames, ipAddresses: ['10.0.0.5', 'fd00::1'] });
  assert.deepEqual(parseCertificateRequest(csrPem), { commonName: 'system:node:n1', organizations: ['system:nodes', 'extra'], dnsNames, ipAddresses: ['10.0.0.5', 'fd00::1'] });
  const cert = new X509Certificate(await signCertificateRequest(ca, csrPem, { usages: ['server auth'], validityDays: 1 }));
  assert.match(cert.subjectAltName ?? '', /IP Address:FD00:0:0:0:0:0:0:1/i);
  assert.match(cert.subjectAltName ?? '', /DNS:node-11\.a-rather-long-domain\.example/);
});
