// `kite agent` rotates its certificates while it runs, against a real `kite server` whose CSR
// signer issues short certificates (--cluster-signing-duration 20s): at 70–90 % of each
// certificate's lifetime the agent asks for a new client and a new serving certificate (CSRs made
// as the node, approved and signed again), the kubelet API serves the new serial, and the node
// keeps renewing its Lease after the first client certificate has expired.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { kiteBin, startKite, type KiteProcess } from './support/kite-process.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectlOk } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

const run = promisify(execFile);
const NODE = 'rotating-1';
const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
const SERVING_SIGNER = 'kubernetes.io/kubelet-serving';

const issuedCert = (csr: CertificateSigningRequest) => (csr.status?.certificate ? new X509Certificate(Buffer.from(csr.status.certificate, 'base64')) : undefined);

/** The serial of the certificate the kubelet API presents. */
function servedSerial(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.destroy();
      resolve(serial);
    });
    socket.once('error', reject);
  });
}

describe('kite agent rotates its certificates', { timeout: 180_000 }, () => {
  let dir: string;
  let server: KiteServer;
  let agent: KiteProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-cert-rotation-'));
    server = await startKiteServer(join(dir, 'server'), { controllers: true, extraArgs: ['--cluster-signing-duration', '20s'] });
  });
  after(async () => {
    if (agent && agent.child.exitCode === null) agent.kill('SIGKILL');
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('renews the client and serving certificates and keeps heartbeating with the new ones', async () => {
    const { stdout } = await run(process.execPath, [kiteBin, 'token', 'create', '--kubeconfig', server.kubeconfig, '--print-join-command'], { timeout: 30_000 });
    const m = /--server (\S+) --token (\S+) --ca-cert-hash (\S+)/.exec(stdout);
    assert.ok(m, stdout);
    agent = startKite([
      'agent', '--server', m[1]!, '--token', m[2]!, '--ca-cert-hash', m[3]!, '--data-dir', join(dir, 'agent'),
      '--node-name', NODE, '--node-ip', '127.0.0.1', '--kubelet-port', '0', '--node-lease-duration-seconds', '4',
    ]);
    const ready = await agent.waitFor(/\bready\b.*node=/, 90_000);
    const kubeletPort = Number(/kubeletPort=(\d+)/.exec(ready)?.[1]);
    assert.ok(kubeletPort > 0, ready);

    const csrs = async () => (JSON.parse(await kubectlOk(server.kubeconfig, ['get', 'csr', '-o', 'json'])) as { items: CertificateSigningRequest[] }).items;
    const bySigner = (items: CertificateSigningRequest[], signer: string) =>
      items.filter((c) => c.spec.signerName === signer && issuedCert(c)).sort((a, b) => Date.parse(issuedCert(a)!.validFrom) - Date.parse(issuedCert(b)!.validFrom));
    let items: CertificateSigningRequest[] = [];
    await waitUntil(
      'a second client and a second serving certificate',
      async () => {
        items = await csrs();
        return bySigner(items, CLIENT_SIGNER).length >= 2 && bySigner(items, SERVING_SIGNER).length >= 2;
      },
      { timeoutMs: 60_000, intervalMs: 500, describe: () => `${items.map((c) => `${c.metadata?.name} ${c.spec.signerName} ${c.spec.username}`).join('\n')}\n${agent!.stderr().slice(-3000)}` },
    );
    const clients = bySigner(items, CLIENT_SIGNER);
    const servings = bySigner(items, SERVING_SIGNER);
    const first = issuedCert(clients[0]!)!;
    // 20 s certificates, backdated 10 s: a 30 s lifetime, renewed 21–27 s after notBefore
    assert.equal(Date.parse(first.validTo) - Date.parse(first.validFrom), 30_000);
    const renewal = clients[1]!;
    assert.equal(renewal.spec.username, `system:node:${NODE}`, 'the renewal is made as the node, with its current certificate');
    assert.equal(renewal.status?.conditions?.find((c) => c.type === 'Approved')?.reason, 'AutoApproved');
    assert.notEqual(issuedCert(renewal)!.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'), first.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'), 'a new key');
    const firstServing = issuedCert(servings[0]!)!.serialNumber;
    await waitUntil(
      'the kubelet API to serve a renewed certificate',
      async () => {
        const served = await servedSerial(kubeletPort);
        const renewed = bySigner(await csrs(), SERVING_SIGNER).slice(1).map((c) => issuedCert(c)!.serialNumber);
        return served !== firstServing && renewed.includes(served);
      },
      { timeoutMs: 10_000 },
    );

    // past the first client certificate's expiry the node still renews its Lease (with a newer certificate)
    const wait = Date.parse(first.validTo) + 3_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const renewTime = async () => Date.parse((JSON.parse(await kubectlOk(server.kubeconfig, ['get', 'lease', '-n', 'kube-node-lease', NODE, '-o', 'json'])) as Lease).spec?.renewTime ?? '');
    const since = Date.now();
    await waitUntil('a Lease renewal after the first certificate expired', async () => (await renewTime()) >= since - 1_000, { timeoutMs: 10_000 });
    assert.doesNotMatch(agent.stderr(), /Unauthorized/);

    agent.kill('SIGTERM');
    assert.equal(await agent.exited, 0, agent.stderr().slice(-3000));
  });
});
