import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { columnsOf } from '../../endpoints/table.js';
import type { ResourceDefinition, StrategyContext } from '../resource.js';
import { storageclasses } from './storage-class.js';

const ctx: StrategyContext = { now: '2024-01-01T00:00:00Z' };
const def = storageclasses as unknown as ResourceDefinition<StorageClass>;
const strategy = def.strategy;

test('storage classes default to Delete and Immediate, and print the default class as kubectl does', () => {
  const sc: StorageClass = { metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'example.com/fast' };
  strategy.defaults!(sc);
  assert.deepEqual([sc.reclaimPolicy, sc.volumeBindingMode], ['Delete', 'Immediate']);
  assert.deepEqual(strategy.validate!(sc, ctx), []);
  const cells = columnsOf(storageclasses).map((c) => c.cell(sc as never, 0));
  assert.deepEqual(cells.slice(0, 5), ['fast (default)', 'example.com/fast', 'Delete', 'Immediate', 'false']);
});

test('storage class validation and immutable fields', () => {
  const bad: StorageClass = { metadata: { name: 'x' }, provisioner: 'not a name!', reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' };
  const msgs = strategy.validate!(bad, ctx).map((e) => e.toString());
  assert.equal(msgs.length, 3, msgs.join('\n'));
  assert.match(msgs[0]!, /^provisioner: Invalid value: "not a name!"/);
  assert.equal(msgs[1], 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"');
  assert.equal(msgs[2], 'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"');
  const old: StorageClass = { metadata: { name: 'x' }, provisioner: 'a.io/p', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', parameters: { k: 'v' } };
  const changed: StorageClass = { ...old, provisioner: 'b.io/p', parameters: { k: 'w' }, volumeBindingMode: 'WaitForFirstConsumer' };
  assert.deepEqual(strategy.validateUpdate!(changed, old, ctx).map((e) => e.toString()), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]);
  assert.deepEqual(strategy.validateUpdate!({ ...old, allowVolumeExpansion: true }, old, ctx), []);
});
