// The API server driven by the real kubectl (v1.32, validation on), against a started
// `kite server` and its admin.kubeconfig.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
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
    server = startKite(['server', '--disable-agent', '--data-dir', dir, '--port', '0', '--disable-scheduler', '--disable-controller-manager', '--disable-admission-plugins', 'ServiceAccount']);
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

  // create -f sends JSON; `kubectl create configmap` and the other typed-client commands send
  // protobuf (test/apiserver-protobuf.test.ts).
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
  const podYaml = (name: string, labels = 'app: web') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: { ${labels} }
spec:
  containers:
  - name: c
    image: nginx:1.25
`;
  const apply = (yaml: string, ...args: string[]) => kubectlOk(kubeconfig, ['apply', ...args, '-f', '-'], { input: yaml });

  it('prints pods in every output format kubectl users use', async () => {
    await apply(podYaml('p1'));
    assert.match(await k('get', 'pods'), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\np1\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    assert.match(await k('get', 'pods', '-o', 'wide'), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
    assert.match(await k('get', 'pod', 'p1', '-o', 'yaml'), /^ {2}name: p1$/m);
    assert.equal((JSON.parse(await k('get', 'pod', 'p1', '-o', 'json')) as { kind: string }).kind, 'Pod');
    assert.equal(await k('get', 'pod', 'p1', '-o', 'jsonpath={.spec.containers[0].image}'), 'nginx:1.25');
    assert.match(await k('get', 'pods', '-o', 'custom-columns=N:.metadata.name,I:.spec.containers[0].image'), /^p1\s+nginx:1.25$/m);
    assert.equal((await k('get', 'pods', '-o', 'name')).trim(), 'pod/p1');
    assert.match(await k('get', 'pods', '-A'), /^default\s+p1\s+0\/1\s+Pending/m);
    assert.match(await k('get', 'pods', '--field-selector', 'status.phase=Pending', '-o', 'name'), /pod\/p1/);
    assert.equal((await k('get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name')).trim(), '');
    assert.match(await k('get', 'all'), /pod\/p1/);
    const describe = await k('describe', 'pod', 'p1');
    assert.match(describe, /^Name:\s+p1$/m);
    assert.match(describe, /^Status:\s+Pending$/m);
    assert.match(await k('explain', 'pods.spec.restartPolicy'), /FIELD: restartPolicy <string>/);
  });

  it('labels, annotates and patches with each patch type', async () => {
    await apply(podYaml('p2'));
    await k('label', 'pod', 'p2', 'tier=web');
    await k('annotate', 'pod', 'p2', 'note=hello');
    await k('patch', 'pod', 'p2', '--type', 'merge', '-p', '{"metadata":{"labels":{"merge":"yes"}}}');
    await k('patch', 'pod', 'p2', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/json","value":"yes"}]');
    await k('patch', 'pod', 'p2', '-p', '{"spec":{"containers":[{"name":"c","image":"nginx:1.26"}]}}');
    const pod = JSON.parse(await k('get', 'pod', 'p2', '-o', 'json')) as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: { containers: { name: string; image: string }[] };
    };
    assert.deepEqual(pod.metadata.labels, { app: 'web', tier: 'web', merge: 'yes', json: 'yes' });
    assert.equal(pod.metadata.annotations.note, 'hello');
    assert.deepEqual(pod.spec.containers.map((c) => `${c.name}=${c.image}`), ['c=nginx:1.26'], 'strategic merge by container name');
    const badJson = await kubectl(kubeconfig, ['patch', 'pod', 'p2', '--type', 'json', '-p', '[{"op":"test","path":"/metadata/name","value":"other"}]']);
    assert.notEqual(badJson.code, 0);
  });

  it('edits with KUBE_EDITOR and refuses a replace with a stale resourceVersion', async () => {
    await apply(podYaml('p3'));
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, "#!/bin/sh\nsed -i 's/app: web/app: edited/' \"$1\"\n");
    chmodSync(editor, 0o755);
    await kubectlOk(kubeconfig, ['edit', 'pod', 'p3'], { env: { KUBE_EDITOR: editor } });
    assert.equal(await k('get', 'pod', 'p3', '-o', 'jsonpath={.metadata.labels.app}'), 'edited');
    const current = await k('get', 'pod', 'p3', '-o', 'yaml');
    const stale = current.replace(/resourceVersion: "\d+"/, 'resourceVersion: "1"');
    const r = await kubectl(kubeconfig, ['replace', '-f', '-'], { input: stale });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Operation cannot be fulfilled on pods "p3": the object has been modified/);
    await kubectlOk(kubeconfig, ['replace', '-f', '-'], { input: current.replace('image: nginx:1.25', 'image: nginx:1.27') });
    assert.equal(await k('get', 'pod', 'p3', '-o', 'jsonpath={.spec.containers[0].image}'), 'nginx:1.27');
  });

  it('scales a deployment through the scale subresource', async () => {
    assert.match(await k('scale', 'deployment', 'web', '--replicas=5'), /deployment.apps\/web scaled/);
    assert.equal(await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}'), '5');
    const scale = JSON.parse(await k('get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale')) as {
      kind: string;
      spec: { replicas: number };
      status: { selector: string };
    };
    assert.deepEqual([scale.kind, scale.spec.replicas, scale.status.selector], ['Scale', 5, 'app=web']);
  });

  it('watches with --output-watch-events and deletes by label, --all and with wait', async () => {
    await apply(podYaml('w0', 'app: watched'));
    const watcher = spawn('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-l', 'app=watched', '-w', '--output-watch-events'], {
      env: { ...process.env, KUBECACHEDIR: `${kubeconfig}.cache` },
    });
    let out = '';
    watcher.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    watcher.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      await waitUntil(() => /ADDED\s+w0/.test(out), 'the watch to list w0');
      await apply(podYaml('w1', 'app: watched'));
      await waitUntil(() => /ADDED\s+w1/.test(out), 'ADDED w1');
      await k('delete', 'pods', '-l', 'app=watched');
      await waitUntil(() => /DELETED\s+w1/.test(out) && /DELETED\s+w0/.test(out), 'DELETED w0 and w1');
    } finally {
      watcher.kill();
    }
    await apply(podYaml('w2', 'app: gone'));
    const waiting = kubectl(kubeconfig, ['wait', '--for=delete', 'pod/w2', '--timeout=20s']);
    await k('delete', 'pod', 'w2', '--wait=false');
    assert.equal((await waiting).code, 0);
    await k('delete', 'pods', '--all');
    assert.match((await kubectl(kubeconfig, ['get', 'pods'])).stderr, /No resources found/);
  });

  it('applies a kustomization', async () => {
    const kdir = join(dir, 'kustomize');
    mkdirSync(kdir);
    writeFileSync(join(kdir, 'kustomization.yaml'), 'resources: [cm.yaml]\nnamePrefix: dev-\n');
    writeFileSync(join(kdir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {a: b}\n');
    assert.match(await k('apply', '-k', kdir), /configmap\/dev-conf created/);
  });

  it('answers access reviews from its authorizer: auth can-i, can-i --list, SubjectAccessReview, and refuses malformed ones', async () => {
    assert.equal((await k('auth', 'can-i', 'create', 'pods')).trim(), 'yes');
    assert.equal((await k('auth', 'can-i', 'get', '/healthz')).trim(), 'yes');
    assert.match(await k('auth', 'can-i', '--list'), /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    // `create --raw`: kubectl's validation of a create-only kind looks for its PATCH operation,
    // finds none, and falls back to /openapi/v2 in protobuf, which Kite does not serve.
    const review = (kind: string, spec: object, namespace?: string) =>
      JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind, metadata: namespace ? { namespace } : {}, spec });
    const post = (path: string, body: string) => kubectl(kubeconfig, ['create', '--raw', path, '-f', '-'], { input: body });
    const answered = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', review('SubjectAccessReview', { user: 'jane', groups: ['devs'], resourceAttributes: { verb: 'delete', resource: 'secrets', namespace: 'default' } }));
    assert.equal(answered.code, 0, answered.stderr);
    const sar = JSON.parse(answered.stdout) as { kind?: string; status?: { allowed?: boolean }; spec?: { user?: string } };
    assert.deepEqual([sar.kind, sar.status?.allowed, sar.spec?.user], ['SubjectAccessReview', true, 'jane']);
    const nobody = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', review('SubjectAccessReview', { resourceAttributes: { verb: 'get', resource: 'pods' } }));
    assert.notEqual(nobody.code, 0);
    assert.match(nobody.stderr, /spec\.user: Invalid value: "": at least one of user or group must be specified/);
    const elsewhere = await post(
      '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews',
      review('LocalSubjectAccessReview', { user: 'jane', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'kube-system' } }, 'default'),
    );
    assert.notEqual(elsewhere.code, 0);
    assert.match(elsewhere.stderr, /spec\.resourceAttributes\.namespace: Invalid value: "kube-system": must match metadata\.namespace/);
  });

  it('marks a deleted namespace Terminating and refuses new content in it; system namespaces stay', async () => {
    await apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: doomed}\n');
    await k('delete', 'namespace', 'doomed', '--wait=false');
    assert.match(await k('get', 'namespace', 'doomed'), /doomed\s+Terminating/);
    const r = await kubectl(kubeconfig, ['apply', '-n', 'doomed', '-f', '-'], { input: podYaml('late') });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unable to create new content in namespace doomed because it is being terminated/);
    const sys = await kubectl(kubeconfig, ['delete', 'namespace', 'default']);
    assert.match(sys.stderr, /namespaces "default" is forbidden: this namespace may not be deleted/);
  });
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
