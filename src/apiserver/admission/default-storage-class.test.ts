import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../api/object.js';
import { persistentvolumeclaims } from '../registry/kinds/storage.js';
import type { ResourceDefinition } from '../registry/resource.js';
import type { AdmissionAttributes } from './admission.js';
import { DefaultStorageClass } from './default-storage-class.js';

const sc = (name: string, isDefault: boolean, created = '2026-01-01T00:00:00Z'): StorageClass => ({
  metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner: 'example.com/p',
});
const create = (spec: PersistentVolumeClaim['spec'], annotations?: Record<string, string>): AdmissionAttributes & { object: PersistentVolumeClaim } =>
  ({
    operation: 'CREATE',
    resource: persistentvolumeclaims as unknown as ResourceDefinition,
    namespace: 'default',
    name: 'c',
    object: { metadata: { name: 'c', namespace: 'default', ...(annotations ? { annotations } : {}) }, spec } as KubeObject,
    dryRun: false,
  }) as AdmissionAttributes & { object: PersistentVolumeClaim };

describe('DefaultStorageClass admission', () => {
  const plugin = new DefaultStorageClass(async () => [sc('slow', false), sc('old', true), sc('new', true, '2026-02-01T00:00:00Z')]);
  it('gives a claim without a class the newest default class', async () => {
    const attrs = create({ resources: { requests: { storage: '1Gi' } } });
    await plugin.admit(attrs);
    assert.equal(attrs.object.spec?.storageClassName, 'new');
  });
  it('keeps an explicit class, an explicit "" and the beta annotation', async () => {
    for (const [spec, ann] of [[{ storageClassName: 'slow' }, undefined], [{ storageClassName: '' }, undefined], [{}, { 'volume.beta.kubernetes.io/storage-class': 'slow' }]] as const) {
      const attrs = create({ ...spec }, ann);
      await plugin.admit(attrs);
      assert.equal(attrs.object.spec?.storageClassName, 'storageClassName' in spec ? spec.storageClassName : undefined);
    }
  });
  it('leaves the claim alone without a default class', async () => {
    const attrs = create({});
    await new DefaultStorageClass(async () => [sc('slow', false)]).admit(attrs);
    assert.equal(attrs.object.spec?.storageClassName, undefined);
  });
});
