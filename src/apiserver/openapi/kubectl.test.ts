// The v3 documents against the real kubectl 1.32: `kubectl explain` prints their descriptions,
// `kubectl create` finds fieldValidation in them (and so asks the server for Strict validation
// instead of validating client-side), and `kubectl apply` computes its strategic merge patch from
// them. A minimal static discovery stands in for the rest of the API server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenApi } from './openapi.js';
import { serveOpenApi } from './http.js';
import { testResources } from './test-support.js';

const kubectlMissing = (): boolean =>
  !(process.env.PATH ?? '').split(':').some((p) => p !== '' && existsSync(join(p, 'kubectl')));

const api = createOpenApi(testResources);
const requests: { method: string; url: string; contentType?: string; body: string }[] = [];
let server: Server;
let base = '';
let dir = '';

const lastApplied = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'a', image: 'busybox' }] },
};
const livePod = {
  ...lastApplied,
  metadata: {
    ...lastApplied.metadata,
    uid: 'u1',
    resourceVersion: '5',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(lastApplied) },
  },
};

function discovery(path: string): unknown {
  const all = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
  switch (path) {
    case '/version':
      return { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' };
    case '/api':
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    case '/apis':
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
      };
    case '/api/v1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: all, shortNames: ['po'] },
          { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: all, shortNames: ['cm'] },
        ],
      };
    case '/apis/apps/v1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'apps/v1',
        resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: all, shortNames: ['deploy'] }],
      };
    default:
      return undefined;
  }
}

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const contentType = req.headers['content-type'];
  requests.push({ method: req.method ?? '', url: req.url ?? '', body, ...(contentType ? { contentType } : {}) });
  const send = (status: number, value: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const openapi = serveOpenApi(api, {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.search,
    accept: req.headers.accept,
    ifNoneMatch: req.headers['if-none-match'],
    now: new Date(0),
  });
  if (openapi) {
    res.writeHead(openapi.status, openapi.headers);
    res.end(openapi.body);
    return;
  }
  const doc = discovery(url.pathname);
  if (doc) return send(200, doc);
  if (req.method === 'POST' && url.pathname === '/api/v1/namespaces/default/configmaps') {
    const obj = JSON.parse(body) as { metadata: Record<string, unknown> };
    return send(201, { ...obj, metadata: { ...obj.metadata, uid: 'u2', resourceVersion: '1' } });
  }
  if (req.method === 'GET' && url.pathname === '/api/v1/namespaces/default/pods/web') return send(200, livePod);
  if (req.method === 'PATCH' && url.pathname === '/api/v1/namespaces/default/pods/web') return send(200, livePod);
  send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
}

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--server', base, '--cache-dir', join(dir, 'cache'), ...args],
      { env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kite-openapi-kubectl-'));
  writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n');
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

// kubectl is part of every machine here; without it these tests fail, naming what is missing.
test('kubectl is on the PATH', () => assert.equal(kubectlMissing(), false, 'kubectl (v1.32) is not on the PATH'));

test('kubectl explain prints field descriptions from /openapi/v3', async () => {
  const pods = await kubectl('explain', 'pods.spec.containers');
  assert.equal(pods.code, 0, pods.stderr);
  assert.match(pods.stdout, /KIND:\s+Pod/);
  assert.match(pods.stdout, /FIELD: containers <\[\]Container>/);
  assert.match(pods.stdout, /List of containers belonging to the pod/);
  assert.match(pods.stdout, /imagePullPolicy\t<string>/);
  assert.ok(requests.some((r) => r.url.startsWith('/openapi/v3/api/v1?hash=')));

  const deploy = await kubectl('explain', 'deployments.spec.strategy.rollingUpdate.maxSurge');
  assert.equal(deploy.code, 0, deploy.stderr);
  assert.match(deploy.stdout, /GROUP:\s+apps/);
  assert.match(deploy.stdout, /maxSurge <IntOrString>/);
  assert.match(deploy.stdout, /The maximum number of pods that can be scheduled above the desired number/);

  const recursive = await kubectl('explain', 'pods.metadata', '--recursive');
  assert.equal(recursive.code, 0, recursive.stderr);
  assert.match(recursive.stdout, /ownerReferences\t<\[\]OwnerReference>/);
});

test('kubectl create asks for server-side Strict field validation', async () => {
  const file = join(dir, 'cm.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  a: b\n');
  const result = await kubectl('create', '-f', file);
  assert.equal(result.code, 0, result.stderr);
  const post = requests.find((r) => r.method === 'POST' && r.url.startsWith('/api/v1/namespaces/default/configmaps'));
  assert.ok(post, 'kubectl posted the ConfigMap');
  assert.equal(new URL(post.url, base).searchParams.get('fieldValidation'), 'Strict');
});

test('kubectl apply computes a strategic merge patch from the v3 schemas', async () => {
  const file = join(dir, 'pod.yaml');
  writeFileSync(
    file,
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n  - name: a\n    image: busybox\n  - name: b\n    image: nginx\n',
  );
  const seen = requests.length;
  const result = await kubectl('apply', '-f', file);
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /error calculating patch/);
  assert.ok(requests.slice(seen).some((r) => r.url.startsWith('/openapi/v3/api/v1?hash=')), 'apply read the v1 document');
  const patch = requests.find((r) => r.method === 'PATCH');
  assert.ok(patch, 'kubectl patched the Pod');
  assert.equal(patch.contentType, 'application/strategic-merge-patch+json');
  assert.equal(new URL(patch.url, base).searchParams.get('fieldValidation'), 'Strict');
  const body = JSON.parse(patch.body) as { spec: Record<string, unknown> };
  assert.deepEqual(body.spec['$setElementOrder/containers'], [{ name: 'a' }, { name: 'b' }]);
  assert.deepEqual(body.spec.containers, [{ image: 'nginx', name: 'b' }]);
});
