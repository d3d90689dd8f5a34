// The graph builder: nodes and edges from informer events, virtual owners, and what it queues.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, OwnerReference } from '../../api/object.js';
import { GraphBuilder } from './graph-builder.js';
import type { GraphNode } from './graph.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `n-${uid}`, uid, ...(block ? { blockOwnerDeletion: true } : {}) });
const obj = (uid: string, owners: OwnerReference[] = [], extra: Partial<NonNullable<KubeObject['metadata']>> = {}): KubeObject => ({
  metadata: { name: `n-${uid}`, namespace: 'ns', uid, ownerReferences: owners, ...extra },
});

function setup() {
  const deletes: string[] = [];
  const orphans: string[] = [];
  const builder = new GraphBuilder({
    attemptToDelete: (n: GraphNode) => deletes.push(n.identity.uid),
    attemptToOrphan: (n: GraphNode) => orphans.push(n.identity.uid),
  });
  return { builder, deletes, orphans };
}

describe('GraphBuilder', () => {
  it('links dependents to owners, making a virtual owner to verify when the owner is unseen', () => {
    const { builder, deletes } = setup();
    builder.upsert(obj('child', [ref('owner')]), CM);
    const owner = builder.graph.get('owner');
    assert.ok(owner && !owner.observed, 'a virtual owner');
    assert.deepEqual(deletes, ['owner']);
    builder.upsert(obj('owner'), CM);
    assert.equal(builder.graph.get('owner')?.observed, true);
    assert.deepEqual([...owner.dependents].map((d) => d.identity.uid), ['child']);
  });

  it('queues the dependents of a deleted owner (background deletion)', () => {
    const { builder, deletes } = setup();
    builder.upsert(obj('owner'), CM);
    builder.upsert(obj('a', [ref('owner')]), CM);
    builder.upsert(obj('b', [ref('owner')]), CM);
    builder.remove('owner');
    assert.deepEqual(deletes.sort(), ['a', 'b']);
    assert.equal(builder.graph.get('owner'), undefined);
  });

  it('foreground: an owner with foregroundDeletion queues its dependents and itself; a removed blocking dependent queues it again', () => {
    const { builder, deletes } = setup();
    builder.upsert(obj('owner'), CM);
    builder.upsert(obj('a', [ref('owner', true)]), CM);
    builder.upsert(obj('owner', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }), CM);
    const owner = builder.graph.get('owner')!;
    assert.equal(owner.deletingDependents, true);
    assert.deepEqual(owner.blockingDependents().map((n) => n.identity.uid), ['a']);
    assert.deepEqual(deletes, ['a', 'owner']);
    deletes.length = 0;
    builder.remove('a');
    assert.deepEqual(deletes, ['owner']);
    assert.equal(owner.blockingDependents().length, 0);
  });

  it('orphan: an owner marked with the orphan finalizer is queued to orphan', () => {
    const { builder, orphans } = setup();
    builder.upsert(obj('owner', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] }), CM);
    assert.deepEqual(orphans, ['owner']);
  });

  it('an owner reference removed from a dependent unlinks it and unblocks a waiting owner', () => {
    const { builder, deletes } = setup();
    builder.upsert(obj('owner', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }), CM);
    builder.upsert(obj('a', [ref('owner', true)]), CM);
    deletes.length = 0;
    builder.upsert(obj('a', []), CM);
    assert.deepEqual(deletes, ['owner']);
    assert.equal(builder.graph.get('owner')?.dependents.size, 0);
  });
});
