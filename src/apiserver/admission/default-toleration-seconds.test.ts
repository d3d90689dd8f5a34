// DefaultTolerationSeconds: default NoExecute tolerations for not-ready and unreachable nodes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { AdmissionAttributes } from './admission.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { DefaultTolerationSeconds } from './default-toleration-seconds.js';

const pods = { group: '', version: 'v1', resource: 'pods' } as unknown as ResourceDefinition;
const attrs = (pod: Pod, operation: AdmissionAttributes['operation'] = 'CREATE'): AdmissionAttributes => ({ operation, resource: pods, object: pod, dryRun: false });

describe('DefaultTolerationSeconds', () => {
  const plugin = new DefaultTolerationSeconds();
  it('adds both tolerations with 300 s to a pod without them', () => {
    const pod: Pod = { spec: { containers: [] } };
    plugin.admit(attrs(pod));
    assert.deepEqual(pod.spec?.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });
  it('keeps a pod\'s own toleration, and adds nothing when one tolerates every taint', () => {
    const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 };
    const pod: Pod = { spec: { containers: [], tolerations: [own] } };
    plugin.admit(attrs(pod));
    assert.deepEqual(pod.spec?.tolerations?.map((t) => [t.key, t.tolerationSeconds]), [['node.kubernetes.io/unreachable', 2], ['node.kubernetes.io/not-ready', 300]]);
    const all: Pod = { spec: { containers: [], tolerations: [{ operator: 'Exists' }] } };
    plugin.admit(attrs(all));
    assert.equal(all.spec?.tolerations?.length, 1);
  });
  it('uses the configured seconds (--default-not-ready/unreachable-toleration-seconds)', () => {
    const pod: Pod = { spec: { containers: [] } };
    new DefaultTolerationSeconds(2, 0).admit(attrs(pod));
    assert.deepEqual(pod.spec?.tolerations?.map((t) => [t.key, t.tolerationSeconds]), [['node.kubernetes.io/not-ready', 2], ['node.kubernetes.io/unreachable', 0]]);
  });
  it('leaves updates alone', () => {
    const pod: Pod = { spec: { containers: [] } };
    plugin.admit(attrs(pod, 'UPDATE'));
    assert.equal(pod.spec?.tolerations, undefined);
  });
});
