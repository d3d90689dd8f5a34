import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { writeKubeconfig } from './kubeconfig.js';

const run = promisify(execFile);

test('kubectl reads the written kubeconfig: embedded data, current context, token variant', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kite-kubeconfig-'));
  try {
    const certFile = join(dir, 'cert.kubeconfig');
    await writeKubeconfig(certFile, {
      server: 'https://127.0.0.1:6443',
      caPem: 'CA PEM',
      clientCertPem: 'CERT PEM',
      clientKeyPem: 'KEY PEM',
      user: 'kubernetes-admin',
      cluster: 'kite',
    });
    assert.equal((await stat(certFile)).mode & 0o777, 0o600);
    const { stdout } = await run('kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', certFile]);
    const config = JSON.parse(stdout);
    assert.equal(config['current-context'], 'kubernetes-admin@kite');
    assert.equal(config.clusters[0].cluster.server, 'https://127.0.0.1:6443');
    assert.equal(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), 'CA PEM');
    assert.equal(Buffer.from(config.users[0].user['client-key-data'], 'base64').toString(), 'KEY PEM');

    const tokenFile = join(dir, 'token.kubeconfig');
    await writeKubeconfig(tokenFile, { server: 'https://[::1]:6443', caPem: 'CA', token: 'abc.def', namespace: 'dev' });
    const token = JSON.parse((await run('kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', tokenFile])).stdout);
    assert.equal(token['current-context'], 'admin@kite');
    assert.equal(token.users[0].user.token, 'abc.def');
    assert.equal(token.contexts[0].context.namespace, 'dev');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
