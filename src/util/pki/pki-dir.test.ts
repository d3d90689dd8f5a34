import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeClock } from '../clock.js';
import { loadOrCreatePki } from './pki-dir.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kite-pki-'));
  try {
    await fn(join(dir, 'pki'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('first start creates CA, serving, admin and kubelet-client certificates; keys are 0600', () =>
  withDir(async (dir) => {
    const pki = await loadOrCreatePki(dir, { hostnames: ['kite.example', '10.1.2.3'] });
    assert.deepEqual(pki.generated, ['ca', 'serving', 'admin', 'kubelet-client']);
    for (const key of [pki.paths.caKey, pki.paths.servingKey, pki.paths.adminKey, pki.paths.kubeletClientKey]) {
      assert.equal((await stat(key)).mode & 0o777, 0o600, key);
    }
    const serving = new X509Certificate(pki.serving.certPem);
    for (const san of ['DNS:localhost', 'DNS:kite.example', 'IP Address:127.0.0.1', 'IP Address:10.1.2.3']) {
      assert.ok(serving.subjectAltName?.includes(san), san);
    }
    assert.equal(new X509Certificate(pki.admin.certPem).subject, 'O=system:masters\nCN=kubernetes-admin');
    assert.equal(new X509Certificate(pki.kubeletClient.certPem).subject, 'CN=kube-apiserver-kubelet-client');
  }));

test('later starts reuse the files; a SAN change reissues only the serving certificate', () =>
  withDir(async (dir) => {
    const first = await loadOrCreatePki(dir, { hostnames: ['a.example'] });
    const again = await loadOrCreatePki(dir, { hostnames: ['a.example'] });
    assert.deepEqual(again.generated, []);
    assert.equal(again.ca.certPem, first.ca.certPem);
    assert.equal(again.serving.certPem, first.serving.certPem);
    assert.equal(again.admin.keyPem, first.admin.keyPem);
    const changed = await loadOrCreatePki(dir, { hostnames: ['a.example'], ips: ['192.0.2.7'] });
    assert.deepEqual(changed.generated, ['serving']);
    assert.equal(changed.ca.certPem, first.ca.certPem);
    assert.match(new X509Certificate(changed.serving.certPem).subjectAltName ?? '', /192\.0\.2\.7/);
  }));

test('missing or near-expiry leaf certificates are reissued; a lone CA half is an error', () =>
  withDir(async (dir) => {
    const clock = new FakeClock(Date.now());
    const first = await loadOrCreatePki(dir, { clock });
    await unlink(first.paths.adminCert);
    assert.deepEqual((await loadOrCreatePki(dir, { clock })).generated, ['admin']);
    await clock.step(340 * 86_400_000);
    assert.deepEqual((await loadOrCreatePki(dir, { clock })).generated, ['serving', 'admin', 'kubelet-client']);
    await unlink(first.paths.caKey);
    await assert.rejects(loadOrCreatePki(dir, { clock }), /only one of ca\.crt and ca\.key/);
  }));
