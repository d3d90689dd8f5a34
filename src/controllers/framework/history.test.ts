import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { CONTROLLER_REVISION_HASH_LABEL, equalRevision, newRevision, nextRevision, revisionsToTruncate, sortRevisions, templateOf } from './history.js';

const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true };
const template = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });
const rev = (name: string, revision: number): ControllerRevision => ({ metadata: { name }, revision });

describe('controller revisions', () => {
  it('names a revision <owner>-<hash>, labels it as the template plus the hash, and stores the replace patch', () => {
    const r = newRevision(owner, ref, template('v1'), 1, 0);
    const hash = r.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    assert.ok(hash);
    assert.equal(r.metadata?.name, `web-${hash}`);
    assert.equal(r.metadata?.labels?.app, 'web');
    assert.deepEqual(r.data, { spec: { template: { ...template('v1'), $patch: 'replace' } } });
    assert.deepEqual(templateOf(r), template('v1'));
    assert.deepEqual(r.metadata?.ownerReferences, [ref]);
  });

  it('hashes change with the template and with the collision count, not with the revision number', () => {
    const a = newRevision(owner, ref, template('v1'), 1, 0);
    assert.equal(newRevision(owner, ref, template('v1'), 7, 0).metadata?.name, a.metadata?.name);
    assert.notEqual(newRevision(owner, ref, template('v2'), 1, 0).metadata?.name, a.metadata?.name);
    assert.notEqual(newRevision(owner, ref, template('v1'), 1, 1).metadata?.name, a.metadata?.name);
    assert.ok(equalRevision(a, newRevision(owner, ref, template('v1'), 2, 3)), 'equality is by data');
    assert.ok(!equalRevision(a, newRevision(owner, ref, template('v2'), 1, 0)));
  });

  it('sorts by revision, numbers the next one, and truncates the oldest non-live beyond the limit', () => {
    const sorted = sortRevisions([rev('c', 3), rev('a', 1), rev('b', 2), rev('d', 4)]);
    assert.deepEqual(sorted.map((r) => r.metadata?.name), ['a', 'b', 'c', 'd']);
    assert.equal(nextRevision(sorted), 5);
    assert.equal(nextRevision([]), 1);
    assert.deepEqual(revisionsToTruncate(sorted, new Set(['d', 'a']), 1).map((r) => r.metadata?.name), ['b']);
    assert.deepEqual(revisionsToTruncate(sorted, new Set(['d']), 0).map((r) => r.metadata?.name), ['a', 'b', 'c']);
    assert.deepEqual(revisionsToTruncate(sorted, new Set(), 10), []);
  });
});
