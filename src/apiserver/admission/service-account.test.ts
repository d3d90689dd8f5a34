// ServiceAccount admission: the default account, the token volume and mounts as Kubernetes adds
// them, opting out, the lookups of a missing account, and what is left alone.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import type { ResourceDefinition } from '../registry/resource.js';
import type { AdmissionAttributes } from './admission.js';
import { SERVICE_ACCOUNT_MOUNT_PATH, ServiceAccountAdmission, tokenVolume } from './service-account.js';

const pods = { group: '', version: 'v1', resource: 'pods' } as unknown as ResourceDefinition;
const attrs = (pod: Pod, operation: AdmissionAttributes['operation'] = 'CREATE'): AdmissionAttributes => ({ operation, resource: pods, namespace: 'ns', name: pod.metadata?.name, object: pod, dryRun: false });

function plugin(accounts: Record<string, ServiceAccount>, clock = new FakeClock()) {
  const lookups: string[] = [];
  const admission = new ServiceAccountAdmission({
    getServiceAccount: async (ns, name) => {
      lookups.push(`${ns}/${name}`);
      return accounts[name];
    },
    clock,
    random: () => 0,
  });
  return { admission, lookups, clock };
}

describe('ServiceAccount admission', () => {
  it('runs a pod as default and mounts the kube-api-access volume in every container and init container', async () => {
    const { admission } = plugin({ default: {} });
    const pod: Pod = { metadata: { name: 'p' }, spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a', volumeMounts: [{ name: 'data', mountPath: '/data' }] }, { name: 'b' }], volumes: [{ name: 'data', emptyDir: {} }] } };
    await admission.admit(attrs(pod));
    const mount = { name: 'kube-api-access-bbbbb', readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
    assert.equal(pod.spec?.serviceAccountName, 'default');
    assert.deepEqual(pod.spec?.volumes, [{ name: 'data', emptyDir: {} }, tokenVolume('kube-api-access-bbbbb')]);
    assert.deepEqual(pod.spec?.initContainers?.[0]?.volumeMounts, [mount]);
    assert.deepEqual(pod.spec?.containers[0]?.volumeMounts, [{ name: 'data', mountPath: '/data' }, mount]);
    assert.deepEqual(pod.spec?.containers[1]?.volumeMounts, [mount]);
  });

  it('reuses an existing kube-api-access volume and leaves containers with their own mount at the path', async () => {
    const { admission } = plugin({ default: {} });
    const own = { name: 'mine', mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
    const pod: Pod = { spec: { containers: [{ name: 'a', volumeMounts: [own] }, { name: 'b' }], volumes: [{ name: 'kube-api-access-xyz12', emptyDir: {} }] } };
    await admission.admit(attrs(pod));
    assert.deepEqual(pod.spec?.volumes, [{ name: 'kube-api-access-xyz12', emptyDir: {} }]);
    assert.deepEqual(pod.spec?.containers[0]?.volumeMounts, [own]);
    assert.deepEqual(pod.spec?.containers[1]?.volumeMounts, [{ name: 'kube-api-access-xyz12', readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }]);
  });

  it('mounts nothing when the pod, or else the account, turns automount off; copies the account’s pull secrets', async () => {
    const { admission } = plugin({ quiet: { automountServiceAccountToken: false, imagePullSecrets: [{ name: 'reg' }] }, default: {} });
    const quiet: Pod = { spec: { serviceAccountName: 'quiet', containers: [{ name: 'a' }] } };
    await admission.admit(attrs(quiet));
    assert.equal(quiet.spec?.volumes, undefined);
    assert.equal(quiet.spec?.containers[0]?.volumeMounts, undefined);
    assert.deepEqual(quiet.spec?.imagePullSecrets, [{ name: 'reg' }]);
    const podSays: Pod = { spec: { serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [{ name: 'a' }] } };
    await admission.admit(attrs(podSays));
    assert.equal(podSays.spec?.volumes?.length, 1, "the pod's word wins");
    const off: Pod = { spec: { automountServiceAccountToken: false, containers: [{ name: 'a' }] } };
    await admission.admit(attrs(off));
    assert.equal(off.spec?.volumes, undefined);
  });

  it('refuses a pod whose account does not exist with 403; a missing default is looked up ten times', async () => {
    const { admission, lookups, clock } = plugin({});
    await assert.rejects(admission.admit(attrs({ metadata: { name: 'p' }, spec: { serviceAccountName: 'ghost', containers: [] } })), (err: { status?: { code: number; reason: string; message: string } }) => {
      assert.equal(err.status?.code, 403);
      assert.equal(err.status?.reason, 'Forbidden');
      assert.equal(err.status?.message, 'pods "p" is forbidden: error looking up service account ns/ghost: serviceaccount "ghost" not found');
      return true;
    });
    assert.deepEqual(lookups, ['ns/ghost']);
    lookups.length = 0;
    const pending = admission.admit(attrs({ metadata: { name: 'p' }, spec: { containers: [] } }));
    const refused = assert.rejects(pending, /error looking up service account ns\/default: serviceaccount "default" not found/);
    for (let i = 0; i < 10; i++) await clock.step(100);
    await refused;
    assert.equal(lookups.length, 10);
  });

  it('leaves updates, subresources, other resources and mirror pods alone', async () => {
    const { admission, lookups } = plugin({ default: {} });
    const pod = (): Pod => ({ spec: { containers: [{ name: 'a' }] } });
    const update = pod();
    await admission.admit(attrs(update, 'UPDATE'));
    await admission.admit({ ...attrs(pod()), subresource: 'status' });
    await admission.admit({ ...attrs(pod()), resource: { group: '', resource: 'configmaps' } as unknown as ResourceDefinition });
    const mirror: Pod = { metadata: { annotations: { 'kubernetes.io/config.mirror': 'x' } }, spec: { containers: [{ name: 'a' }] } };
    await admission.admit(attrs(mirror));
    assert.deepEqual(update, pod());
    assert.deepEqual(mirror.spec, { containers: [{ name: 'a' }] });
    assert.deepEqual(lookups, []);
  });

  it('refuses mirror pods that reference a service account, secrets or token projections', async () => {
    const { admission } = plugin({ default: {} });
    const mirror = (spec: Partial<Pod['spec']>): Pod => ({ metadata: { name: 'm', annotations: { 'kubernetes.io/config.mirror': 'x' } }, spec: { containers: [{ name: 'a' }], ...spec } });
    const refused = async (pod: Pod, message: string) => {
      await assert.rejects(async () => admission.validate(attrs(pod)), (err: Error) => {
        assert.match(err.message, new RegExp(message));
        assert.equal((err as Error & { status?: { code?: number } }).status?.code, 403);
        return true;
      });
    };
    admission.validate(attrs(mirror({})));
    admission.validate(attrs(mirror({ volumes: [{ name: 'c', configMap: { name: 'c' } }] })));
    await refused(mirror({ serviceAccountName: 'default' }), 'a mirror pod may not reference service accounts');
    await refused(mirror({ volumes: [{ name: 's', secret: { secretName: 's' } }] }), 'a mirror pod may not reference secrets');
    await refused(mirror({ imagePullSecrets: [{ name: 'r' }] }), 'a mirror pod may not reference secrets');
    await refused(mirror({ containers: [{ name: 'a', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }), 'a mirror pod may not reference secrets');
    await refused(mirror({ volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] }), 'a mirror pod may not use ServiceAccountToken volume projections');
    // other pods are not its concern here
    admission.validate(attrs({ spec: { containers: [{ name: 'a' }], serviceAccountName: 'x' } }));
  });
});
