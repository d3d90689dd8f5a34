import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import * as tls from 'node:tls';
import { createCertificateAuthority } from './authority.js';
import { issueClientCertificate, issueServingCertificate } from './issue.js';

async function handshake(serverCert: { certPem: string; keyPem: string }, connect: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  const server = tls.createServer({ cert: serverCert.certPem, key: serverCert.keyPem }, (s) => s.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const socket = tls.connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ...connect });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    socket.destroy();
    return socket;
  } finally {
    server.close();
  }
}

test('a serving certificate is accepted by Node TLS for its IP and DNS names, and only those', async () => {
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
  const serving = await issueServingCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kite.example'],
    ipAddresses: ['127.0.0.1', '::1'],
    validityDays: 1,
  });
  const byIp = await handshake(serving, { ca: ca.certPem });
  assert.equal(byIp.authorized, true);
  await handshake(serving, { ca: ca.certPem, servername: 'localhost' });
  await handshake(serving, { ca: ca.certPem, servername: 'kite.example' });
  await assert.rejects(handshake(serving, { ca: ca.certPem, servername: 'other.example' }), /altnames/);
  const other = await createCertificateAuthority({ commonName: 'other', validityDays: 1 });
  await assert.rejects(handshake(serving, { ca: other.certPem }), /self-signed|unable to verify|local issuer/i);
  const cert = new X509Certificate(serving.certPem);
  assert.equal(cert.ca, false);
  assert.match(cert.subjectAltName ?? '', /DNS:kite\.example/);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
});

test('a client certificate carries CN = user and O = groups, for clientAuth', async () => {
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
  const client = await issueClientCertificate(ca, { commonName: 'jane', organizations: ['dev', 'ops'], validityDays: 1 });
  const cert = new X509Certificate(client.certPem);
  assert.equal(cert.subject, 'O=dev\nO=ops\nCN=jane');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
  assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
});
