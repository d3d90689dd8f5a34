// The token cleaner against a real `kite server`, in-process on an injected clock: an expired
// bootstrap token Secret is deleted once its expiration passes; tokens without one, other Secrets
// and Secrets elsewhere stay; a token that stops authenticating is gone from the API too.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Secret } from 'kubernetes-types/core/v1.js';
import { bootstrapTokenSecret } from '../src/api/bootstrap-token.js';
import { formatTime } from '../src/api/meta.js';
import { resources } from '../src/client/rest/index.js';
import { startControllerManager, type RunningControllerManager } from '../src/controllers/index.js';
import { FakeClock } from '../src/util/clock.js';
import { silentLogger } from '../src/util/log.js';
import { useCluster } from './support/cluster-fixture.js';
import { waitUntil } from './support/wait-until.js';

describe('token cleaner on an injected clock', () => {
  const cluster = useCluster({ name: 'tokencleaner' });
  const clock = new FakeClock(Date.now());
  let manager: RunningControllerManager;
  const secrets = (ns: string) => cluster.rest.resource<Secret>(resources.SECRETS).namespace(ns);
  const names = async (ns: string) => (await secrets(ns).list()).items.map((s) => s.metadata?.name ?? '').sort();

  before(async () => {
    manager = await startControllerManager({ client: cluster.rest, controllers: ['tokencleaner'], clock, logger: silentLogger });
    await manager.started;
  });
  after(async () => manager?.stop());

  it('deletes a bootstrap token Secret once it expires, and nothing else', async () => {
    await secrets('kube-system').create(bootstrapTokenSecret({ id: 'aaaaaa', secret: '0123456789abcdef' }, { expiration: formatTime(clock.now() + 60_000) }));
    await secrets('kube-system').create(bootstrapTokenSecret({ id: 'bbbbbb', secret: '0123456789abcdef' }));
    const elsewhere = { ...bootstrapTokenSecret({ id: 'cccccc', secret: '0123456789abcdef' }, { expiration: formatTime(clock.now() + 60_000) }), metadata: { name: 'bootstrap-token-cccccc', namespace: 'default' } };
    await secrets('default').create(elsewhere);
    await waitUntil('the cleaner to wait for the expiration', () => clock.pending() > 0, { timeoutMs: 10_000 });
    assert.ok((await names('kube-system')).includes('bootstrap-token-aaaaaa'), 'not expired yet');

    await clock.step(61_000);
    await waitUntil('the expired token to be deleted', async () => !(await names('kube-system')).includes('bootstrap-token-aaaaaa'), { timeoutMs: 10_000 });
    assert.ok((await names('kube-system')).includes('bootstrap-token-bbbbbb'), 'a token without expiration stays');
    assert.ok((await names('default')).includes('bootstrap-token-cccccc'), 'only kube-system holds bootstrap tokens');
  });
});
