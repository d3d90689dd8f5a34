import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StrategyContext } from '../resource.js';
import { nameValidatorFor } from '../builtin.js';
import type { NamespaceObj } from './namespace.js';
import { namespaceFinalizeStrategy, namespaceStrategy, namespaces } from './namespace.js';

const ctx: StrategyContext = { now: '2024-01-01T00:00:00Z' };

test('a new namespace is Active with the kubernetes finalizer and the name label', () => {
  const ns: NamespaceObj = { metadata: { name: 'team-a' } };
  namespaceStrategy.defaults!(ns);
  namespaceStrategy.prepareForCreate!(ns, ctx);
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  assert.equal(ns.metadata?.labels?.['kubernetes.io/metadata.name'], 'team-a');
  assert.equal(namespaces.columns![0]!.cell(ns, 0), 'Active');
  assert.equal(namespaces.fields!['status.phase']!(ns), 'Active');
  assert.ok(!namespaces.verbs!.includes('deletecollection'));
});

test('updates keep finalizers and status; /finalize changes only finalizers', () => {
  const old: NamespaceObj = { metadata: { name: 'a' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } };
  const upd: NamespaceObj = { metadata: { name: 'a' }, spec: { finalizers: [] }, status: { phase: 'Active' } };
  namespaceStrategy.prepareForUpdate!(upd, old, ctx);
  assert.deepEqual(upd.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(upd.status, { phase: 'Terminating' });
  const fin: NamespaceObj = { metadata: { name: 'a' }, spec: { finalizers: [] }, status: { phase: 'Active' } };
  namespaceFinalizeStrategy.prepareForUpdate!(fin, old, ctx);
  assert.deepEqual(fin.spec, { finalizers: [] });
  assert.deepEqual(fin.status, { phase: 'Terminating' });
});

test('namespace names are DNS labels', () => {
  const v = nameValidatorFor({ group: '', resource: 'namespaces' });
  assert.deepEqual(v('ok-name', false), []);
  assert.deepEqual(v('a.b', false), ['must not contain dots']);
  assert.equal(v('Bad', false).length, 1);
});
