// The namespace deletion conditions: ok variants, failing variants with Kubernetes' messages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyProblems, updateConditions } from './conditions.js';

describe('namespace deletion conditions', () => {
  it('are all False with their ok reasons after a clean pass, and unchanged the second time', () => {
    const first = updateConditions([], emptyProblems(), 't1');
    assert.equal(first.changed, true);
    assert.deepEqual(first.conditions.map((c) => [c.type, c.status, c.reason]), [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ]);
    assert.equal(updateConditions(first.conditions, emptyProblems(), 't2').changed, false);
  });

  it('report what remains, with sorted, Kubernetes-worded messages', () => {
    const p = emptyProblems();
    p.remaining.set('widgets.example.com', 2).set('pods.', 1);
    p.finalizers.set('example.com/hold', 2);
    p.discoveryFailures.push('metrics.k8s.io/v1beta1: the server is currently unable to handle the request');
    p.deleteErrors.push('unexpected items still remain in namespace: x for gvr: /v1, Resource=pods');
    const { conditions } = updateConditions([], p, 't');
    const byType = new Map(conditions.map((c) => [c.type, c]));
    assert.equal(byType.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: pods. has 1 resource instances, widgets.example.com has 2 resource instances');
    assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances');
    assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'DiscoveryFailed');
    assert.match(byType.get('NamespaceDeletionDiscoveryFailure')?.message ?? '', /^Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics/);
    assert.equal(byType.get('NamespaceDeletionContentFailure')?.message, 'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: x for gvr: /v1, Resource=pods');
  });
});
