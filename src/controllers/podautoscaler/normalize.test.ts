// The HPA's stabilization and limits on a fake clock: the default 300 s scale-down window, the
// 2×/4 scale-up limit, min/max, and behavior policies with their periods.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReplicaNormalizer } from './normalize.js';

describe('ReplicaNormalizer', () => {
  it('holds a scale-down for the stabilization window', () => {
    let now = 0;
    const n = new ReplicaNormalizer(() => now, 300_000);
    assert.equal(n.normalize({ key: 'k', current: 5, proposed: 5, min: 1, max: 10 }).desired, 5);
    now = 60_000;
    const held = n.normalize({ key: 'k', current: 5, proposed: 2, min: 1, max: 10 });
    assert.equal(held.desired, 5);
    assert.equal(held.ableToScale.reason, 'ScaleDownStabilized');
    now = 301_000;
    assert.equal(n.normalize({ key: 'k', current: 5, proposed: 2, min: 1, max: 10 }).desired, 2);
  });
  it('limits scale-up to max(2 × current, 4) and to min/max', () => {
    const n = new ReplicaNormalizer(() => 0, 300_000);
    const r = n.normalize({ key: 'a', current: 1, proposed: 9, min: 1, max: 10 });
    assert.deepEqual([r.desired, r.limited, r.scalingLimited.reason], [4, true, 'ScaleUpLimit']);
    const m = n.normalize({ key: 'b', current: 3, proposed: 9, min: 1, max: 5 });
    assert.deepEqual([m.desired, m.scalingLimited.reason], [5, 'TooManyReplicas']);
    const f = n.normalize({ key: 'c', current: 3, proposed: 1, min: 2, max: 5 });
    assert.deepEqual([f.desired, f.scalingLimited.reason], [2, 'TooFewReplicas']);
  });
  it('applies behavior policies over their periods', () => {
    let now = 0;
    const n = new ReplicaNormalizer(() => now, 300_000);
    const behavior = { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }, scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } };
    const up = n.normalize({ key: 'k', current: 2, proposed: 6, min: 1, max: 10, behavior });
    assert.deepEqual([up.desired, up.scalingLimited.reason], [3, 'ScaleUpLimit']);
    n.recordScale('k', behavior, 2, 3);
    now = 10_000;
    assert.equal(n.normalize({ key: 'k', current: 3, proposed: 6, min: 1, max: 10, behavior }).desired, 3, 'one pod per minute already used');
    now = 80_000;
    assert.equal(n.normalize({ key: 'k', current: 3, proposed: 6, min: 1, max: 10, behavior }).desired, 4);
    const down = n.normalize({ key: 'k', current: 8, proposed: 1, min: 1, max: 10, behavior });
    assert.deepEqual([down.desired, down.scalingLimited.reason], [4, 'ScaleDownLimit']);
  });
});
