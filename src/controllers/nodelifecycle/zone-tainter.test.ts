// Rate-limited tainting per zone on a fake clock: --node-eviction-rate nodes per second per zone
// (burst 1), zones independent, a paused zone taints nothing; zone states.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { ZoneTainter } from './zone-tainter.js';
import { computeZoneState, zoneRate } from './zone-state.js';

describe('ZoneTainter', () => {
  it('taints one node per 1/rate seconds in each zone', async () => {
    const clock = new FakeClock();
    const tainter = new ZoneTainter(clock, 0.1);
    const tainted: string[] = [];
    const taint = async (n: string) => {
      tainted.push(n);
      return true;
    };
    for (const n of ['a1', 'a2', 'a3']) tainter.add('a', n);
    tainter.add('b', 'b1');
    await tainter.tryPass(taint);
    assert.deepEqual(tainted, ['a1', 'b1'], 'the first of each zone at once (burst 1)');
    await clock.step(9_000);
    await tainter.tryPass(taint);
    assert.deepEqual(tainted, ['a1', 'b1']);
    await clock.step(1_000);
    await tainter.tryPass(taint);
    assert.deepEqual(tainted, ['a1', 'b1', 'a2']);
    tainter.setRate('a', 0);
    await clock.step(60_000);
    await tainter.tryPass(taint);
    assert.deepEqual(tainter.queued('a'), ['a3'], 'a paused zone keeps its queue');
  });

  it('keeps a node whose tainting failed for the next pass', async () => {
    const clock = new FakeClock();
    const tainter = new ZoneTainter(clock, 1);
    tainter.add('', 'n');
    await tainter.tryPass(async () => false);
    assert.deepEqual(tainter.queued(''), ['n']);
  });
});

describe('zone state', () => {
  const rates = { evictionRate: 0.1, secondaryEvictionRate: 0.01, unhealthyZoneThreshold: 0.55, largeClusterSizeThreshold: 50 };
  it('is Normal, PartialDisruption or FullDisruption as Kubernetes computes it', () => {
    assert.equal(computeZoneState(['True', 'Unknown'], 0.55).state, 'Normal');
    assert.equal(computeZoneState(['Unknown', 'False'], 0.55).state, 'FullDisruption');
    assert.equal(computeZoneState(['True', 'Unknown', 'Unknown', 'False'], 0.55).state, 'PartialDisruption');
    assert.equal(computeZoneState(['True', 'True', 'Unknown', 'Unknown', 'False', 'True', 'True'], 0.55).state, 'Normal');
  });
  it('sets the rate: normal and full at the eviction rate, partial slower in large zones and stopped in small ones', () => {
    assert.equal(zoneRate('Normal', 3, rates), 0.1);
    assert.equal(zoneRate('FullDisruption', 3, rates), 0.1);
    assert.equal(zoneRate('PartialDisruption', 3, rates), 0);
    assert.equal(zoneRate('PartialDisruption', 100, rates), 0.01);
  });
});
