// The API server driven by the official JavaScript client, @kubernetes/client-node (1.4): typed
// CoreV1Api CRUD on configmaps with the error codes Kubernetes gives, and an informer over pods that
// must see every change the real kubectl makes, in order and exactly once — also across a server
// restart on the same data directory and port.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
  type Informer,
  type ObjectCache,
  type V1Pod,
} from '@kubernetes/client-node';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectlOk } from './support/kubectl.js';
import { waitUntil, withTimeout } from './support/wait-until.js';

interface StatusBody {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
}

/** Runs `call`, which must fail with an ApiException of `code`; returns the Status body. */
async function expectApiError(code: number, call: () => Promise<unknown>): Promise<StatusBody> {
  try {
    await call();
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const exception = err as ApiException<unknown>;
    assert.equal(exception.code, code, `expected HTTP ${code}, got ${exception.code}: ${String(exception.body)}`);
    const body: unknown = typeof exception.body === 'string' ? JSON.parse(exception.body) : exception.body;
    return body as StatusBody;
  }
  assert.fail(`expected HTTP ${code}, but the call succeeded`);
}

function loadKubeConfig(server: KiteServer): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  return kc;
}

describe('@kubernetes/client-node against kite server', () => {
  let dir: string;
  let server: KiteServer;
  let core: CoreV1Api;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-client-node-'));
    server = await startKiteServer(dir);
    core = loadKubeConfig(server).makeApiClient(CoreV1Api);
  });
  after(async () => {
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('CoreV1Api configmaps', () => {
    const namespace = 'client-node-crud';
    before(async () => {
      await core.createNamespace({ body: { metadata: { name: namespace } } });
    });

    it('creates, reads, lists by label, replaces, patches and deletes', async () => {
      const alpha = await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: 'alpha', labels: { app: 'shop', tier: 'web' } }, data: { color: 'blue' } },
      });
      assert.equal(alpha.metadata?.name, 'alpha');
      assert.equal(alpha.metadata?.namespace, namespace);
      assert.ok(alpha.metadata?.uid, 'create returns a uid');
      assert.ok(alpha.metadata?.resourceVersion, 'create returns a resourceVersion');
      assert.ok(alpha.metadata?.creationTimestamp instanceof Date, 'creationTimestamp deserializes as a date');
      await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: 'beta', labels: { app: 'shop', tier: 'db' } }, data: { size: 'large' } },
      });
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'gamma', labels: { app: 'blog' } } } });

      const exists = await expectApiError(409, () =>
        core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'alpha' }, data: { color: 'red' } } }),
      );
      assert.equal(exists.kind, 'Status');
      assert.equal(exists.reason, 'AlreadyExists');

      const read = await core.readNamespacedConfigMap({ name: 'alpha', namespace });
      assert.deepEqual(read.data, { color: 'blue' });
      assert.equal(read.metadata?.uid, alpha.metadata?.uid);
      assert.equal(read.metadata?.resourceVersion, alpha.metadata?.resourceVersion);

      const names = async (labelSelector: string) =>
        (await core.listNamespacedConfigMap({ namespace, labelSelector })).items.map((c) => c.metadata?.name).sort();
      assert.deepEqual(await names('app=shop'), ['alpha', 'beta']);
      assert.deepEqual(await names('app=shop,tier in (web)'), ['alpha']);
      assert.deepEqual(await names('app,tier!=web'), ['beta', 'gamma']);
      assert.deepEqual(await names('!tier'), ['gamma']);
      assert.deepEqual(await names('app notin (shop,blog)'), []);
      const list = await core.listNamespacedConfigMap({ namespace });
      assert.ok(list.metadata?.resourceVersion, 'a list carries the resourceVersion it was read at');
      assert.deepEqual(list.items.map((c) => c.metadata?.name).sort(), ['alpha', 'beta', 'gamma']);
      const badSelector = await expectApiError(400, () => core.listNamespacedConfigMap({ namespace, labelSelector: 'app in (shop' }));
      assert.equal(badSelector.reason, 'BadRequest');

      // replace with the current resourceVersion succeeds; with the stale one it is a Conflict
      const replaced = await core.replaceNamespacedConfigMap({
        name: 'alpha',
        namespace,
        body: { metadata: { name: 'alpha', labels: { app: 'shop', tier: 'web' }, resourceVersion: read.metadata?.resourceVersion }, data: { color: 'green' } },
      });
      assert.deepEqual(replaced.data, { color: 'green' });
      assert.notEqual(replaced.metadata?.resourceVersion, read.metadata?.resourceVersion);
      assert.equal(replaced.metadata?.uid, alpha.metadata?.uid);
      const conflict = await expectApiError(409, () =>
        core.replaceNamespacedConfigMap({
          name: 'alpha',
          namespace,
          body: { metadata: { name: 'alpha', resourceVersion: read.metadata?.resourceVersion }, data: { color: 'stale' } },
        }),
      );
      assert.equal(conflict.kind, 'Status');
      assert.equal(conflict.reason, 'Conflict');
      assert.equal(conflict.code, 409);
      assert.deepEqual((await core.readNamespacedConfigMap({ name: 'alpha', namespace })).data, { color: 'green' }, 'the stale replace changed nothing');

      // the three patch types
      const merged = await core.patchNamespacedConfigMap(
        { name: 'alpha', namespace, body: { data: { shape: 'round' }, metadata: { labels: { tier: null } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      assert.deepEqual(merged.data, { color: 'green', shape: 'round' });
      assert.deepEqual(merged.metadata?.labels, { app: 'shop' });
      const jsonPatched = await core.patchNamespacedConfigMap(
        {
          name: 'alpha',
          namespace,
          body: [
            { op: 'test', path: '/data/color', value: 'green' },
            { op: 'replace', path: '/data/color', value: 'purple' },
            { op: 'remove', path: '/data/shape' },
            { op: 'add', path: '/metadata/labels/patched', value: 'json' },
          ],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      assert.deepEqual(jsonPatched.data, { color: 'purple' });
      assert.deepEqual(jsonPatched.metadata?.labels, { app: 'shop', patched: 'json' });
      const failedTest = await expectApiError(422, () =>
        core.patchNamespacedConfigMap(
          { name: 'alpha', namespace, body: [{ op: 'test', path: '/data/color', value: 'green' }] },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        ),
      );
      assert.equal(failedTest.kind, 'Status');
      const strategic = await core.patchNamespacedConfigMap(
        { name: 'alpha', namespace, body: { metadata: { annotations: { note: 'smp' } }, data: { size: 'small' } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      assert.deepEqual(strategic.data, { color: 'purple', size: 'small' });
      assert.equal(strategic.metadata?.annotations?.note, 'smp');
      const stalePatch = await expectApiError(409, () =>
        core.patchNamespacedConfigMap(
          { name: 'alpha', namespace, body: { metadata: { resourceVersion: read.metadata?.resourceVersion }, data: { color: 'x' } } },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      );
      assert.equal(stalePatch.reason, 'Conflict');

      // delete, then it is gone
      await core.deleteNamespacedConfigMap({ name: 'alpha', namespace });
      const gone = await expectApiError(404, () => core.readNamespacedConfigMap({ name: 'alpha', namespace }));
      assert.equal(gone.reason, 'NotFound');
      assert.match(gone.message ?? '', /configmaps "alpha" not found/);
      await expectApiError(404, () => core.deleteNamespacedConfigMap({ name: 'alpha', namespace }));
      assert.deepEqual(await names('app=shop'), ['beta']);
      const missingNs = await expectApiError(404, () =>
        core.createNamespacedConfigMap({ namespace: 'no-such-namespace', body: { metadata: { name: 'x' } } }),
      );
      assert.equal(missingNs.reason, 'NotFound');
    });
  });

  describe('informer over pods, changed by kubectl', () => {
    const namespace = 'client-node-informer';
    /** What the informer reported, in order. */
    interface Seen {
      type: 'add' | 'update' | 'delete';
      name: string;
      resourceVersion: string;
      labels: Record<string, string>;
    }
    /** What a step must make the informer report. */
    interface Expected {
      type: Seen['type'];
      name: string;
      /** The object's resourceVersion after the step (read back with kubectl); unknown for deletes. */
      resourceVersion?: string;
      labels?: Record<string, string>;
    }
    const seen: Seen[] = [];
    const expected: Expected[] = [];
    const errors: unknown[] = [];
    let connects = 0;
    let informer: Informer<V1Pod> & ObjectCache<V1Pod>;
    let stopped = false;

    const k = (args: string[], input?: string) => kubectlOk(server.kubeconfig, ['-n', namespace, ...args], input === undefined ? {} : { input });
    const podManifest = (name: string, labels: Record<string, string>) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
      });
    const rvOf = async (name: string) => (await k(['get', 'pod', name, '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();
    const record = (type: Seen['type']) => (pod: V1Pod) =>
      seen.push({ type, name: pod.metadata?.name ?? '?', resourceVersion: pod.metadata?.resourceVersion ?? '', labels: { ...pod.metadata?.labels } });
    const show = () => JSON.stringify({ seen, expected, errors: errors.map(String) }, null, 1);

    /** The informer has reported exactly the expected events, in order, with the expected versions. */
    const assertSeenExpected = () => {
      assert.equal(seen.length, expected.length, `event count differs:\n${show()}`);
      expected.forEach((want, i) => {
        const got = seen[i];
        assert.ok(got);
        assert.equal(`${got.type} ${got.name}`, `${want.type} ${want.name}`, `event ${i}:\n${show()}`);
        if (want.resourceVersion !== undefined) assert.equal(got.resourceVersion, want.resourceVersion, `event ${i} resourceVersion:\n${show()}`);
        if (want.labels !== undefined) assert.deepEqual(got.labels, want.labels, `event ${i} labels:\n${show()}`);
      });
    };
    const waitForExpected = async (timeoutMs = 15_000) => {
      await waitUntil(`the informer to report ${expected.length} events`, () => seen.length >= expected.length, { timeoutMs, describe: show });
      assertSeenExpected();
    };
    /** The informer's cache holds exactly what kubectl lists, at the same resourceVersions. */
    const assertCacheMatchesServer = async () => {
      const listed = JSON.parse(await k(['get', 'pods', '-o', 'json'])) as { items: V1Pod[] };
      const fromServer = listed.items.map((p) => `${p.metadata?.name}@${p.metadata?.resourceVersion}`).sort();
      const cached = informer.list(namespace).map((p) => `${p.metadata?.name}@${p.metadata?.resourceVersion}`).sort();
      assert.deepEqual(cached, fromServer);
    };

    before(async () => {
      // (`kubectl create namespace` sends protobuf, which Kite does not decode yet)
      await kubectlOk(server.kubeconfig, ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }) });
      // one pod exists before the informer starts: its initial list must report it
      await k(['apply', '-f', '-'], podManifest('early', { app: 'early' }));
      expected.push({ type: 'add', name: 'early', resourceVersion: await rvOf('early'), labels: { app: 'early' } });

      const kc = loadKubeConfig(server);
      const api = kc.makeApiClient(CoreV1Api);
      informer = makeInformer(kc, `/api/v1/namespaces/${namespace}/pods`, () => api.listNamespacedPod({ namespace }));
      informer.on('add', record('add'));
      informer.on('update', record('update'));
      informer.on('delete', record('delete'));
      informer.on('connect', () => void connects++);
      // client-node's informer stops on an error (a refused connection while the server restarts);
      // the documented pattern is to start it again after a pause.
      informer.on('error', (err: unknown) => {
        errors.push(err);
        if (!stopped) setTimeout(() => void informer.start().catch((e: unknown) => errors.push(e)), 100);
      });
      await withTimeout('informer.start()', informer.start(), 15_000);
    });
    after(async () => {
      stopped = true;
      await informer?.stop();
    });

    it('sees the initial list, then every add, update and delete in order', async () => {
      await waitForExpected();

      await k(['apply', '-f', '-'], podManifest('web-1', { app: 'web' }));
      expected.push({ type: 'add', name: 'web-1', resourceVersion: await rvOf('web-1'), labels: { app: 'web' } });
      await k(['apply', '-f', '-'], podManifest('web-2', { app: 'web' }));
      expected.push({ type: 'add', name: 'web-2', resourceVersion: await rvOf('web-2'), labels: { app: 'web' } });
      await k(['label', 'pod', 'web-1', 'color=blue']);
      expected.push({ type: 'update', name: 'web-1', resourceVersion: await rvOf('web-1'), labels: { app: 'web', color: 'blue' } });
      // apply again with a changed label: a three-way strategic merge patch
      await k(['apply', '-f', '-'], podManifest('web-2', { app: 'web', tier: 'front' }));
      expected.push({ type: 'update', name: 'web-2', resourceVersion: await rvOf('web-2'), labels: { app: 'web', tier: 'front' } });
      await k(['label', 'pod', 'web-1', 'color=red', '--overwrite']);
      expected.push({ type: 'update', name: 'web-1', resourceVersion: await rvOf('web-1'), labels: { app: 'web', color: 'red' } });
      await k(['label', 'pod', 'web-1', 'color-']);
      expected.push({ type: 'update', name: 'web-1', resourceVersion: await rvOf('web-1'), labels: { app: 'web' } });
      await k(['delete', 'pod', 'web-2', '--wait=true']);
      expected.push({ type: 'delete', name: 'web-2' });
      await waitForExpected();
      assert.equal(informer.get('web-2', namespace), undefined, 'a deleted pod leaves the cache');
      assert.equal(informer.get('web-1', namespace)?.metadata?.labels?.color, undefined);
      await assertCacheMatchesServer();
    });

    it('loses and repeats nothing across a server restart on the same data dir and port', async () => {
      const port = server.port;
      const connectsBefore = connects;
      // changes right before the stop: the informer may or may not have seen them when the server goes
      await k(['label', 'pod', 'web-1', 'phase=before']);
      expected.push({ type: 'update', name: 'web-1', resourceVersion: await rvOf('web-1'), labels: { app: 'web', phase: 'before' } });
      await k(['apply', '-f', '-'], podManifest('web-3', { app: 'web', born: 'before' }));
      expected.push({ type: 'add', name: 'web-3', resourceVersion: await rvOf('web-3'), labels: { app: 'web', born: 'before' } });
      await stopKiteServer(server);

      server = await startKiteServer(dir, { port });
      assert.equal(server.port, port);
      // changes right after the restart, whether or not the informer has reconnected yet
      await k(['label', 'pod', 'web-1', 'phase=after', '--overwrite']);
      expected.push({ type: 'update', name: 'web-1', resourceVersion: await rvOf('web-1'), labels: { app: 'web', phase: 'after' } });
      await k(['apply', '-f', '-'], podManifest('web-4', { app: 'web', born: 'after' }));
      expected.push({ type: 'add', name: 'web-4', resourceVersion: await rvOf('web-4'), labels: { app: 'web', born: 'after' } });
      await k(['delete', 'pod', 'early', '--wait=true']);
      expected.push({ type: 'delete', name: 'early' });
      await waitForExpected(30_000);
      assert.ok(connects > connectsBefore, 'the informer reconnected after the restart');

      // a final marker: anything repeated before it would now show up as an extra event
      await k(['label', 'pod', 'web-4', 'marker=last']);
      expected.push({ type: 'update', name: 'web-4', resourceVersion: await rvOf('web-4'), labels: { app: 'web', born: 'after', marker: 'last' } });
      await waitForExpected();
      await assertCacheMatchesServer();
    });
  });
});
