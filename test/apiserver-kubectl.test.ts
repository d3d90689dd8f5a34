// The API server driven by the real kubectl (v1.32, validation on), against a started
// `kite server` and its admin.kubeconfig.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKite, type KiteProcess } from './support/kite-process.js';
import { kubectl, kubectlOk } from './support/kubectl.js';

describe('kubectl against kite server', () => {
  let dir: string;
  let server: KiteProcess;
  let kubeconfig: string;
  const k = (...args: string[]) => kubectlOk(kubeconfig, args);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-kubectl-'));
    server = startKite(['server', '--data-dir', dir, '--port', '0']);
    await server.waitFor(/ready/, 60_000);
    kubeconfig = join(dir, 'admin.kubeconfig');
  });
  after(async () => {
    server?.kill('SIGTERM');
    if (server) assert.equal(await server.exited, 0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers version, api-versions and api-resources', async () => {
    const version = JSON.parse(await k('version', '-o', 'json')) as { serverVersion?: { major: string; minor: string } };
    assert.equal(version.serverVersion?.major, '1');
    const versions = await k('api-versions');
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'coordination.k8s.io/v1']) assert.match(versions, new RegExp(`^${gv}$`, 'm'));
    const resources = await k('api-resources');
    assert.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  });

  it('lists the system namespaces', async () => {
    const out = await k('get', 'namespaces');
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active`, 'm'));
  });

  // `kubectl create configmap` and other typed-client commands send protobuf bodies, which Kite
  // does not decode yet; apply and create -f send JSON.
  it('creates, gets, labels and deletes a configmap', async () => {
    await kubectlOk(kubeconfig, ['create', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n',
    });
    const got = JSON.parse(await k('get', 'configmap', 'settings', '-o', 'json')) as { data: Record<string, string>; metadata: { uid: string } };
    assert.equal(got.data.color, 'blue');
    assert.ok(got.metadata.uid);
    await k('label', 'configmap', 'settings', 'tier=web');
    assert.match(await k('get', 'cm', '-l', 'tier=web', '-o', 'name'), /^configmap\/settings$/m);
    assert.equal((await k('get', 'cm', '-l', 'tier=db', '-o', 'name')).trim(), '');
    await k('delete', 'configmap', 'settings');
    const missing = await kubectl(kubeconfig, ['get', 'configmap', 'settings']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /configmaps "settings" not found/);
  });

  it('applies a multi-document manifest twice, the second time as a patch', async () => {
    const manifest = (image: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  mode: production
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`;
    const first = await kubectlOk(kubeconfig, ['apply', '-f', '-'], { input: manifest('nginx:1.25') });
    assert.match(first, /configmap\/app-config created/);
    assert.match(first, /deployment.apps\/web created/);
    const second = await kubectlOk(kubeconfig, ['apply', '-f', '-'], { input: manifest('nginx:1.26') });
    assert.match(second, /configmap\/app-config unchanged/);
    assert.match(second, /deployment.apps\/web configured/);
    const image = await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    assert.equal(image, 'nginx:1.26');
    const generation = await k('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.generation}');
    assert.equal(generation, '2');
  });

  it('refuses an unknown field with a message naming it', async () => {
    const r = await kubectl(kubeconfig, ['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata: {}\nnotAField: 1\n',
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown field "notAField"/);
  });

  it('refuses an invalid name and a missing namespace as Kubernetes does', async () => {
    const bad = await kubectl(kubeconfig, ['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/);
    const ns = await kubectl(kubeconfig, ['create', '-n', 'nowhere', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
    assert.notEqual(ns.code, 0);
    assert.match(ns.stderr, /namespaces "nowhere" not found/);
  });
});
