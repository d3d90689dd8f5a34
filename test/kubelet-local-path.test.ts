// The local-path provisioner against a real kite server with its controllers (the PV controller
// binds what the provisioners create): a claim without a class gets the default `local-path`
// class; WaitForFirstConsumer claims wait for the selected-node annotation and only that node
// provisions them; the volume is bound, mounted by the VolumeManager, and reclaimed (directory and
// PV) when the claim is deleted; Immediate classes of the provisioner are provisioned at once.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Event, Namespace, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isNotFound } from '../src/api/status-predicates.js';
import { SharedInformerFactory } from '../src/client/informer/index.js';
import { RestClient, resources, type ResourceClient } from '../src/client/rest/index.js';
import { restLookup } from '../src/kubelet/lookup/rest-lookup.js';
import { VolumeManager, plainDirectoryMounter } from '../src/kubelet/volumes/index.js';
import { LocalPathProvisioner } from '../src/kubelet/volumes/local-path/index.js';
import { FakeClock } from '../src/util/clock.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';

const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true };
const PVS = { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false };

describe('local-path provisioner against kite server', () => {
  let dir: string;
  let server: KiteServer;
  let client: RestClient;
  let claims: ResourceClient<PersistentVolumeClaim>;
  let volumes: ResourceClient<PersistentVolume>;
  const running: Array<{ p: LocalPathProvisioner; f: SharedInformerFactory }> = [];

  const startProvisioner = async (nodeName: string) => {
    const f = new SharedInformerFactory(client);
    const p = new LocalPathProvisioner({ client, factory: f, nodeName, dataDir: join(dir, nodeName) });
    await p.start();
    running.push({ p, f });
    return p;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-local-path-'));
    server = await startKiteServer(dir, { controllers: true });
    client = RestClient.fromKubeconfig(server.kubeconfig, { overrides: { qps: 100, burst: 200 } });
    await client.resource<Namespace>({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false }).create({ metadata: { name: 'st' } });
    claims = client.resource<PersistentVolumeClaim>(PVCS).namespace('st');
    volumes = client.resource<PersistentVolume>(PVS);
  });
  after(async () => {
    for (const { p, f } of running) {
      await p.stop();
      await f.shutdown();
    }
    client?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('provisions a WaitForFirstConsumer claim on the selected node, binds and reclaims it', async () => {
    await startProvisioner('node-a');
    await startProvisioner('node-b');
    const claim = await claims.create({ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    assert.equal(claim.spec?.storageClassName, 'local-path', 'the default class is filled in');
    const pvName = `pvc-${claim.metadata?.uid}`;
    // nothing happens before the scheduler picks a node
    const events = client.resource<Event>(resources.EVENTS).namespace('st');
    await waitUntil('the PV controller waits for a consumer', async () =>
      (await events.list()).items.some((e) => e.involvedObject.name === 'data' && e.reason === 'WaitForFirstConsumer'),
    );
    await assert.rejects(volumes.get(pvName), (err: unknown) => isNotFound(err));
    await claims.patch('data', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'node-b' } } });
    await waitUntil('the claim is bound', async () => (await claims.get('data')).status?.phase === 'Bound');
    const bound = await claims.get('data');
    assert.equal(bound.spec?.volumeName, pvName);
    assert.deepEqual(bound.status?.capacity, { storage: '1Gi' });
    const pv = await volumes.get(pvName);
    const path = join(dir, 'node-b', 'storage', claim.metadata?.uid ?? '');
    assert.equal(pv.spec?.hostPath?.path, path);
    assert.equal(pv.spec?.claimRef?.uid, claim.metadata?.uid);
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, ['node-b']);
    assert.equal(pv.status?.phase, 'Bound');
    assert.ok(existsSync(path));
    assert.equal(existsSync(join(dir, 'node-a', 'storage')), false, 'only the selected node provisions');

    // the kubelet mounts it
    const vm = new VolumeManager({ dataDir: join(dir, 'node-b'), lookup: restLookup(client), clock: new FakeClock(), nodeAllocatable: () => ({}), mounter: plainDirectoryMounter });
    const pod: Pod = { metadata: { name: 'p', namespace: 'st', uid: 'pod-1' }, spec: { containers: [{ name: 'c' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } };
    assert.equal((await vm.mountPod(pod)).get('d'), path);
    writeFileSync(join(path, 'file'), 'x');
    await vm.unmountPod('pod-1');
    assert.ok(existsSync(join(path, 'file')), 'unmounting leaves the claim\'s data');

    // deleting the claim reclaims the volume
    await claims.delete('data');
    await waitUntil('the volume is deleted', async () => {
      try {
        await volumes.get(pvName);
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    });
    assert.equal(existsSync(path), false);
  });

  it('provisions a claim of an Immediate local-path class at once', async () => {
    await startProvisioner('node-c');
    await client.resource<StorageClass>(resources.STORAGECLASSES).create({
      metadata: { name: 'local-now' },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'Immediate',
    });
    await claims.create({ metadata: { name: 'now' }, spec: { storageClassName: 'local-now', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Mi' } } } });
    await waitUntil('the claim is bound', async () => (await claims.get('now')).status?.phase === 'Bound');
    const pv = await volumes.get((await claims.get('now')).spec?.volumeName ?? '');
    assert.match(pv.spec?.hostPath?.path ?? '', /\/node-[abc]\/storage\//);
    assert.equal(pv.spec?.storageClassName, 'local-now');
  });

  it('leaves claims of other classes alone', async () => {
    await client.resource<StorageClass>(resources.STORAGECLASSES).create({ metadata: { name: 'fast' }, provisioner: 'example.com/fast' });
    await claims.create({ metadata: { name: 'other' }, spec: { storageClassName: 'fast', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    await claims.create({ metadata: { name: 'marker' }, spec: { storageClassName: 'local-now', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    await waitUntil('the later local-path claim is bound', async () => (await claims.get('marker')).status?.phase === 'Bound');
    const other = await claims.get('other');
    assert.equal(other.status?.phase, 'Pending');
    assert.equal(other.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'], 'example.com/fast', 'handed to its own provisioner');
  });
});
