// Proves TLS, HTTP/2 and client certificates work with the real kubectl: a PKI directory, a
// kubeconfig from writeKubeconfig, and `kubectl version` against a test /version handler.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { loadOrCreatePki, writeKubeconfig } from '../../util/pki/index.js';
import {
  createTokenAuthenticator,
  createUnionAuthenticator,
  createX509Authenticator,
  parseTokenFile,
  withAuthentication,
  type UserInfo,
} from '../authn/index.js';
import { startSecureServer } from './secure-server.js';

const run = promisify(execFile);

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kite',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

test('kubectl version talks to the server over TLS + HTTP/2 with the admin client certificate, and with a token', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kite-kubectl-'));
  const seen: Array<{ version: string; path: string | undefined; user: UserInfo }> = [];
  const pki = await loadOrCreatePki(join(dir, 'pki'));
  const tokens = createTokenAuthenticator(parseTokenFile('kite-test-token,ci-bot,uid-1,ci\n'));
  const handler = withAuthentication(createUnionAuthenticator([createX509Authenticator(), tokens]), (req, res, user) => {
    seen.push({ version: req.httpVersion, path: req.url, user });
    if (req.url?.split('?')[0] === '/version') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(VERSION));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}');
    }
  });
  const server = await startSecureServer({
    port: 0,
    tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.ca.certPem },
    handler,
  });
  try {
    const kubeconfig = join(dir, 'admin.kubeconfig');
    await writeKubeconfig(kubeconfig, {
      server: `https://127.0.0.1:${server.port}`,
      caPem: pki.ca.certPem,
      clientCertPem: pki.admin.certPem,
      clientKeyPem: pki.admin.keyPem,
      user: 'kubernetes-admin',
    });
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'version', '-o', 'json'], {
      env: { ...process.env, HOME: dir, KUBECONFIG: '' },
      timeout: 30_000,
    });
    const out = JSON.parse(stdout);
    assert.equal(out.serverVersion.gitVersion, 'v1.32.0-kite');
    assert.equal(out.serverVersion.minor, '32');
    const call = seen.find((s) => s.path?.startsWith('/version'));
    assert.ok(call, 'kubectl asked for /version');
    assert.equal(call.version, '2.0', 'kubectl used HTTP/2');
    assert.deepEqual(call.user, { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });

    const tokenConfig = join(dir, 'token.kubeconfig');
    await writeKubeconfig(tokenConfig, { server: `https://localhost:${server.port}`, caPem: pki.ca.certPem, token: 'kite-test-token', user: 'ci-bot' });
    seen.length = 0;
    const viaToken = await run('kubectl', ['--kubeconfig', tokenConfig, '--cache-dir', join(dir, 'cache'), 'version', '-o', 'json'], {
      env: { ...process.env, HOME: dir, KUBECONFIG: '' },
      timeout: 30_000,
    });
    assert.equal(JSON.parse(viaToken.stdout).serverVersion.gitVersion, 'v1.32.0-kite');
    assert.deepEqual(seen[0]?.user, { name: 'ci-bot', uid: 'uid-1', groups: ['ci', 'system:authenticated'] });
  } finally {
    await server.shutdown({ timeoutMs: 1000 });
    await rm(dir, { recursive: true, force: true });
  }
});
