import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { admitUnderPressure } from './admit.js';

const bestEffort: Pod = { metadata: { name: 'be' }, spec: { containers: [{ name: 'c' }] } };
const burstable: Pod = { metadata: { name: 'b' }, spec: { containers: [{ name: 'c', resources: { requests: { memory: '10Mi' } } }] } };

test('no pressure admits everything', () => {
  assert.deepEqual(admitUnderPressure(bestEffort, []), { admit: true });
});

test('memory pressure alone rejects only BestEffort pods that do not tolerate it', () => {
  assert.deepEqual(admitUnderPressure(burstable, ['MemoryPressure']), { admit: true });
  assert.deepEqual(admitUnderPressure(bestEffort, ['MemoryPressure']), {
    admit: false,
    reason: 'Evicted',
    message: 'The node had condition: [MemoryPressure]. ',
  });
  const tolerating: Pod = { ...bestEffort, spec: { ...bestEffort.spec!, tolerations: [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }] } };
  assert.deepEqual(admitUnderPressure(tolerating, ['MemoryPressure']), { admit: true });
});

test('disk pressure rejects all but critical pods', () => {
  assert.deepEqual(admitUnderPressure(burstable, ['MemoryPressure', 'DiskPressure']), {
    admit: false,
    reason: 'Evicted',
    message: 'The node had condition: [MemoryPressure DiskPressure]. ',
  });
  const critical: Pod = { ...burstable, spec: { ...burstable.spec!, priority: 2_000_001_000 } };
  assert.deepEqual(admitUnderPressure(critical, ['DiskPressure']), { admit: true });
  const staticPod: Pod = { ...burstable, metadata: { name: 's', annotations: { 'kubernetes.io/config.source': 'file' } } };
  assert.deepEqual(admitUnderPressure(staticPod, ['DiskPressure']), { admit: true });
});
