// Kite's shared informers (src/client/informer) against a started `kite server`: an informer sees
// creates, updates and deletes made through the REST client in order; it survives a server
// restart (SIGTERM, then a new server on the same data directory and port) and ends with the
// server's state; a list whose resourceVersion has been compacted away leads to a 410 and a
// relist, with a tombstone for an object that vanished meanwhile.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../src/api/object.js';
import { SharedIndexInformer, SharedInformerFactory, isTombstone, type ListerWatcher, type ResourceEventHandler } from '../src/client/informer/index.js';
import { RestClient, type ResourceClient } from '../src/client/rest/index.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces', namespaced: false, kind: 'Namespace' };

function recorder(): { lines: string[]; handler: ResourceEventHandler<ConfigMap> } {
  const lines: string[] = [];
  return {
    lines,
    handler: {
      onAdd: (o) => lines.push(`add ${o.metadata?.name} ${o.metadata?.resourceVersion}`),
      onUpdate: (a, b) => {
        if (a.metadata?.resourceVersion !== b.metadata?.resourceVersion) lines.push(`update ${b.metadata?.name} ${b.metadata?.resourceVersion}`);
      },
      onDelete: (o) => lines.push(isTombstone(o) ? `tombstone ${o.key}` : `delete ${o.metadata?.name}`),
    },
  };
}

/** "name@rv" of every object, sorted: the state to compare cache and server by. */
const stateOf = (items: ConfigMap[]) => items.map((c) => `${c.metadata?.name}@${c.metadata?.resourceVersion}`).sort();

describe('shared informers against kite server', () => {
  let dir: string;
  let server: KiteServer;
  let client: RestClient;
  let cms: ResourceClient<ConfigMap>;
  let factory: SharedInformerFactory;
  let informer: SharedIndexInformer<ConfigMap>;
  const rec = recorder();

  const start = (port = 0) => startKiteServer(dir, { port, extraArgs: ['--compaction-interval', '1s'] });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-client-informer-'));
    server = await start();
    client = RestClient.fromKubeconfig(server.kubeconfig, { overrides: { qps: 50, burst: 100 } });
    await client.resource(NAMESPACES).create({ metadata: { name: 'inf' } });
    cms = client.resource<ConfigMap>(CONFIGMAPS).namespace('inf');
    await cms.create({ metadata: { name: 'before' }, data: { v: '0' } });
    factory = new SharedInformerFactory(client, { namespace: 'inf', backoff: { initialMs: 100, maxMs: 1000 } });
    informer = factory.forResource<ConfigMap>(CONFIGMAPS);
    assert.equal(factory.forResource<ConfigMap>(CONFIGMAPS), informer, 'one informer per resource');
    informer.addEventHandler(rec.handler);
    factory.start();
    const synced = await factory.waitForCacheSync({ timeoutMs: 15_000 });
    assert.deepEqual([...synced], [['v1/configmaps', true]]);
  });
  after(async () => {
    await factory?.shutdown();
    client?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees the initial list, then creates, updates and deletes in order', async () => {
    const expected: string[] = [];
    const b = await cms.get('before');
    expected.push(`add before ${b.metadata?.resourceVersion}`);
    const a = await cms.create({ metadata: { name: 'a' }, data: { v: '1' } });
    expected.push(`add a ${a.metadata?.resourceVersion}`);
    const a2 = await cms.patch('a', 'merge', { data: { v: '2' } });
    expected.push(`update a ${a2.metadata?.resourceVersion}`);
    const c = await cms.create({ metadata: { name: 'c' } });
    expected.push(`add c ${c.metadata?.resourceVersion}`);
    await cms.delete('before');
    expected.push('delete before');
    const a3 = await cms.update({ ...a2, data: { v: '3' } });
    expected.push(`update a ${a3.metadata?.resourceVersion}`);
    await waitUntil('the informer to see every change', () => rec.lines.length >= expected.length, { describe: () => rec.lines.join('; ') });
    assert.deepEqual(rec.lines, expected);
    assert.deepEqual(stateOf(informer.lister().namespace('inf').list()), stateOf((await cms.list()).items));
  });

  it('survives a server restart and ends with the server state', async () => {
    const port = server.port;
    await stopKiteServer(server);
    server = await start(port);
    // changes after the restart, made as soon as the server is back
    await cms.create({ metadata: { name: 'after-restart' } });
    await cms.patch('c', 'merge', { data: { touched: 'yes' } });
    await cms.delete('a');
    const listed = await cms.list();
    await waitUntil('the informer cache to match the server after the restart', () => stateOf(informer.indexer.list()).join() === stateOf(listed.items).join(), {
      timeoutMs: 30_000,
      describe: () => `cache ${stateOf(informer.indexer.list()).join(',')} server ${stateOf(listed.items).join(',')}; events ${rec.lines.slice(-6).join('; ')}`,
    });
    assert.ok(rec.lines.includes('delete a') || rec.lines.includes('tombstone inf/a'), rec.lines.join('; '));
    assert.ok(rec.lines.some((l) => l.startsWith('add after-restart')));
    assert.ok(informer.stats().watches >= 2, 'the watch was re-opened against the new server');
  });

  it('relists after 410 Gone and tombstones an object that vanished', async () => {
    // A list that claims an ancient resourceVersion (and an object the server does not have): the
    // watch from there is refused as compacted, so the informer must relist.
    await cms.create({ metadata: { name: 'real' } });
    let lists = 0;
    const stale: ListerWatcher<ConfigMap> = {
      list: async (options) => {
        const l = await cms.list(options);
        if (lists++ > 0) return l;
        return { ...l, metadata: { ...l.metadata, resourceVersion: '1' }, items: [...l.items, { kind: 'ConfigMap', metadata: { name: 'ghost', namespace: 'inf', resourceVersion: '1' } }] };
      },
      watch: (options) => cms.watch(options),
    };
    const own = recorder();
    const relisting = new SharedIndexInformer<ConfigMap>(stale, { backoff: { initialMs: 100, maxMs: 1000 } });
    relisting.addEventHandler(own.handler);
    relisting.start();
    try {
      assert.equal(await relisting.waitForSync({ timeoutMs: 15_000 }), true);
      await waitUntil('a relist after 410', () => relisting.stats().expired >= 1 && lists >= 2, {
        timeoutMs: 15_000,
        describe: () => JSON.stringify(relisting.stats()),
      });
      await waitUntil('the ghost to be tombstoned', () => own.lines.includes('tombstone inf/ghost'), { describe: () => own.lines.join('; ') });
      assert.deepEqual(stateOf(relisting.indexer.list()), stateOf((await cms.list()).items));
      // and it keeps watching after the relist
      await cms.create({ metadata: { name: 'post-relist' } });
      await waitUntil('the relisted informer to see a new object', () => relisting.indexer.has('inf/post-relist'));
    } finally {
      await relisting.stop();
    }
  });
});
