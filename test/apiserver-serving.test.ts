// The API server's own surface, over HTTPS: authentication, health, version, metrics, discovery
// (legacy and aggregated), watch streaming, Status errors, and a clean SIGTERM with a watch open.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiClient, type ApiClient } from './support/api-client.js';
import { startKite, type KiteProcess } from './support/kite-process.js';

interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: { field?: string; reason?: string }[] };
}

describe('kite API server over HTTPS', () => {
  let dir: string;
  let server: KiteProcess;
  let api: ApiClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-serving-'));
    server = startKite(['server', '--disable-agent', '--data-dir', dir, '--port', '0', '--disable-scheduler', '--disable-controller-manager', '--disable-admission-plugins', 'ServiceAccount']);
    const ready = await server.waitFor(/ready/, 60_000);
    const url = /url="([^"]+)"/.exec(ready)?.[1];
    assert.ok(url, `no url in: ${ready}`);
    api = apiClient(url, dir);
  });
  after(async () => {
    api?.close();
    if (server && server.child.exitCode === null) {
      server.kill('SIGTERM');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 with a Status to a request without credentials', async () => {
    const r = await api.request('GET', '/api/v1/namespaces', { anonymous: true });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  it('serves health, version and metrics', async () => {
    assert.equal((await api.request('GET', '/healthz')).body, 'ok');
    const verbose = await api.request('GET', '/readyz?verbose');
    assert.equal(verbose.status, 200);
    assert.match(verbose.body, /^\[\+\]ping ok$/m);
    assert.match(verbose.body, /^\[\+\]etcd ok$/m);
    assert.match(verbose.body, /readyz check passed/);
    assert.equal((await api.request('GET', '/livez')).status, 200);
    assert.equal(api && (await api.request('GET', '/version')).json<{ major: string }>().major, '1');
    await api.request('GET', '/api/v1/namespaces/default/configmaps');
    const metrics = await api.request('GET', '/metrics');
    assert.match(metrics.body, /apiserver_request_total\{[^}]*verb="LIST"[^}]*resource="configmaps"[^}]*code="200"\} \d+/);
    assert.match(metrics.body, /apiserver_request_duration_seconds_bucket\{/);
  });

  it('serves aggregated discovery when asked, legacy discovery otherwise', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const aggregated = await api.request('GET', '/apis', { headers: { accept } });
    assert.match(String(aggregated.headers['content-type']), /as=APIGroupDiscoveryList/);
    const doc = aggregated.json<{ kind: string; items: { metadata: { name: string }; versions: { resources: { resource: string }[] }[] }[] }>();
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    const apps = doc.items.find((g) => g.metadata.name === 'apps');
    assert.ok(apps?.versions[0]?.resources.some((r) => r.resource === 'deployments'));
    const legacy = await api.request('GET', '/api/v1');
    assert.equal(legacy.json<{ kind: string }>().kind, 'APIResourceList');
    const missing = await api.request('GET', '/apis/nope.example.com/v1');
    assert.equal(missing.status, 404);
    assert.equal(missing.json<Status>().kind, 'Status');
  });

  it('answers bad input with the right Status', async () => {
    const json = { 'content-type': 'application/json' };
    const malformed = await api.request('POST', '/api/v1/namespaces/default/configmaps', { body: '{"kind":', headers: json });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json<Status>().reason, 'BadRequest');
    const invalid = await api.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }),
      headers: json,
    });
    assert.equal(invalid.status, 422);
    const status = invalid.json<Status>();
    assert.equal(status.reason, 'Invalid');
    assert.equal(status.details?.causes?.[0]?.field, 'metadata.name');
    const wrongType = await api.request('POST', '/api/v1/namespaces/default/configmaps', { body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(wrongType.status, 415);
    const tooBig = await api.request('POST', '/api/v1/namespaces/default/configmaps', { body: Buffer.alloc(3 * 1024 * 1024 + 1, 32), headers: json });
    assert.equal(tooBig.status, 413);
    const selector = await api.request('GET', '/api/v1/pods?labelSelector=a%20in%20(');
    assert.equal(selector.status, 400);
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' } });
    assert.equal((await api.request('POST', '/api/v1/namespaces/default/configmaps', { body, headers: json })).status, 201);
    const exists = await api.request('POST', '/api/v1/namespaces/default/configmaps', { body, headers: json });
    assert.equal(exists.status, 409);
    assert.equal(exists.json<Status>().reason, 'AlreadyExists');
    const stale = await api.request('PUT', '/api/v1/namespaces/default/configmaps/dup', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup', resourceVersion: '1' } }),
      headers: json,
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.json<Status>().reason, 'Conflict');
  });

  it('binds a pod to a node once, and evicts it only as its disruption budget allows', async () => {
    const json = { 'content-type': 'application/json' };
    const post = (path: string, body: unknown) => api.request('POST', path, { body: JSON.stringify(body), headers: json });
    const pods = '/api/v1/namespaces/default/pods';
    assert.equal((await post(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b1', labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } })).status, 201);
    const bind = (node: string) => post(`${pods}/b1/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b1' }, target: { kind: 'Node', name: node } });
    assert.equal((await bind('node-1')).status, 201);
    const bound = (await api.request('GET', `${pods}/b1`)).json<{ spec: { nodeName: string }; status: { conditions: { type: string; status: string }[] } }>();
    assert.equal(bound.spec.nodeName, 'node-1');
    assert.deepEqual(bound.status.conditions.find((c) => c.type === 'PodScheduled')?.status, 'True');
    const again = await bind('node-2');
    assert.equal(again.status, 409);
    assert.match(again.json<Status>().message, /pod b1 is already assigned to node "node-1"/);

    // Running, and covered by a budget that allows no disruption: the eviction is refused.
    const running = await api.request('PATCH', `${pods}/b1/status`, {
      body: JSON.stringify({ status: { phase: 'Running' } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(running.status, 200, running.body);
    const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
    assert.equal((await post(pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'b' } } } })).status, 201);
    const evict = () => post(`${pods}/b1/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'b1' }, deleteOptions: { gracePeriodSeconds: 0 } });
    const refused = await evict();
    assert.equal(refused.status, 429);
    assert.match(refused.json<Status>().message, /Cannot evict pod as it would violate the pod's disruption budget/);
    assert.equal((await api.request('GET', `${pods}/b1`)).status, 200);

    const allow = await api.request('PATCH', `${pdbs}/pdb/status`, {
      body: JSON.stringify({ status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(allow.status, 200, allow.body);
    assert.equal((await evict()).status, 201);
    assert.equal((await api.request('GET', `${pods}/b1`)).status, 404);
    const pdb = (await api.request('GET', `${pdbs}/pdb`)).json<{ status: { disruptionsAllowed: number; disruptedPods: Record<string, string> } }>();
    assert.equal(pdb.status.disruptionsAllowed, 0);
    assert.ok(pdb.status.disruptedPods.b1);
  });

  it('streams watch events and ends the watch cleanly on SIGTERM', async () => {
    const list = await api.request('GET', '/api/v1/namespaces/default/configmaps');
    const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const watch = await api.stream(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
    assert.equal(watch.status, 200);
    await api.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' } }),
      headers: { 'content-type': 'application/json' },
    });
    const first = await watch.lines.next();
    const event = JSON.parse(first.value as string) as { type: string; object: { metadata: { name: string } } };
    assert.equal(event.type, 'ADDED');
    assert.equal(event.object.metadata.name, 'watched');
    server.kill('SIGTERM');
    const rest = await watch.lines.next();
    assert.equal(rest.done, true, 'the watch ends when the server shuts down');
    assert.equal(await server.exited, 0);
  });
});
