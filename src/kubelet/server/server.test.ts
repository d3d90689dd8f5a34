// The kubelet API server over a fake runtime: client-certificate checks, exec over v4 and v5
// (stdout, the close-stdin signal, the exit Status on the error channel) and the WebSocket
// port-forward protocol (port-number prefixes, data both ways).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PassThrough, Duplex } from 'node:stream';
import WebSocket from 'ws';
import { waitUntil } from '../../../test/support/wait-until.js';
import type { ContainerRuntime, StreamOptions, StreamSession } from '../../runtime/runtime.js';
import { createCertificateAuthority, issueClientCertificate, issueServingCertificate, type CertificateAuthority, type KeyAndCertificate } from '../../util/pki/index.js';
import type { KubeletHost } from './host.js';
import { startKubeletServer, type KubeletServer } from './server.js';

/** exec runs "cat" (stdin to stdout) and exits 7 once stdin ends; portForward echoes upper-cased. */
function fakeRuntime(): ContainerRuntime {
  const runtime = {
    async exec(_id: string, _cmd: string[], _options: StreamOptions): Promise<StreamSession> {
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      stdin.pipe(stdout);
      const exit = new Promise<number>((resolve) => stdout.on('end', () => resolve(7)));
      return { stdin, stdout, resize: () => {}, exit, close: () => stdin.destroy() };
    },
    async portForward(_sandbox: string, _port: number): Promise<Duplex> {
      const out = new PassThrough();
      return Duplex.from({
        writable: new (class extends PassThrough {
          override _transform(chunk: Buffer, _e: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void) {
            out.write(Buffer.from(chunk.toString().toUpperCase()));
            cb();
          }
        })(),
        readable: out,
      });
    },
  };
  return runtime as unknown as ContainerRuntime;
}

describe('kubelet API server', () => {
  let ca: CertificateAuthority;
  let client: KeyAndCertificate;
  let server: KubeletServer;
  before(async () => {
    ca = await createCertificateAuthority({ commonName: 'test-ca', validityDays: 1 });
    const serving = await issueServingCertificate(ca, { commonName: 'system:node:n1', ipAddresses: ['127.0.0.1'], validityDays: 1 });
    client = await issueClientCertificate(ca, { commonName: 'kube-apiserver-kubelet-client', validityDays: 1 });
    const host: KubeletHost = {
      nodeName: 'n1',
      runtime: fakeRuntime(),
      listPods: async () => [],
      findContainer: async (ns, pod, c) => (ns === 'ns' && pod === 'p' && c === 'c' ? { containerId: 'cid', podSandboxId: 'sid', logPath: '/nonexistent' } : undefined),
      findPodSandbox: async (ns, pod) => (ns === 'ns' && pod === 'p' ? 'sid' : undefined),
      summaryStats: async () => ({ node: { nodeName: 'n1', startTime: '2026-01-01T00:00:00Z' }, pods: [] }),
    };
    server = await startKubeletServer({ host, tls: { ...serving, clientCaPem: ca.certPem }, address: '127.0.0.1', port: 0 });
  });
  after(() => server.close());

  const open = (path: string, protocols: string[], cert: KeyAndCertificate = client) =>
    new WebSocket(`wss://127.0.0.1:${server.port}${path}`, protocols, { ca: ca.certPem, cert: cert.certPem, key: cert.keyPem });

  function messages(ws: WebSocket): Promise<Buffer[]> {
    const got: Buffer[] = [];
    ws.on('message', (m: Buffer) => got.push(Buffer.from(m)));
    return new Promise((resolve, reject) => {
      ws.on('close', () => resolve(got));
      ws.on('error', reject);
    });
  }

  for (const protocol of ['v5.channel.k8s.io', 'v4.channel.k8s.io']) {
    it(`exec over ${protocol}: output, then the exit Status`, async () => {
      const ws = open('/exec/ns/p/c?command=cat&stdin=true&stdout=true', [protocol, 'channel.k8s.io']);
      const all = messages(ws);
      await new Promise((resolve) => ws.once('open', resolve));
      assert.equal(ws.protocol, protocol);
      ws.send(Buffer.from([0, ...Buffer.from('hello')]));
      // v5 ends stdin with the close signal; v4 has none: the client hangs up once it has the output.
      if (protocol === 'v5.channel.k8s.io') ws.send(Buffer.from([255, 0]));
      else ws.on('message', (m: Buffer) => m[0] === 1 && m.subarray(1).toString() === 'hello' && ws.close());
      const got = await all;
      assert.deepEqual([...got[0]!], [1], 'an empty stdout message first');
      const stdout = Buffer.concat(got.filter((m) => m[0] === 1).map((m) => m.subarray(1))).toString();
      assert.equal(stdout, 'hello');
      if (protocol === 'v5.channel.k8s.io') {
        const status = JSON.parse(got.find((m) => m[0] === 3)!.subarray(1).toString()) as { reason: string; details: { causes: { message: string }[] } };
        assert.equal(status.reason, 'NonZeroExitCode');
        assert.equal(status.details.causes[0]!.message, '7');
      }
    });
  }

  it('port-forward over WebSocket: each channel starts with the port; data goes both ways', async () => {
    const ws = open('/portForward/ns/p?ports=8080', ['v4.channel.k8s.io']);
    const got: Buffer[] = [];
    ws.on('message', (m: Buffer) => got.push(Buffer.from(m)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(Buffer.from([0, ...Buffer.from('ping')]));
    await waitUntil('the echoed data', () => got.some((m) => m[0] === 0 && m.subarray(1).toString() === 'PING'));
    assert.deepEqual([...got[0]!], [0, 0x90, 0x1f]);
    assert.deepEqual([...got[1]!], [1, 0x90, 0x1f]);
    assert.ok(got.some((m) => m[0] === 0 && m.subarray(1).toString() === 'PING'), 'the echoed data');
    ws.close();
  });

  it('refuses unknown containers before upgrading, and certificates from another CA', async () => {
    const unknown = open('/exec/ns/p/nope?command=x&stdout=true', ['v5.channel.k8s.io']);
    const status = await new Promise<number>((resolve) => unknown.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 404);
    const other = await createCertificateAuthority({ commonName: 'other', validityDays: 1 });
    const stranger = open('/exec/ns/p/c?command=x&stdout=true', ['v5.channel.k8s.io'], await issueClientCertificate(other, { commonName: 'kube-apiserver-kubelet-client', validityDays: 1 }));
    const refused = await new Promise<number>((resolve) => stranger.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(refused, 401);
  });
});
