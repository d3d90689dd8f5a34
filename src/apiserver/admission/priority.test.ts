import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { StatusError } from '../../api/status.js';
import type { KubeObject } from '../../api/object.js';
import { pods } from '../registry/kinds/pod.js';
import { priorityclasses } from '../registry/kinds/cluster-misc.js';
import type { ResourceDefinition } from '../registry/resource.js';
import type { AdmissionAttributes } from './admission.js';
import { PriorityAdmission, SYSTEM_PRIORITY_CLASSES } from './priority.js';

const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });

function admission(classes: PriorityClass[]): PriorityAdmission {
  return new PriorityAdmission({ get: async (name) => classes.find((c) => c.metadata?.name === name), list: async () => classes });
}

function podCreate(spec: Partial<Pod['spec']> = {}): AdmissionAttributes & { object: Pod } {
  const object: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } };
  return { operation: 'CREATE', resource: pods as unknown as ResourceDefinition, namespace: 'default', name: 'p', object: object as KubeObject, dryRun: false } as AdmissionAttributes & { object: Pod };
}

describe('Priority admission', () => {
  it('resolves priorityClassName to priority and preemptionPolicy', async () => {
    const attrs = podCreate({ priorityClassName: 'high' });
    await admission([pc('high', 1000, { preemptionPolicy: 'Never' })]).admit(attrs);
    assert.equal(attrs.object.spec?.priority, 1000);
    assert.equal(attrs.object.spec?.preemptionPolicy, 'Never');
  });

  it('uses the global default class (the lowest value if several), else priority 0', async () => {
    const attrs = podCreate();
    await admission([pc('a', 10, { globalDefault: true }), pc('b', 5, { globalDefault: true }), pc('c', 1)]).admit(attrs);
    assert.equal(attrs.object.spec?.priorityClassName, 'b');
    assert.equal(attrs.object.spec?.priority, 5);
    const none = podCreate();
    await admission([]).admit(none);
    assert.equal(none.object.spec?.priority, 0);
    assert.equal(none.object.spec?.preemptionPolicy, 'PreemptLowerPriority');
  });

  it('refuses an unknown class and a priority that disagrees with the class (403)', async () => {
    const forbidden = (message: RegExp) => (err: unknown) => err instanceof StatusError && err.status.code === 403 && message.test(err.status.message ?? '');
    await assert.rejects(admission([]).admit(podCreate({ priorityClassName: 'nope' })), forbidden(/no PriorityClass with name nope was found/));
    await assert.rejects(admission([pc('high', 1000)]).admit(podCreate({ priorityClassName: 'high', priority: 7 })), forbidden(/the integer value of priority \(7\) must not be provided in pod spec; priority admission controller computed 1000/));
    const same = podCreate({ priorityClassName: 'high', priority: 1000 });
    await admission([pc('high', 1000)]).admit(same);
    assert.equal(same.object.spec?.priority, 1000);
  });

  it('knows the system classes', async () => {
    const attrs = podCreate({ priorityClassName: 'system-node-critical' });
    await admission([...SYSTEM_PRIORITY_CLASSES]).admit(attrs);
    assert.equal(attrs.object.spec?.priority, 2000001000);
  });

  it('allows one global default PriorityClass only', async () => {
    const attrs = { operation: 'CREATE', resource: priorityclasses as unknown as ResourceDefinition, name: 'second', object: pc('second', 1, { globalDefault: true }) as KubeObject, dryRun: false } as AdmissionAttributes;
    await assert.rejects(admission([pc('first', 2, { globalDefault: true })]).validate(attrs), /PriorityClass first is already marked as default. Only one default can exist/);
    await admission([pc('first', 2)]).validate(attrs);
  });
});
