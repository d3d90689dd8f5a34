// The CRD controller with the real API server and store: CRDs become served resources, custom
// objects are validated, pruned, defaulted and printed, the status subresource works, and deleting
// a CRD deletes its objects first (waiting for their finalizers).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { openBackend } from '../../storage/open.js';
import { ObjectStore } from '../../storage/store.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { builtinResources } from '../registry/builtin.js';
import { ApiServer } from '../server.js';
import { CrdController, CUSTOM_RESOURCE_CLEANUP_FINALIZER } from './controller.js';
import { cronTab, cronTabCRD } from './test-support.js';

const clock: Clock = systemClock({ keepAlive: true });

interface Reply {
  status: number;
  body: Record<string, any>;
}

async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('CRD controller', () => {
  let dir: string;
  let store: ObjectStore;
  let api: ApiServer;
  let controller: CrdController;
  let server: Server;
  let base: string;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  };
  const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const ctPath = '/apis/stable.example.com/v1/namespaces/default/crontabs';

  const startServer = async () => {
    api = new ApiServer({
      store,
      clock,
      logger: silentLogger,
      authenticator: { authenticate: () => ({ name: 'admin', groups: ['system:masters'] }) },
      resources: builtinResources(),
      advertiseAddress: '127.0.0.1:0',
    });
    await api.ensureSystemNamespaces();
    controller = await new CrdController({ catalog: api.catalog, store, clock, storeFor: (d) => api.storeFor(d), retryMs: 50 }).start();
    server = createServer((req, res) => void api.handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const stopServer = async () => {
    controller.stop();
    await new Promise<void>((r) => server.close(() => r()));
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-crd-'));
    store = new ObjectStore(await openBackend({ kind: 'sqlite', path: join(dir, 'state.db') }));
    await startServer();
  });
  after(async () => {
    await stopServer();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const established = (name: string) =>
    waitUntil(`${name} established`, async () => {
      const r = await call('GET', `${crdPath}/${name}`);
      const c = (r.body as CustomResourceDefinition).status?.conditions?.find((x) => x.type === 'Established');
      return c?.status === 'True' ? (r.body as CustomResourceDefinition) : undefined;
    });

  it('serves a created CRD and records its status', async () => {
    assert.equal((await call('POST', crdPath, cronTabCRD())).status, 201);
    const crd = await established('crontabs.stable.example.com');
    assert.deepEqual(crd.metadata?.finalizers, [CUSTOM_RESOURCE_CLEANUP_FINALIZER]);
    assert.equal(crd.status?.acceptedNames?.plural, 'crontabs');
    assert.equal(crd.status?.acceptedNames?.listKind, 'CronTabList');
    assert.deepEqual(crd.status?.storedVersions, ['v1']);
    const names = crd.status?.conditions?.find((c) => c.type === 'NamesAccepted');
    assert.equal(names?.status, 'True');
    assert.equal(names?.reason, 'NoConflicts');
    assert.equal(crd.status?.conditions?.find((c) => c.type === 'Established')?.reason, 'InitialNamesAccepted');
    const discovery = await call('GET', '/apis/stable.example.com/v1');
    const ct = (discovery.body.resources as { name: string; shortNames?: string[] }[]).find((r) => r.name === 'crontabs');
    assert.deepEqual(ct?.shortNames, ['ct']);
    assert.ok((discovery.body.resources as { name: string }[]).some((r) => r.name === 'crontabs/status'));
  });

  it('creates custom objects: pruned, defaulted, validated', async () => {
    const created = await call('POST', ctPath, cronTab('every-five', { cronSpec: '* * * * */5', image: 'busybox', junk: 1, color: 'red' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.spec, { cronSpec: '* * * * */5', image: 'busybox', replicas: 1, color: 'red' });
    assert.equal(created.body.metadata.generation, 1);
    const bad = await call('POST', ctPath, cronTab('bad', { cronSpec: '* * * * */5', replicas: 'string' }));
    assert.equal(bad.status, 422);
    assert.equal(bad.body.reason, 'Invalid');
    assert.equal(
      bad.body.message,
      'CronTab.stable.example.com "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    );
    assert.deepEqual(bad.body.details.causes, [
      { reason: 'FieldValueTypeInvalid', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"', field: 'spec.replicas' },
    ]);
    const missing = await call('POST', ctPath, cronTab('bad', {}));
    assert.equal(missing.status, 422);
    assert.match(missing.body.message, /spec.cronSpec: Required value/);
  });

  it('prints the printer columns and selects by selectable fields', async () => {
    const table = await call('GET', ctPath, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(
      table.body.columnDefinitions.map((c: { name: string }) => c.name),
      ['Name', 'Spec', 'Replicas', 'Ready', 'Age'],
    );
    const row = table.body.rows[0].cells;
    assert.deepEqual(row.slice(0, 4), ['every-five', '* * * * */5', 1, null]);
    assert.match(row[4], /^\d+s$/);
    const red = await call('GET', `${ctPath}?fieldSelector=spec.color%3Dred`);
    assert.equal(red.body.items.length, 1);
    const blue = await call('GET', `${ctPath}?fieldSelector=spec.color%3Dblue`);
    assert.equal(blue.body.items.length, 0);
    const beta = await call('GET', '/apis/stable.example.com/v1beta1/namespaces/default/crontabs/every-five');
    assert.equal(beta.body.apiVersion, 'stable.example.com/v1beta1');
  });

  it('keeps status and spec apart with the status subresource', async () => {
    const cur = (await call('GET', `${ctPath}/every-five`)).body;
    const viaMain = await call('PUT', `${ctPath}/every-five`, { ...cur, spec: { ...cur.spec, replicas: 2 }, status: { replicas: 7 } });
    assert.equal(viaMain.status, 200, JSON.stringify(viaMain.body));
    assert.equal(viaMain.body.status, undefined);
    assert.equal(viaMain.body.metadata.generation, 2);
    const viaStatus = await call('PUT', `${ctPath}/every-five/status`, {
      ...viaMain.body,
      spec: { ...viaMain.body.spec, replicas: 9 },
      status: { replicas: 2, conditions: [{ type: 'Ready', status: 'True' }] },
    });
    assert.equal(viaStatus.status, 200, JSON.stringify(viaStatus.body));
    assert.equal(viaStatus.body.spec.replicas, 2);
    assert.equal(viaStatus.body.status.replicas, 2);
    assert.equal(viaStatus.body.metadata.generation, 2);
    const badStatus = await call('PATCH', `${ctPath}/every-five/status`, { status: { replicas: 'x' } });
    assert.equal(badStatus.status, 422);
    assert.match(badStatus.body.message, /status.replicas: Invalid value: "string"/);
    const table = await call('GET', `${ctPath}/every-five`, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.equal(table.body.rows[0].cells[3], 'True');
  });

  it('refuses names already in use in the group', async () => {
    const crd = cronTabCRD();
    crd.metadata = { name: 'othertabs.stable.example.com' };
    crd.spec.names = { plural: 'othertabs', singular: 'othertab', kind: 'CronTab' };
    crd.spec.versions = [crd.spec.versions[0]!];
    assert.equal((await call('POST', crdPath, crd)).status, 201);
    const got = await waitUntil('NamesAccepted', async () => {
      const r = await call('GET', `${crdPath}/othertabs.stable.example.com`);
      return (r.body as CustomResourceDefinition).status?.conditions?.some((c) => c.type === 'NamesAccepted') ? (r.body as CustomResourceDefinition) : undefined;
    });
    const names = got.status?.conditions?.find((c) => c.type === 'NamesAccepted');
    assert.equal(names?.status, 'False');
    assert.equal(names?.reason, 'KindConflict');
    assert.equal(names?.message, '"CronTab" is already in use');
    assert.equal(got.status?.conditions?.find((c) => c.type === 'Established')?.status, 'False');
    assert.equal((await call('GET', '/apis/stable.example.com/v1/namespaces/default/othertabs')).status, 404);
    assert.equal((await call('DELETE', `${crdPath}/othertabs.stable.example.com`)).status, 200);
    await waitUntil('othertabs gone', async () => (await call('GET', `${crdPath}/othertabs.stable.example.com`)).status === 404);
  });

  it('serves stored CRDs again after a restart', async () => {
    await stopServer();
    await startServer();
    const got = await call('GET', `${ctPath}/every-five`);
    assert.equal(got.status, 200);
  });

  it('deletes the custom objects before the CRD, waiting for their finalizers', async () => {
    const held = cronTab('held', { cronSpec: '* * * * *' });
    (held.metadata as Record<string, unknown>).finalizers = ['example.com/hold'];
    assert.equal((await call('POST', ctPath, held)).status, 201);
    const del = await call('DELETE', `${crdPath}/crontabs.stable.example.com`);
    assert.equal(del.status, 200);
    assert.ok(del.body.metadata.deletionTimestamp);
    await waitUntil('every-five deleted', async () => (await call('GET', `${ctPath}/every-five`)).status === 404);
    const terminating = await waitUntil('Terminating', async () => {
      const r = await call('GET', `${crdPath}/crontabs.stable.example.com`);
      const c = (r.body as CustomResourceDefinition).status?.conditions?.find((x) => x.type === 'Terminating');
      return c?.status === 'True' ? c : undefined;
    });
    assert.equal(terminating.reason, 'InstanceDeletionInProgress');
    const refused = await call('POST', ctPath, cronTab('late', { cronSpec: '* * * * *' }));
    assert.equal(refused.status, 405);
    assert.equal(refused.body.message, 'create not allowed while custom resource definition is terminating');
    const stillHeld = await call('GET', `${ctPath}/held`);
    assert.equal(stillHeld.status, 200);
    assert.ok(stillHeld.body.metadata.deletionTimestamp);
    assert.equal((await call('PATCH', `${ctPath}/held`, { metadata: { finalizers: null } })).status, 200);
    await waitUntil('CRD gone', async () => (await call('GET', `${crdPath}/crontabs.stable.example.com`)).status === 404);
    assert.equal((await call('GET', ctPath)).status, 404);
    assert.equal(api.catalog.lookup('stable.example.com', 'v1', 'crontabs'), undefined);
    assert.equal((await store.list('/registry/stable.example.com/crontabs/')).items.length, 0);
  });
});
