// The controller manager's CSR controllers in a real `kite server`, driven by the real kubectl:
// a user's client certificate request waits for `kubectl certificate approve`, is then signed by
// the cluster CA and the certificate authenticates as that user (its own CSR records it); a request its signer refuses
// (a kubelet-serving request without SANs) ends Failed with SignerValidationFailure.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { createCertificateRequest, writeKubeconfig } from '../src/util/pki/index.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

async function csrManifest(name: string, signerName: string, usages: string[], subject: { commonName: string; organizations?: string[] }): Promise<{ yaml: string; keyPem: string }> {
  const { csrPem, keyPem } = await createCertificateRequest(subject);
  const csr: CertificateSigningRequest = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName, usages },
  };
  return { yaml: JSON.stringify(csr), keyPem };
}

describe('CSR approval and signing', { timeout: 120_000 }, () => {
  let dir: string;
  let server: KiteServer;
  const getCsr = async (name: string) => JSON.parse(await kubectlOk(server.kubeconfig, ['get', 'csr', name, '-o', 'json'])) as CertificateSigningRequest;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-csr-'));
    server = await startKiteServer(join(dir, 'server'), { controllers: true });
  });
  after(async () => {
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs a user's client certificate once an administrator approves it", async () => {
    const { yaml, keyPem } = await csrManifest('alice', 'kubernetes.io/kube-apiserver-client', ['digital signature', 'client auth'], { commonName: 'alice', organizations: ['dev'] });
    await kubectlOk(server.kubeconfig, ['create', '-f', '-'], { input: yaml });
    const created = await getCsr('alice');
    assert.equal(created.spec.username, 'kubernetes-admin', 'the requester is recorded');
    assert.ok(created.spec.groups?.includes('system:masters'));
    assert.match(await kubectlOk(server.kubeconfig, ['get', 'csr', 'alice']), /alice\s.*Pending/);

    await kubectlOk(server.kubeconfig, ['certificate', 'approve', 'alice']);
    await waitUntil('the certificate to be issued', async () => Boolean((await getCsr('alice')).status?.certificate), { timeoutMs: 30_000 });
    const certPem = Buffer.from((await getCsr('alice')).status!.certificate!, 'base64').toString('utf8');
    const ca = readFileSync(join(server.dataDir, 'pki', 'ca.crt'), 'utf8');
    const kubeconfig = join(dir, 'alice.kubeconfig');
    await writeKubeconfig(kubeconfig, { server: server.url, caPem: ca, clientCertPem: certPem, clientKeyPem: keyPem, user: 'alice' });
    // the API server authenticates the certificate as alice: a request she makes records her
    const { yaml: second } = await csrManifest('by-alice', 'kubernetes.io/kube-apiserver-client', ['client auth'], { commonName: 'alice' });
    await kubectlOk(kubeconfig, ['create', '-f', '-'], { input: second });
    const byAlice = await getCsr('by-alice');
    assert.equal(byAlice.spec.username, 'alice');
    assert.deepEqual(byAlice.spec.groups, ['dev', 'system:authenticated']);
  });

  it('fails a request its signer refuses', async () => {
    const { yaml } = await csrManifest('no-sans', 'kubernetes.io/kubelet-serving', ['digital signature', 'server auth'], { commonName: 'system:node:n1', organizations: ['system:nodes'] });
    await kubectlOk(server.kubeconfig, ['create', '-f', '-'], { input: yaml });
    // not the node's own request: nothing approves it automatically
    assert.equal((await getCsr('no-sans')).status?.conditions, undefined);
    await kubectlOk(server.kubeconfig, ['certificate', 'approve', 'no-sans']);
    await waitUntil('the request to fail', async () => (await getCsr('no-sans')).status?.conditions?.some((c) => c.type === 'Failed') ?? false, { timeoutMs: 30_000 });
    const failed = (await getCsr('no-sans')).status!.conditions!.find((c) => c.type === 'Failed')!;
    assert.equal(failed.reason, 'SignerValidationFailure');
    assert.match(failed.message ?? '', /subjectAltName/);
    assert.equal((await getCsr('no-sans')).status?.certificate, undefined);
    const table = await kubectl(server.kubeconfig, ['get', 'csr', 'no-sans']);
    assert.match(table.stdout, /Approved,Failed/);
  });
});
