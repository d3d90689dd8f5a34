// Kite's own REST client (src/client/rest) against a started `kite server`: configured from its
// admin.kubeconfig, CRUD with the Status errors Kubernetes gives, patches, subresources,
// pagination, watches in order, 410 for a compacted resourceVersion, and every request multiplexed
// over one HTTP/2 connection.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../src/api/object.js';
import { isAlreadyExists, isConflict, isGone, isInvalid, isNotFound, isResourceExpired } from '../src/api/status-predicates.js';
import {
  Http2Transport,
  RestClient,
  loadKubeconfig,
  type ResourceClient,
  type WatchEvent,
} from '../src/client/rest/index.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil, withTimeout } from './support/wait-until.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}
interface Deployment extends KubeObject {
  spec?: Record<string, unknown>;
  status?: { replicas?: number; observedGeneration?: number };
}

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces', namespaced: false, kind: 'Namespace' };
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, kind: 'Deployment' };

describe('REST client against kite server', () => {
  let dir: string;
  let server: KiteServer;
  let client: RestClient;
  let transport: Http2Transport;
  let cms: ResourceClient<ConfigMap>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-client-rest-'));
    server = await startKiteServer(dir, { extraArgs: ['--compaction-interval', '1s'] });
    const config = { ...loadKubeconfig(server.kubeconfig), qps: 0 };
    transport = new Http2Transport({ server: config.server, tls: config.tls });
    client = new RestClient(config, { transport });
    await client.resource(NAMESPACES).create({ metadata: { name: 'rest' } });
    cms = client.resource<ConfigMap>(CONFIGMAPS).namespace('rest');
  });
  after(async () => {
    client?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, gets, lists, updates and deletes, with Kubernetes errors', async () => {
    const created = await cms.create({ metadata: { name: 'one', labels: { app: 'a' } }, data: { k: 'v1' } });
    assert.equal(created.kind, 'ConfigMap');
    assert.equal(created.metadata?.namespace, 'rest');
    assert.ok(created.metadata?.uid);
    await assert.rejects(cms.create({ metadata: { name: 'one' } }), isAlreadyExists);
    await assert.rejects(cms.create({ metadata: { name: 'Not_Valid' } }), isInvalid);

    const got = await cms.get('one');
    assert.deepEqual(got.data, { k: 'v1' });
    const updated = await cms.update({ ...got, data: { k: 'v2' } });
    assert.notEqual(updated.metadata?.resourceVersion, got.metadata?.resourceVersion);
    await assert.rejects(cms.update({ ...got, data: { k: 'stale' } }), isConflict, 'a stale resourceVersion conflicts');

    const listed = await cms.list({ labelSelector: { app: 'a' } });
    assert.deepEqual(listed.items.map((c) => c.metadata?.name), ['one']);
    assert.equal(listed.items[0]!.kind, 'ConfigMap');
    assert.ok(listed.metadata.resourceVersion);
    assert.equal((await cms.list({ labelSelector: 'app=b' })).items.length, 0);
    assert.equal((await cms.list({ fieldSelector: { 'metadata.name': 'one' } })).items.length, 1);

    const dry = await cms.create({ metadata: { name: 'dry' } }, { dryRun: true });
    assert.equal(dry.metadata?.name, 'dry');
    await assert.rejects(cms.get('dry'), isNotFound, 'a dry run persists nothing');

    await cms.delete('one', { preconditions: { uid: created.metadata!.uid! } });
    await assert.rejects(cms.get('one'), isNotFound);
    await assert.rejects(cms.delete('one'), isNotFound);
    // the namespace comes from the object when the client is not scoped
    const unscoped = client.resource<ConfigMap>(CONFIGMAPS);
    const viaObject = await unscoped.create({ metadata: { name: 'two', namespace: 'rest' } });
    assert.equal(viaObject.metadata?.namespace, 'rest');
    await unscoped.delete('two', { namespace: 'rest' });
  });

  it('patches with JSON, merge and strategic merge patches', async () => {
    await cms.create({ metadata: { name: 'patched', labels: { a: '1' } }, data: { x: '1' } });
    const merged = await cms.patch('patched', 'merge', { data: { y: '2' } });
    assert.deepEqual(merged.data, { x: '1', y: '2' });
    const json = await cms.patch('patched', 'json', [{ op: 'remove', path: '/data/x' }]);
    assert.deepEqual(json.data, { y: '2' });
    const strategic = await cms.patch('patched', 'strategic', { metadata: { labels: { b: '2' } } });
    assert.deepEqual(strategic.metadata?.labels, { a: '1', b: '2' });
    await assert.rejects(cms.patch('missing', 'merge', { data: {} }), isNotFound);
  });

  it('updates the status subresource without touching the spec', async () => {
    const deployments = client.resource<Deployment>(DEPLOYMENTS).namespace('rest');
    const d = await deployments.create({
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    const withStatus = await deployments.updateStatus({ ...d, spec: { ...d.spec, replicas: 5 }, status: { replicas: 2, observedGeneration: 1 } });
    assert.equal(withStatus.status?.replicas, 2);
    assert.equal(withStatus.spec?.replicas, 2, 'spec changes through /status are ignored');
    const scale = await deployments.getSubresource<{ spec: { replicas: number } }>('web', 'scale');
    assert.equal(scale.spec.replicas, 2);
    await deployments.delete('web');
  });

  it('lists in pages from one snapshot and deletes a collection', async () => {
    for (let i = 0; i < 7; i++) await cms.create({ metadata: { name: `page-${i}`, labels: { paged: 'yes' } } });
    const pages: string[][] = [];
    for await (const page of cms.listPages({ labelSelector: 'paged=yes', limit: 3 })) pages.push(page.items.map((c) => c.metadata!.name!));
    assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
    assert.deepEqual(pages.flat().sort(), Array.from({ length: 7 }, (_, i) => `page-${i}`));
    await cms.deleteCollection({ labelSelector: 'paged=yes' });
    assert.equal((await cms.list({ labelSelector: 'paged=yes' })).items.length, 0);
  });

  it('watches changes in order from a resourceVersion', async () => {
    const start = await cms.list();
    const watch = await cms.watch({ resourceVersion: start.metadata.resourceVersion, allowWatchBookmarks: true });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of watch as AsyncIterable<WatchEvent<ConfigMap>>) {
        if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') seen.push(`${e.type} ${e.object.metadata?.name} ${e.object.data?.v ?? ''}`);
      }
    })();
    await cms.create({ metadata: { name: 'w' }, data: { v: '1' } });
    await cms.patch('w', 'merge', { data: { v: '2' } });
    await cms.delete('w');
    await waitUntil('three watch events', () => seen.length >= 3, { describe: () => seen.join('; ') });
    watch.stop();
    await withTimeout('the watch to end after stop()', reading, 5000);
    assert.deepEqual(seen, ['ADDED w 1', 'MODIFIED w 2', 'DELETED w 2']);
  });

  it('answers a watch from a compacted resourceVersion with 410 Gone / Expired', async () => {
    for (let i = 0; i < 20; i++) await cms.create({ metadata: { name: `churn-${i}` } });
    let expired = false;
    await waitUntil(
      'a watch from resourceVersion 1 to be refused as expired',
      async () => {
        try {
          const watch = await cms.watch({ resourceVersion: '1' });
          for await (const e of watch) {
            watch.stop();
            if (e.type === 'ERROR' && (e.object.code === 410)) expired = true;
          }
        } catch (err) {
          if (isGone(err) || isResourceExpired(err)) expired = true;
          else throw err;
        }
        return expired;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    assert.ok(expired);
  });

  it('multiplexes concurrent requests over one HTTP/2 connection', async () => {
    const before = transport.sessionsOpened;
    const results = await Promise.all(Array.from({ length: 30 }, () => client.resource(NAMESPACES).get('rest')));
    assert.ok(results.every((ns) => ns.metadata?.name === 'rest'));
    assert.equal(transport.sessionsOpened, before, 'no new connection');
    assert.equal(before, 1);
  });
});
