import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { cachedLookup } from './cached-lookup.js';
import { staticLookup, type ClusterLookup } from './lookup.js';

describe('cachedLookup', () => {
  it('answers from memory within the TTL, present or absent, and forgets failures', async () => {
    const clock = new FakeClock();
    const configMaps: ConfigMap[] = [{ metadata: { name: 'a', namespace: 'ns' }, data: { v: '1' } }];
    const base = staticLookup({ configMaps });
    let calls = 0;
    let fail = false;
    const counting: ClusterLookup = {
      ...base,
      getConfigMap: async (ns, name) => {
        calls++;
        if (fail) throw new Error('connection refused');
        return base.getConfigMap(ns, name);
      },
    };
    const l = cachedLookup(counting, { clock, ttlMs: 60_000 });
    assert.deepEqual((await l.getConfigMap('ns', 'a'))?.data, { v: '1' });
    configMaps[0].data = { v: '2' };
    assert.deepEqual((await l.getConfigMap('ns', 'a'))?.data, { v: '1' });
    assert.equal(await l.getConfigMap('ns', 'b'), undefined);
    assert.equal(await l.getConfigMap('ns', 'b'), undefined);
    assert.equal(calls, 2);
    await clock.step(60_000);
    assert.deepEqual((await l.getConfigMap('ns', 'a'))?.data, { v: '2' });
    assert.equal(calls, 3);
    fail = true;
    l.invalidate();
    await assert.rejects(l.getConfigMap('ns', 'a'), /connection refused/);
    fail = false;
    assert.deepEqual((await l.getConfigMap('ns', 'a'))?.data, { v: '2' });
  });
});
