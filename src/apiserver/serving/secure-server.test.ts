import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse as HttpServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { once } from 'node:events';
import * as net from 'node:net';
import * as tls from 'node:tls';
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

interface RawAnswer {
  status: number;
  body: string;
}

/**
 * Writes `data` on one HTTP/1.1 TLS connection and parses what comes back (Content-Length framing;
 * 1xx answers have no body) until `finals` final responses arrived or the server closed.
 */
async function rawHttp1(port: number, data: string, finals: number): Promise<RawAnswer[]> {
  const socket = tls.connect({ port, host: '127.0.0.1', ca: pki.ca.certPem, ALPNProtocols: ['http/1.1'] });
  await once(socket, 'secureConnect');
  socket.write(data);
  let buffer = Buffer.alloc(0);
  const answers: RawAnswer[] = [];
  const parse = (): boolean => {
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const head = buffer.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const length = status >= 200 ? Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0) : 0;
      if (buffer.length < end + 4 + length) return false;
      answers.push({ status, body: buffer.subarray(end + 4, end + 4 + length).toString('utf8') });
      buffer = buffer.subarray(end + 4 + length);
      if (answers.filter((a) => a.status >= 200).length >= finals) return true;
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        if (parse()) resolve();
      });
      socket.on('end', resolve);
      socket.on('error', reject);
    });
  } finally {
    socket.destroy();
  }
  return answers;
}

const NOT_FOUND = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
const PATCH_EXPECTING_CONTINUE = 'PATCH /x HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}';

/** Answers PATCH /x with a 404 Status after reading its body, and anything else with 200 "first". */
function patchNotFound(first: (res: ServerResponse) => void): RequestHandler {
  return async (req, res) => {
    if (req.method !== 'PATCH') return first(res);
    assert.equal(await readBody(req), '{}');
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(NOT_FOUND) });
    res.end(Buffer.from(NOT_FOUND));
  };
}

test('HTTP/1.1 Expect: 100-continue gets its 100 Continue before the final response', async () => {
  const server = await serve(patchNotFound((res) => res.end('first')));
  try {
    const answers = await rawHttp1(server.port, PATCH_EXPECTING_CONTINUE, 1);
    assert.deepEqual(answers, [{ status: 100, body: '' }, { status: 404, body: NOT_FOUND }]);
  } finally {
    await server.close();
  }
});

// The keep-alive race behind a rare fuzz failure (an HTTP/1.1 PATCH with Expect: 100-continue
// answered "404" with an empty body): the next request on a connection is parsed while the previous
// response still holds the socket. Node then buffered the 100 and put the final response's head in
// front of it, so the client read "HTTP/1.1 100 Continue" as the 404's body. Pipelining the two
// requests and holding the first answer back reproduces it deterministically.
test('a 100 Continue never follows the final response of a request queued behind the previous response', async () => {
  let patchAnswered!: () => void;
  const answered = new Promise<void>((resolve) => (patchAnswered = resolve));
  const handler = patchNotFound((res) => void answered.then(() => res.end('first')));
  const server = await serve(async (req, res) => {
    await handler(req, res);
    if (req.method === 'PATCH') patchAnswered();
  });
  try {
    const answers = await rawHttp1(server.port, `GET /first HTTP/1.1\r\nhost: x\r\n\r\n${PATCH_EXPECTING_CONTINUE}`, 2);
    // the 100 is optional once the answer is ready; what matters is that nothing follows a final head
    assert.deepEqual(answers.filter((a) => a.status !== 100), [{ status: 200, body: 'first' }, { status: 404, body: NOT_FOUND }]);
    assert.equal(answers.at(-1)?.status, 404, JSON.stringify(answers));
  } finally {
    await server.close();
  }
});

test('a request queued behind the previous response gets its 100 Continue once it has the socket', async () => {
  let firstFinished!: Promise<unknown>;
  const handler = patchNotFound((res) => {
    firstFinished = once(res as unknown as NodeJS.EventEmitter, 'finish');
    res.end('first');
  });
  const server = await serve(async (req, res) => {
    // the PATCH answers only after the first response has handed the socket over
    if (req.method === 'PATCH') await firstFinished;
    await handler(req, res);
  });
  try {
    const answers = await rawHttp1(server.port, `GET /first HTTP/1.1\r\nhost: x\r\n\r\n${PATCH_EXPECTING_CONTINUE}`, 2);
    assert.deepEqual(answers, [{ status: 200, body: 'first' }, { status: 100, body: '' }, { status: 404, body: NOT_FOUND }]);
  } finally {
    await server.close();
  }
});

test('HTTP/2 requests with Expect: 100-continue still reach the handler', async () => {
  const server = await serve(echo);
  try {
    const res = await h2Request({ port: server.port, caPem: pki.ca.certPem, path: '/x', method: 'PATCH', headers: { expect: '100-continue' }, body: 'hi' });
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).body, 'hi');
  } finally {
    await server.close();
  }
});
