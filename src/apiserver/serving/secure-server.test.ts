import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse as HttpServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import * as net from 'node:net';
import { before, test } from 'node:test';
import { startSecureServer, type SecureServer } from './secure-server.js';
import { createTestPki, h1Request, h2Request, type TestPki } from './test-support.js';
import type { RequestHandler, ServerResponse } from './types.js';

// Both Node response classes satisfy the handler's response interface.
const _typeCheck: Array<(r: HttpServerResponse<IncomingMessage> | Http2ServerResponse) => ServerResponse> = [(r) => r];
void _typeCheck;

let pki: TestPki;
before(async () => {
  pki = await createTestPki();
});

async function readBody(req: AsyncIterable<Buffer | string>): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk.toString();
  return body;
}

const echo: RequestHandler = async (req, res) => {
  const body = await readBody(req);
  const text = JSON.stringify({ version: req.httpVersion, method: req.method, url: req.url, body });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(text);
};

function serve(handler: RequestHandler): Promise<SecureServer> {
  return startSecureServer({ port: 0, tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.ca.certPem }, handler });
}

test('HTTP/2 and HTTP/1.1 clients both reach the handler over TLS on a picked port', async () => {
  const server = await serve(echo);
  try {
    assert.ok(server.port > 0);
    const base = { port: server.port, caPem: pki.ca.certPem, path: '/api/v1/pods?limit=1', method: 'POST', body: 'hello' };
    const h2 = await h2Request(base);
    assert.equal(h2.status, 200);
    assert.deepEqual(JSON.parse(h2.body), { version: '2.0', method: 'POST', url: '/api/v1/pods?limit=1', body: 'hello' });
    const h1 = await h1Request(base);
    assert.equal(h1.status, 200);
    assert.deepEqual(JSON.parse(h1.body), { version: '1.1', method: 'POST', url: '/api/v1/pods?limit=1', body: 'hello' });
  } finally {
    await server.close();
  }
});

test('a throwing or rejecting handler answers 500 with a Status', async () => {
  const server = await serve((req) => {
    if (req.url === '/sync') throw new Error('boom');
    return Promise.reject(new Error('async boom'));
  });
  try {
    for (const path of ['/sync', '/async']) {
      for (const send of [h1Request, h2Request]) {
        const res = await send({ port: server.port, caPem: pki.ca.certPem, path });
        assert.equal(res.status, 500);
        assert.equal(JSON.parse(res.body).reason, 'InternalError');
      }
    }
  } finally {
    await server.close();
  }
});

test('graceful shutdown finishes in-flight requests, ends long-running ones, then refuses connections', async () => {
  let started = 0;
  let startedAll!: () => void;
  const allStarted = new Promise<void>((resolve) => (startedAll = resolve));
  let server!: SecureServer;
  const handler: RequestHandler = (req, res) => {
    if (++started === 4) startedAll();
    if (req.url === '/slow') {
      setTimeout(() => res.end(`slow done over ${req.httpVersion}`), 150);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"type":"ADDED"}\n');
    const unregister = server.longRunning.register(() => res.end('{"type":"BYE"}\n'));
    res.once('close', unregister);
  };
  server = await serve(handler);
  const opts = { port: server.port, caPem: pki.ca.certPem };
  const pending = [
    h2Request({ ...opts, path: '/slow' }),
    h1Request({ ...opts, path: '/slow' }),
    h2Request({ ...opts, path: '/watch' }),
    h1Request({ ...opts, path: '/watch' }),
  ];
  await allStarted;
  assert.equal(server.longRunning.size, 2);
  const t0 = Date.now();
  await server.shutdown({ timeoutMs: 5000 });
  assert.ok(Date.now() - t0 < 4000, 'shutdown should not wait for the deadline');
  const [slow2, slow1, watch2, watch1] = await Promise.all(pending);
  assert.deepEqual([slow2!.status, slow2!.body], [200, 'slow done over 2.0']);
  assert.deepEqual([slow1!.status, slow1!.body], [200, 'slow done over 1.1']);
  assert.equal(watch2!.body, '{"type":"ADDED"}\n{"type":"BYE"}\n');
  assert.equal(watch1!.body, '{"type":"ADDED"}\n{"type":"BYE"}\n');
  await assert.rejects(
    new Promise((resolve, reject) => net.connect(server.port, '127.0.0.1', () => resolve(undefined)).on('error', reject)),
    /ECONNREFUSED/,
  );
});

test('shutdown destroys connections whose requests outlive the deadline', async () => {
  let arrived!: () => void;
  const arrivedP = new Promise<void>((resolve) => (arrived = resolve));
  const server = await serve(() => arrived()); // never answers
  const hung = h2Request({ port: server.port, caPem: pki.ca.certPem, path: '/hang' }).catch((err: Error) => err);
  await arrivedP;
  await server.shutdown({ timeoutMs: 100 });
  const result = await hung;
  assert.ok(result instanceof Error || result.status !== 200);
});

test('idle keep-alive HTTP/1.1 and HTTP/2 connections do not hold up shutdown', async () => {
  const server = await serve(echo);
  const https = await import('node:https');
  const agent = new https.Agent({ keepAlive: true, ca: pki.ca.certPem });
  await new Promise<void>((resolve, reject) =>
    https.get({ host: '127.0.0.1', port: server.port, path: '/', agent }, (res) => res.resume().on('end', resolve)).on('error', reject),
  );
  const http2 = await import('node:http2');
  const session = http2.connect(`https://127.0.0.1:${server.port}`, { ca: pki.ca.certPem });
  await new Promise<void>((resolve) => session.request({ ':path': '/' }).resume().on('end', resolve).end());
  const t0 = Date.now();
  await server.shutdown({ timeoutMs: 5000 });
  assert.ok(Date.now() - t0 < 1000);
  agent.destroy();
  session.destroy();
});
