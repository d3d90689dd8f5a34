import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { renderKubeconfig } from '../../util/pki/kubeconfig.js';
import { inClusterConfig, NotInClusterError } from './in-cluster.js';
import { KubeconfigError, defaultKubeconfigPath, loadKubeconfig, parseKubeconfig } from './kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

it('reads the current context of a kubeconfig written by kite', () => {
  const text = renderKubeconfig({
    server: 'https://127.0.0.1:6443',
    caPem: 'CA PEM',
    clientCertPem: 'CERT PEM',
    clientKeyPem: 'KEY PEM',
    user: 'kubernetes-admin',
    namespace: 'team-a',
  });
  const config = parseKubeconfig(text);
  assert.equal(config.server, 'https://127.0.0.1:6443');
  assert.equal(String(config.tls?.ca), 'CA PEM');
  assert.equal(String(config.tls?.cert), 'CERT PEM');
  assert.equal(String(config.tls?.key), 'KEY PEM');
  assert.equal(config.namespace, 'team-a');
  assert.equal(config.token, undefined);
});

it('picks a named context, reads files relative to the kubeconfig, and takes tokens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-kubeconfig-'));
  try {
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs', 'ca.crt'), 'FILE CA');
    const path = join(dir, 'config');
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster: { server: "https://one:6443", certificate-authority-data: "${b64('DATA CA')}" }
- name: c2
  cluster: { server: "https://two:6443/prefix", certificate-authority: certs/ca.crt, insecure-skip-tls-verify: true, tls-server-name: kube }
contexts:
- name: one
  context: { cluster: c1, user: u1 }
- name: two
  context: { cluster: c2, user: u2, namespace: ops }
users:
- name: u1
  user: { token: abc }
- name: u2
  user: { tokenFile: token.txt }
`,
    );
    const one = loadKubeconfig(path);
    assert.equal(one.server, 'https://one:6443');
    assert.equal(one.token, 'abc');
    assert.equal(String(one.tls?.ca), 'DATA CA');
    assert.equal(one.namespace, 'default');
    const two = loadKubeconfig(path, { context: 'two' });
    assert.equal(two.server, 'https://two:6443/prefix');
    assert.equal(String(two.tls?.ca), 'FILE CA');
    assert.equal(two.tls?.insecure, true);
    assert.equal(two.tls?.serverName, 'kube');
    assert.equal(two.tokenFile, join(dir, 'token.txt'));
    assert.equal(two.namespace, 'ops');
    assert.throws(() => loadKubeconfig(path, { context: 'three' }), KubeconfigError);
    assert.throws(() => loadKubeconfig(join(dir, 'missing')), /cannot read kubeconfig/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('refuses kubeconfigs without a usable context', () => {
  assert.throws(() => parseKubeconfig('kind: Config\n'), /no current-context/);
  assert.throws(() => parseKubeconfig('current-context: x\ncontexts: []\n'), /context "x" not found/);
  assert.throws(() => parseKubeconfig('current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\nclusters: [{name: c, cluster: {}}]\n'), /has no server/);
  assert.throws(() => parseKubeconfig(': : :\n  - ['), KubeconfigError);
});

it('finds the default kubeconfig path from KUBECONFIG', () => {
  assert.equal(defaultKubeconfigPath({ KUBECONFIG: ':/a/b:/c' }), '/a/b');
  assert.match(defaultKubeconfigPath({}), /\.kube\/config$/);
});

it('builds the in-cluster config from the environment and the service-account directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-sa-'));
  try {
    assert.throws(() => inClusterConfig({ env: {}, serviceAccountDir: dir }), NotInClusterError);
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
    assert.throws(() => inClusterConfig({ env, serviceAccountDir: dir }), /no token/);
    writeFileSync(join(dir, 'token'), 'tok\n');
    writeFileSync(join(dir, 'ca.crt'), 'SA CA');
    writeFileSync(join(dir, 'namespace'), 'kube-system\n');
    const config = inClusterConfig({ env, serviceAccountDir: dir });
    assert.equal(config.server, 'https://[fd00::1]:443');
    assert.equal(config.tokenFile, join(dir, 'token'));
    assert.equal(String(config.tls?.ca), 'SA CA');
    assert.equal(config.namespace, 'kube-system');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
