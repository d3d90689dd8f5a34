// FindMatchingVolume's choices: smallest fit, class, access modes, selector, pre-binding, delayed
// binding, node affinity and exclusions; and the binding halves' annotations.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, claimBoundTo, volumeBoundTo } from './binding.js';
import { findMatchingVolume, volumeSatisfiesClaim } from './pv-matching.js';
import { defaultClassOf } from './storage-class.js';

const pv = (name: string, size: string, o: { cls?: string; modes?: string[]; labels?: Record<string, string>; phase?: string; claim?: { name: string; uid?: string } } = {}): PersistentVolume => ({
  metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
  spec: {
    capacity: { storage: size },
    accessModes: o.modes ?? ['ReadWriteOnce'],
    storageClassName: o.cls ?? 'manual',
    hostPath: { path: `/tmp/${name}` },
    ...(o.claim ? { claimRef: { namespace: 'ns', name: o.claim.name, ...(o.claim.uid ? { uid: o.claim.uid } : {}) } } : {}),
  },
  status: { phase: o.phase ?? 'Available' },
});
const pvc = (size: string, o: { cls?: string; modes?: string[]; selector?: Record<string, string> } = {}): PersistentVolumeClaim => ({
  metadata: { name: 'c', namespace: 'ns', uid: 'u1' },
  spec: {
    storageClassName: o.cls ?? 'manual',
    accessModes: o.modes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: size } },
    ...(o.selector ? { selector: { matchLabels: o.selector } } : {}),
  },
});
const names = (v: PersistentVolume | undefined) => v?.metadata?.name;

describe('findMatchingVolume', () => {
  it('picks the smallest available volume that covers the request', () => {
    const vols = [pv('big', '10Gi'), pv('small', '512Mi'), pv('fit', '2Gi'), pv('fit2', '5Gi')];
    assert.equal(names(findMatchingVolume(pvc('1Gi'), vols)), 'fit');
    assert.equal(names(findMatchingVolume(pvc('20Gi'), vols)), undefined);
  });
  it('requires the class, the access modes, the selector and the Available phase', () => {
    assert.equal(names(findMatchingVolume(pvc('1Gi', { cls: 'fast' }), [pv('a', '1Gi')])), undefined);
    assert.equal(names(findMatchingVolume(pvc('1Gi', { modes: ['ReadWriteMany'] }), [pv('a', '1Gi'), pv('b', '5Gi', { modes: ['ReadWriteOnce', 'ReadWriteMany'] })])), 'b');
    assert.equal(names(findMatchingVolume(pvc('1Gi', { selector: { tier: 'gold' } }), [pv('a', '1Gi'), pv('b', '3Gi', { labels: { tier: 'gold' } })])), 'b');
    assert.equal(names(findMatchingVolume(pvc('1Gi'), [pv('a', '1Gi', { phase: 'Released' })])), undefined);
    assert.equal(names(findMatchingVolume(pvc('1Gi'), [pv('a', '1Gi', { claim: { name: 'other' } })])), undefined, 'reserved for another claim');
  });
  it('prefers a volume pre-bound to the claim, even when delayed binding skips the others', () => {
    const vols = [pv('small', '1Gi'), pv('mine', '8Gi', { claim: { name: 'c' }, phase: 'Pending' })];
    assert.equal(names(findMatchingVolume(pvc('1Gi'), vols)), 'mine');
    assert.equal(names(findMatchingVolume(pvc('1Gi'), [pv('small', '1Gi')], { delayBinding: true })), undefined);
    assert.equal(names(findMatchingVolume(pvc('1Gi'), vols, { delayBinding: true })), 'mine');
    assert.equal(names(findMatchingVolume(pvc('1Gi'), [pv('mine', '8Gi', { claim: { name: 'c', uid: 'other-uid' } })])), undefined, 'an older claim of the same name');
  });
  it('on the scheduler path, the node affinity and exclusions count', () => {
    const vols = [pv('a', '1Gi'), pv('b', '2Gi')];
    assert.equal(names(findMatchingVolume(pvc('1Gi'), vols, { nodeAffinityMatches: (v) => v.metadata?.name === 'b' })), 'b');
    assert.equal(names(findMatchingVolume(pvc('1Gi'), vols, { nodeAffinityMatches: () => true, excluded: new Set(['a']) })), 'b');
  });
  it('explains why a named volume cannot serve a claim', () => {
    assert.equal(volumeSatisfiesClaim(pvc('2Gi'), pv('a', '1Gi')), 'requested PV is too small');
    assert.equal(volumeSatisfiesClaim(pvc('1Gi', { cls: 'x' }), pv('a', '1Gi')), 'storageClassName does not match');
    assert.equal(volumeSatisfiesClaim(pvc('1Gi'), pv('a', '1Gi')), undefined);
  });
});

describe('binding halves', () => {
  it('marks what the controller set', () => {
    const v = volumeBoundTo(pv('a', '1Gi'), pvc('1Gi'))!;
    assert.deepEqual([v.spec?.claimRef?.name, v.spec?.claimRef?.uid, v.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER]], ['c', 'u1', 'yes']);
    assert.equal(volumeBoundTo(v, pvc('1Gi')), undefined, 'already bound');
    const userBound = volumeBoundTo(pv('a', '1Gi', { claim: { name: 'c' } }), pvc('1Gi'))!;
    assert.equal(userBound.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER], undefined, 'a user pre-bound it');
    const c = claimBoundTo(pvc('1Gi'), v)!;
    assert.deepEqual([c.spec?.volumeName, c.metadata?.annotations?.[ANN_BIND_COMPLETED], c.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER]], ['a', 'yes', 'yes']);
    assert.equal(claimBoundTo(c, v), undefined);
  });
});

describe('defaultClassOf', () => {
  it('picks the newest class marked default', () => {
    const sc = (name: string, created: string, def: boolean) => ({
      metadata: { name, creationTimestamp: created, ...(def ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
      provisioner: 'p',
    });
    assert.equal(defaultClassOf([sc('a', '2026-01-01T00:00:00Z', true), sc('b', '2026-01-02T00:00:00Z', true), sc('c', '2026-01-03T00:00:00Z', false)])?.metadata?.name, 'b');
    assert.equal(defaultClassOf([sc('c', '2026-01-03T00:00:00Z', false)]), undefined);
  });
});
