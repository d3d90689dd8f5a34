// The fuzz's raw client tells a hang (an exchange that stops moving) from a slow exchange that
// keeps moving, over HTTP/2 and HTTP/1.1.

import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { createTestPki } from '../src/apiserver/serving/test-support.js';
import { RawClient } from './support/raw-client.js';

describe('RawClient timeouts', () => {
  let server: http2.Http2SecureServer;
  let client: RawClient;

  before(async () => {
    const pki = await createTestPki();
    const admin = await pki.client('admin');
    server = http2.createSecureServer({ cert: pki.serving.certPem, key: pki.serving.keyPem, allowHTTP1: true });
    server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
      if (req.url === '/never') return void req.resume(); // reads the body, never answers
      if (req.url === '/trickle') {
        res.writeHead(200);
        const timer = setInterval(() => res.write('.'), 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      // /slow-reader: pauses 40 ms after every chunk of the body (over HTTP/2, 16 KiB frames: 1 MiB takes over 2.5 s), then answers
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        req.pause();
        setTimeout(() => req.resume(), 40);
      });
      req.on('end', () => res.end(String(size)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    client = new RawClient(`https://127.0.0.1:${port}`, { ca: Buffer.from(pki.ca.certPem), cert: Buffer.from(admin.certPem), key: Buffer.from(admin.keyPem) });
  });

  after(async () => {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  for (const transport of ['h2', 'h1'] as const) {
    it(`${transport}: an exchange that stops moving times out after timeoutMs`, async () => {
      const t0 = Date.now();
      const r = await client.send({ transport, method: 'POST', path: '/never', headers: {}, body: Buffer.from('x'), timeoutMs: 300 });
      assert.equal(r.timedOut, true);
      assert.ok(Date.now() - t0 < 5_000);
    });

    it(`${transport}: an answer trickling forever times out at maxMs`, async () => {
      const t0 = Date.now();
      const r = await client.send({ transport, method: 'GET', path: '/trickle', headers: {}, timeoutMs: 5_000, maxMs: 600 });
      assert.equal(r.timedOut, true);
      assert.equal(r.status, 200);
      assert.ok(Date.now() - t0 >= 550);
    });
  }

  // Over HTTP/2 the body goes through the connection's flow control, slice by slice as the server
  // reads it: the fuzz's 16 workers share one connection, so an upload can take long and still
  // move. (Over HTTP/1.1 the kernel's socket buffer takes a body of this size at once.)
  it('h2: a slow upload that keeps moving outlasts timeoutMs', async () => {
    const body = Buffer.alloc(1024 * 1024, 'y');
    const t0 = Date.now();
    const r = await client.send({ transport: 'h2', method: 'POST', path: '/slow-reader', headers: {}, body, timeoutMs: 2_000 });
    assert.equal(r.timedOut, false, r.error);
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), String(body.length));
    assert.ok(Date.now() - t0 > 2_000, `took ${Date.now() - t0} ms: not slower than the idle bound, so proves nothing`);
  });
});
