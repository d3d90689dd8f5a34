import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../util/clock.js';
import type { ResourceDescriptor } from '../rest/resource-client.js';
import { SharedInformerFactory, resourceKey, type ResourceSource } from './factory.js';
import { fieldIndexFunc } from './indexer.js';
import type { ListerWatcher } from './reflector.js';
import { FakeListerWatcher, list } from './test-support.js';

const PODS: ResourceDescriptor = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceDescriptor = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const LEASES: ResourceDescriptor = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };

/** A client whose resources are FakeListerWatchers, recording the namespaces asked for. */
function fakeSource() {
  const fakes = new Map<string, FakeListerWatcher<KubeObject>>();
  const scoped: string[] = [];
  const source: ResourceSource = {
    resource<T extends KubeObject>(d: ResourceDescriptor) {
      const fake = new FakeListerWatcher<KubeObject>();
      fakes.set(resourceKey(d), fake);
      const lw = fake as unknown as ListerWatcher<T>;
      return Object.assign(lw, {
        namespace: (ns: string) => {
          scoped.push(`${d.resource}:${ns}`);
          return lw;
        },
      });
    },
  };
  return { source, fakes, scoped };
}

it('makes one informer per resource, starts them together and waits for all caches', async () => {
  const { source, fakes, scoped } = fakeSource();
  const factory = new SharedInformerFactory(source, { clock: new FakeClock(0), namespace: 'team', random: () => 0 });
  const pods = factory.forResource(PODS);
  assert.equal(factory.forResource(PODS, { indexers: { node: fieldIndexFunc('spec.nodeName') } }), pods);
  assert.deepEqual(pods.indexer.indexerNames().sort(), ['namespace', 'node'], 'later indexers are added to the shared informer');
  const nodes = factory.forResource(NODES);
  assert.deepEqual(scoped, ['pods:team'], 'only namespaced resources are scoped to the namespace');
  assert.equal(resourceKey(LEASES), 'coordination.k8s.io/v1/leases');

  fakes.get('v1/pods')!.answerList(list('3', [{ metadata: { namespace: 'team', name: 'p' } }]));
  fakes.get('v1/nodes')!.answerList(list('3', [{ metadata: { name: 'n' } }]));
  assert.equal(pods.isStarted, false);
  factory.start();
  assert.ok(pods.isStarted && nodes.isStarted);
  const synced = await factory.waitForCacheSync();
  assert.deepEqual([...synced].sort(), [
    ['v1/nodes', true],
    ['v1/pods', true],
  ]);
  assert.equal(factory.hasSynced(), true);
  assert.equal(pods.lister().namespace('team').get('p')?.metadata?.name, 'p');
  assert.equal(nodes.lister().get('n')?.metadata?.name, 'n');

  // an informer asked for after start() starts with the next start()
  const leases = factory.forResource(LEASES);
  assert.equal(leases.isStarted, false);
  fakes.get('coordination.k8s.io/v1/leases')!.answerList(list('4', []));
  factory.start();
  assert.equal((await factory.waitForCacheSync()).get('coordination.k8s.io/v1/leases'), true);

  await factory.shutdown();
  assert.ok(pods.isStopped && nodes.isStopped && leases.isStopped);
  assert.throws(() => factory.forResource({ ...PODS, resource: 'services' }), /shut down/);
});
