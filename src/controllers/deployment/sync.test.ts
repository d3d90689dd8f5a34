import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { newAlreadyExists } from '../../api/status-errors.js';
import type { Lister } from '../../client/informer/index.js';
import type { RestClient } from '../../client/rest/index.js';
import { FakeClock } from '../../util/clock.js';
import { computeHash } from '../framework/hash.js';
import { DeploymentSync, findActiveOrLatest } from './sync.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } };
const deployment = (): Deployment => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: 2 },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: structuredClone(template), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, progressDeadlineSeconds: 600 },
  status: {},
});

describe('DeploymentSync', () => {
  it('a ReplicaSet name taken by another template bumps status.collisionCount (and the next hash differs)', async () => {
    const d = deployment();
    const hash = computeHash(d.spec!.template);
    const squatter: ReplicaSet = { metadata: { name: `web-${hash}`, namespace: 'ns', uid: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c', image: 'other' }] } } } };
    const statusWrites: Deployment[] = [];
    const client = {
      resource: (desc: { resource: string }) => ({
        namespace: () => ({
          create: async () => {
            throw newAlreadyExists({ group: 'apps', resource: 'replicasets' }, `web-${hash}`);
          },
          updateStatus: async (obj: Deployment) => {
            assert.equal(desc.resource, 'deployments');
            statusWrites.push(structuredClone(obj));
            return obj;
          },
        }),
      }),
    } as unknown as RestClient;
    const lister = { namespace: () => ({ get: (name: string) => (name === squatter.metadata?.name ? squatter : undefined) }) } as unknown as Lister<ReplicaSet>;
    const sync = new DeploymentSync(client, lister, { event: () => undefined, annotatedEvent: () => undefined }, new FakeClock());
    await assert.rejects(sync.getAllReplicaSetsAndSyncRevision(d, [], true), /already exists/);
    assert.equal(statusWrites.length, 1);
    assert.equal(statusWrites[0]?.status?.collisionCount, 1);
    assert.notEqual(computeHash(d.spec!.template, 1), hash);
  });

  it('FindActiveOrLatest: the only active ReplicaSet, else the newest when none is active', () => {
    const rs = (name: string, replicas: number, t: string): ReplicaSet => ({ metadata: { name, creationTimestamp: t }, spec: { replicas, selector: {} } });
    const a = rs('a', 0, '2026-01-01T00:00:00Z');
    const b = rs('b', 0, '2026-01-02T00:00:00Z');
    assert.equal(findActiveOrLatest(undefined, [a, b])?.metadata?.name, 'b');
    assert.equal(findActiveOrLatest(rs('n', 0, '2026-01-03T00:00:00Z'), [a, b])?.metadata?.name, 'n');
    assert.equal(findActiveOrLatest(undefined, [rs('a', 2, '2026-01-01T00:00:00Z'), b])?.metadata?.name, 'a');
    assert.equal(findActiveOrLatest(rs('n', 1, '2026-01-03T00:00:00Z'), [rs('a', 2, '2026-01-01T00:00:00Z')]), undefined);
  });
});
