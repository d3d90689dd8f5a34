import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, issueServingCertificate, type CertificateAuthority } from '../../util/pki/index.js';
import { caCertHash, discoverCa, parseCaCertHash } from './ca-discovery.js';

describe('CA discovery with a pinned hash', () => {
  let ca: CertificateAuthority;
  let other: CertificateAuthority;
  const servers: Server[] = [];

  const serve = async (certPem: string, keyPem: string): Promise<string> => {
    const server = createServer({ cert: certPem, key: keyPem });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  before(async () => {
    ca = await createCertificateAuthority({ commonName: 'test-ca', validityDays: 1 });
    other = await createCertificateAuthority({ commonName: 'other-ca', validityDays: 1 });
  });
  after(() => servers.forEach((s) => s.close()));

  it('hashes the public key as kubeadm does (sha256 of the SubjectPublicKeyInfo)', () => {
    const spki = execFileSync('openssl', ['x509', '-pubkey', '-noout'], { input: ca.certPem });
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: spki });
    const hex = execFileSync('openssl', ['dgst', '-sha256', '-hex'], { input: der }).toString().trim().split(' ').pop();
    assert.equal(caCertHash(ca.certPem), `sha256:${hex}`);
    assert.equal(parseCaCertHash(`SHA256:${'A'.repeat(64)}`.replace('SHA256', 'sha256')), `sha256:${'a'.repeat(64)}`);
    assert.throws(() => parseCaCertHash('md5:abc'), /expected sha256/);
  });

  it('takes the CA from the chain the server presents when its hash is pinned', async () => {
    const leaf = await issueServingCertificate(ca, { validityDays: 1, commonName: 'kube-apiserver', ipAddresses: ['127.0.0.1'] });
    const url = await serve(`${leaf.certPem.trimEnd()}\n${ca.certPem}`, leaf.keyPem);
    const found = await discoverCa(url, [caCertHash(other.certPem), caCertHash(ca.certPem)]);
    assert.equal(new X509Certificate(found).fingerprint256, new X509Certificate(ca.certPem).fingerprint256);
    await assert.rejects(discoverCa(url, [caCertHash(other.certPem)]), /matches the pinned hash/);
  });

  it('refuses a pinned CA that did not issue the server certificate', async () => {
    const leaf = await issueServingCertificate(other, { validityDays: 1, commonName: 'impostor', ipAddresses: ['127.0.0.1'] });
    const url = await serve(`${leaf.certPem.trimEnd()}\n${ca.certPem}`, leaf.keyPem);
    await assert.rejects(discoverCa(url, [caCertHash(ca.certPem)]), /matches the pinned hash/);
  });
});
