// The ReplicaSet controller over fake informers and a fake API: a slow watch (creates not yet
// observed) never leads to more creates until the informer observes them or the 5-minute
// expectations TTL passes.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { SharedInformerFactory, type ResourceSource } from '../../client/informer/index.js';
import { FakeListerWatcher, list } from '../../client/informer/test-support.js';
import type { ResourceDescriptor, RestClient } from '../../client/rest/index.js';
import { noopMetricsProvider } from '../../client/workqueue/index.js';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import type { ControllerContext } from '../framework/context.js';
import { EXPECTATIONS_TIMEOUT_MS } from '../framework/expectations.js';
import { DEFAULT_CONTROLLER_SETTINGS } from '../framework/settings.js';
import { REPLICA_SET_KIND } from './kinds.js';
import { ReplicaSetController } from './replica-set-controller.js';

class CountingController extends ReplicaSetController<ReplicaSet> {
  reconciles = 0;
  protected override async reconcile(key: string): Promise<void> {
    await super.reconcile(key);
    this.reconciles++;
  }
}

const RS: ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', resourceVersion: '1', generation: 1 },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
};

async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('ReplicaSetController expectations', () => {
  const aborts: AbortController[] = [];
  after(() => aborts.forEach((a) => a.abort()));

  async function setup() {
    const watchers = new Map<string, FakeListerWatcher<KubeObject>>();
    const lw = (d: ResourceDescriptor) => {
      let w = watchers.get(d.resource);
      if (!w) {
        w = new FakeListerWatcher<KubeObject>().answerList(list('1', d.resource === 'replicasets' ? [structuredClone(RS)] : []));
        watchers.set(d.resource, w);
      }
      return w;
    };
    const source = { resource: (d: ResourceDescriptor) => Object.assign(lw(d), { namespace: () => lw(d) }) } as unknown as ResourceSource;
    const created: Pod[] = [];
    const client = {
      resource: (d: ResourceDescriptor) => ({
        namespace: () => ({
          create: async (pod: Pod) => {
            const p = { ...pod, metadata: { ...pod.metadata, name: `web-${created.length}`, uid: `pod-${created.length}`, resourceVersion: '2' } };
            created.push(p);
            return p;
          },
          updateStatus: async (obj: KubeObject) => obj,
          get: async () => structuredClone(RS),
          patch: async () => {
            throw new Error(`unexpected patch of ${d.resource}`);
          },
        }),
      }),
    } as unknown as RestClient;
    const clock = new FakeClock();
    const informers = new SharedInformerFactory(source);
    const ctx: ControllerContext = {
      client,
      informers,
      recorder: () => ({ event: () => undefined, annotatedEvent: () => undefined }),
      clock,
      logger: silentLogger,
      metricsProvider: noopMetricsProvider,
      settings: DEFAULT_CONTROLLER_SETTINGS,
      random: () => 0.5,
      rootCaPem: '',
    };
    const controller = new CountingController(ctx, REPLICA_SET_KIND, { workers: 1 });
    informers.start();
    await informers.waitForCacheSync();
    const abort = new AbortController();
    aborts.push(abort);
    void controller.run(abort.signal);
    const pods = () => watchers.get('pods')!.current;
    const touchRS = (rv: string) => watchers.get('replicasets')!.current.push({ type: 'MODIFIED', object: { ...structuredClone(RS), metadata: { ...RS.metadata, resourceVersion: rv } } });
    return { controller, created, clock, pods, touchRS };
  }

  it('creates once, and not again while its creates are unobserved; resumes once all are observed', async () => {
    const { controller, created, pods, touchRS } = await setup();
    await until('3 creates', () => created.length === 3);
    const seen = controller.reconciles;
    touchRS('10');
    await until('another reconcile', () => controller.reconciles > seen);
    assert.equal(created.length, 3, 'no second round of creates while the watch is slow');
    assert.deepEqual(controller.expectations.get('ns/web'), { add: 3, del: 0 });

    pods().push({ type: 'ADDED', object: created[0]! });
    pods().push({ type: 'ADDED', object: created[1]! });
    await until('two creations observed', () => controller.expectations.get('ns/web')?.add === 1);
    assert.equal(created.length, 3);
    pods().push({ type: 'ADDED', object: created[2]! });
    await until('all observed', () => controller.expectations.satisfied('ns/web'));
    const n = controller.reconciles;
    touchRS('11');
    await until('a reconcile with everything observed', () => controller.reconciles > n);
    assert.equal(created.length, 3, 'three pods exist: nothing to create');
  });

  it('acts again once the expectations expire (5 minutes), if the creates were never observed', async () => {
    const { controller, created, clock, touchRS } = await setup();
    await until('3 creates', () => created.length === 3);
    await clock.step(EXPECTATIONS_TIMEOUT_MS + 1);
    touchRS('10');
    await until('3 more creates', () => created.length === 6);
    assert.ok(controller.reconciles >= 1);
  });
});
