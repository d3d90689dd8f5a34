// Quota evaluation: pod usage (init containers as a max, terminal pods), scopes, the cpu/memory
// constraint message, services, claims, counts, and the list arithmetic the messages print.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { addLists, chargesOperation, lessThanOrEqual, objectUsage, podConstraintViolation, podUsage, prettyPrint, quotaMatches, subtractNonNegative } from './index.js';

const pod = (containers: Array<{ name: string; requests?: Record<string, string>; limits?: Record<string, string> }>, extra: Partial<Pod['spec']> = {}, phase?: string): Pod => ({
  metadata: { name: 'p' },
  spec: { containers: containers.map((c) => ({ name: c.name, resources: { requests: c.requests, limits: c.limits } })), ...extra },
  ...(phase ? { status: { phase } } : {}),
});

describe('quota evaluation', () => {
  it('charges app containers summed, init containers as a max', () => {
    const p = pod([{ name: 'a', requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '200m' } }, { name: 'b', requests: { cpu: '300m' } }], {
      initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }],
    });
    const u = podUsage(p, 0);
    assert.equal(u['pods'], '1');
    assert.equal(u['count/pods'], '1');
    assert.equal(u['requests.cpu'], '1');
    assert.equal(u['cpu'], '1');
    assert.equal(u['requests.memory'], '1Gi');
    assert.equal(u['limits.cpu'], '200m');
  });
  it('charges a terminal pod only its count', () => {
    assert.deepEqual(podUsage(pod([{ name: 'a', requests: { cpu: '1' } }], {}, 'Succeeded'), 0), { 'count/pods': '1' });
  });
  it('names the containers missing a constrained resource', () => {
    const p = pod([{ name: 'c', requests: { cpu: '1' } }, { name: 'b', requests: { cpu: '1' }, limits: { cpu: '1' } }]);
    assert.equal(podConstraintViolation(p, ['limits.cpu', 'requests.cpu', 'pods']), 'must specify limits.cpu for: c');
    assert.equal(podConstraintViolation(p, ['requests.cpu']), undefined);
  });
  it('matches scopes only on pods', () => {
    const rq = (spec: ResourceQuota['spec']): ResourceQuota => ({ metadata: { name: 'q' }, spec });
    const bestEffort = pod([{ name: 'a' }]);
    const burstable = pod([{ name: 'a', requests: { cpu: '1' } }], { activeDeadlineSeconds: 10, priorityClassName: 'high' });
    assert.equal(quotaMatches(rq({ hard: { pods: '1' }, scopes: ['BestEffort'] }), '', 'pods', bestEffort), true);
    assert.equal(quotaMatches(rq({ hard: { pods: '1' }, scopes: ['BestEffort'] }), '', 'pods', burstable), false);
    assert.equal(quotaMatches(rq({ hard: { pods: '1' }, scopes: ['Terminating', 'NotBestEffort'] }), '', 'pods', burstable), true);
    assert.equal(quotaMatches(rq({ hard: { pods: '1' }, scopes: ['NotTerminating'] }), '', 'pods', burstable), false);
    const byClass = rq({ hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } });
    assert.equal(quotaMatches(byClass, '', 'pods', burstable), true);
    assert.equal(quotaMatches(byClass, '', 'pods', bestEffort), false);
    assert.equal(quotaMatches(rq({ hard: { configmaps: '1' }, scopes: ['BestEffort'] }), '', 'configmaps', {}), false);
    assert.equal(quotaMatches(rq({ hard: { configmaps: '1' } }), '', 'configmaps', {}), true);
    assert.equal(quotaMatches(rq({ hard: { 'count/deployments.apps': '1' } }), 'apps', 'deployments', {}), true);
  });
  it('charges services, claims and counts', () => {
    assert.deepEqual(objectUsage('', 'services', { spec: { type: 'LoadBalancer', ports: [{ port: 1 }, { port: 2 }] } }, 0), {
      services: '1',
      'count/services': '1',
      'services.loadbalancers': '1',
      'services.nodeports': '2',
    });
    assert.equal(objectUsage('', 'persistentvolumeclaims', { spec: { resources: { requests: { storage: '1Gi' } } } }, 0)['requests.storage'], '1Gi');
    assert.deepEqual(objectUsage('', 'configmaps', {}, 0), { configmaps: '1', 'count/configmaps': '1' });
    assert.deepEqual(objectUsage('apps', 'deployments', {}, 0), { 'count/deployments.apps': '1' });
  });
  it('adds, compares and prints lists', () => {
    const used = addLists({ 'requests.cpu': '1' }, { 'requests.cpu': '500m', pods: '1' });
    assert.equal(prettyPrint(used), 'pods=1,requests.cpu=1500m');
    assert.deepEqual(lessThanOrEqual(used, { 'requests.cpu': '1', pods: '2' }), { ok: false, exceeded: ['requests.cpu'] });
  });
});

describe('updates', () => {
  it('charge only what the new object adds, never a negative amount', () => {
    assert.deepEqual(subtractNonNegative({ 'services.nodeports': '2', services: '1' }, { services: '1' }), { 'services.nodeports': '2', services: '0' });
    assert.deepEqual(subtractNonNegative({ 'requests.storage': '1Gi' }, { 'requests.storage': '2Gi' }), { 'requests.storage': '0' });
  });

  it('are charged for services and claims only; creates always', () => {
    assert.equal(chargesOperation('', 'services', 'UPDATE'), true);
    assert.equal(chargesOperation('', 'persistentvolumeclaims', 'UPDATE'), true);
    assert.equal(chargesOperation('', 'pods', 'UPDATE'), false);
    assert.equal(chargesOperation('apps', 'deployments', 'UPDATE'), false);
    assert.equal(chargesOperation('apps', 'deployments', 'CREATE'), true);
  });
});
