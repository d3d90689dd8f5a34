import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { createCertificateAuthority } from '../../util/pki/index.js';
import { healthService, type HealthCheckRequest, type HealthCheckResponse, type ServingStatus } from './grpc-health.js';
import { runProbe } from './run-probe.js';
import { HostExecRuntime, target } from './test-support.js';
import { probeFailureMessage } from './types.js';

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

describe('runProbe httpGet', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ url: string; headers: Record<string, unknown> }> = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      if (req.url === '/ok') return void res.end('fine');
      if (req.url === '/fail') return void (res.statusCode = 500, res.end('bad'));
      if (req.url === '/redirect') return void (res.writeHead(302, { location: '/ok' }), res.end());
      if (req.url === '/away') return void (res.writeHead(302, { location: 'http://example.invalid/' }), res.end('moved'));
      if (req.url === '/loop') return void (res.writeHead(302, { location: '/loop' }), res.end());
      if (req.url === '/slow') return; // never answers
      res.statusCode = 404;
      res.end();
    });
    port = await listen(server);
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('succeeds on 2xx with the body as output, sending headers and kube-probe User-Agent', async () => {
    const out = await runProbe({ httpGet: { path: '/ok', port, httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }, target());
    assert.deepEqual(out, { result: 'Success', output: 'fine' });
    const last = seen.at(-1)!;
    assert.equal(last.headers['x-probe'], 'yes');
    assert.equal(last.headers['user-agent'], 'kube-probe/1.32');
  });

  it('resolves a named container port and defaults the host to the pod IP', async () => {
    const out = await runProbe({ httpGet: { path: '/ok', port: 'web' } }, target({ ports: [{ name: 'web', containerPort: port }] }));
    assert.equal(out.result, 'Success');
    const bad = await runProbe({ httpGet: { path: '/ok', port: 'nope' } }, target());
    assert.deepEqual(bad, { result: 'Unknown', output: 'port nope not found' });
  });

  it('fails on 500 with the kubelet\'s words', async () => {
    const out = await runProbe({ httpGet: { path: '/fail', port } }, target());
    assert.deepEqual(out, { result: 'Failure', output: 'HTTP probe failed with statuscode: 500' });
    assert.equal(probeFailureMessage('liveness', out), 'Liveness probe failed: HTTP probe failed with statuscode: 500');
  });

  it('follows local redirects, not remote ones, and stops after 10', async () => {
    assert.deepEqual(await runProbe({ httpGet: { path: '/redirect', port } }, target()), { result: 'Success', output: 'fine' });
    assert.deepEqual(await runProbe({ httpGet: { path: '/away', port } }, target()), { result: 'Success', output: 'Probe terminated redirects, Response body: moved' });
    const loop = await runProbe({ httpGet: { path: '/loop', port } }, target());
    assert.equal(loop.result, 'Failure');
    assert.match(loop.output, /stopped after 10 redirects$/);
  });

  it('fails on a refused connection and on a timeout', async () => {
    const dead = await closedPort();
    const refused = await runProbe({ httpGet: { path: '/ok', port: dead } }, target());
    assert.deepEqual(refused, { result: 'Failure', output: `Get "http://127.0.0.1:${dead}/ok": dial tcp 127.0.0.1:${dead}: connect: connection refused` });
    const slow = await runProbe({ httpGet: { path: '/slow', port }, timeoutSeconds: 1 }, target());
    assert.deepEqual(slow, {
      result: 'Failure',
      output: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
  });
});

describe('runProbe httpGet over HTTPS', () => {
  it('does not verify the server certificate', async () => {
    const self = await createCertificateAuthority({ commonName: 'not-trusted', validityDays: 1 });
    const server = createHttpsServer({ cert: self.certPem, key: self.keyPem }, (req, res) => res.end(`secure ${req.url}`));
    const port = await listen(server as unknown as Server);
    try {
      assert.deepEqual(await runProbe({ httpGet: { scheme: 'HTTPS', path: '/healthz', port } }, target()), { result: 'Success', output: 'secure /healthz' });
    } finally {
      server.close();
    }
  });
});

describe('runProbe tcpSocket', () => {
  it('succeeds when something listens and fails when nothing does', async () => {
    const server = createTcpServer((s) => s.end());
    const port = await listen(server);
    try {
      assert.deepEqual(await runProbe({ tcpSocket: { port } }, target()), { result: 'Success', output: '' });
    } finally {
      server.close();
    }
    const dead = await closedPort();
    assert.deepEqual(await runProbe({ tcpSocket: { port: dead } }, target()), {
      result: 'Failure',
      output: `dial tcp 127.0.0.1:${dead}: connect: connection refused`,
    });
  });
});

describe('runProbe exec', () => {
  it('maps exit codes and timeouts, expanding static env', async () => {
    const runtime = new HostExecRuntime();
    const t = target({ env: [{ name: 'WORD', value: 'hello' }] }, '127.0.0.1', runtime);
    assert.deepEqual(await runProbe({ exec: { command: ['sh', '-c', 'echo $(WORD)'] } }, t), { result: 'Success', output: 'hello\n' });
    assert.deepEqual(await runProbe({ exec: { command: ['sh', '-c', 'echo out; echo err >&2; exit 3'] } }, t), { result: 'Failure', output: 'out\nerr\n' });
    assert.deepEqual(await runProbe({ exec: { command: ['sleep', '5'] }, timeoutSeconds: 1 }, t), { result: 'Failure', output: 'command "sleep 5" timed out' });
    assert.equal(runtime.calls[0].id, 'cid-1');
    assert.equal(runtime.calls[0].timeoutMs, 1000);
  });
});

describe('runProbe grpc', () => {
  let server: grpc.Server;
  let port: number;
  const statuses = new Map<string, ServingStatus>([['', 'SERVING'], ['db', 'NOT_SERVING']]);
  before(async () => {
    server = new grpc.Server();
    server.addService(healthService().service, {
      Check: (call: grpc.ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, cb: grpc.sendUnaryData<HealthCheckResponse>) => {
        const s = statuses.get(call.request.service ?? '');
        if (!s) return cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
        cb(null, { status: s });
      },
    });
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
  });
  after(() => server.forceShutdown());

  it('is Success for SERVING and Failure otherwise', async () => {
    assert.deepEqual(await runProbe({ grpc: { port } }, target()), { result: 'Success', output: 'service healthy' });
    assert.deepEqual(await runProbe({ grpc: { port, service: 'db' } }, target()), { result: 'Failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
  });

  it('fails on a server without the health service', async () => {
    const bare = new grpc.Server();
    const barePort = await new Promise<number>((resolve, reject) =>
      bare.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    try {
      const out = await runProbe({ grpc: { port: barePort } }, target());
      assert.equal(out.result, 'Failure');
      assert.match(out.output, /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /);
    } finally {
      bare.forceShutdown();
    }
  });

  it('fails when nothing serves gRPC there', async () => {
    const dead = await closedPort();
    const out = await runProbe({ grpc: { port: dead } }, target());
    assert.equal(out.result, 'Failure');
    assert.match(out.output, new RegExp(`^error: failed to connect service at "127.0.0.1:${dead}"`));
  });
});
