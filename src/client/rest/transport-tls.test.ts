// A rotated client certificate: after updateTls the next request comes on a new connection with
// the new certificate, while a stream open on the old connection finishes there.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { test } from 'node:test';
import { createCertificateAuthority, issueClientCertificate, issueServingCertificate } from '../../util/pki/index.js';
import { Http2Transport } from './transport.js';

test('updateTls: new connections present the new client certificate; the old one drains', async () => {
  const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
  const serving = await issueServingCertificate(ca, { commonName: 'server', ipAddresses: ['127.0.0.1'], validityDays: 1 });
  const first = await issueClientCertificate(ca, { commonName: 'first', validityDays: 1 });
  const second = await issueClientCertificate(ca, { commonName: 'second', validityDays: 1 });
  let release: (() => void) | undefined;
  const server = http2.createSecureServer({ cert: serving.certPem, key: serving.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true });
  server.on('stream', (stream) => {
    const cn = (stream.session?.socket as TLSSocket).getPeerCertificate().subject.CN;
    stream.respond({ ':status': 200 });
    stream.write(cn);
    // the first request is held open until the test releases it
    if (release === undefined) release = () => stream.end();
    else stream.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const transport = new Http2Transport({ server: `https://127.0.0.1:${port}`, tls: { ca: ca.certPem, cert: first.certPem, key: first.keyPem } });
  try {
    const body = async (res: { body: NodeJS.ReadableStream }) => {
      let text = '';
      for await (const chunk of res.body) text += String(chunk);
      return text;
    };
    // a long request on the first connection (the server holds it open)
    const long = await transport.request({ method: 'GET', path: '/watch', headers: {} });
    transport.updateTls({ ca: ca.certPem, cert: second.certPem, key: second.keyPem });
    const next = await transport.request({ method: 'GET', path: '/get', headers: {} });
    assert.equal(await body(next), 'second');
    assert.equal(transport.sessionsOpened, 2);
    release!();
    assert.equal(await body(long), 'first', 'the open stream finished on the old connection');
  } finally {
    transport.close();
    server.close();
  }
});
