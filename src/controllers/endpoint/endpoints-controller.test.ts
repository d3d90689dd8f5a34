import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { desiredGroups } from '../endpointslice/endpointslice-controller.js';
import { desiredSubsets } from './endpoints-controller.js';

const svc = (spec: Partial<Service['spec']> = {}): Service => ({
  metadata: { name: 'web', namespace: 'default', uid: 'svc' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec },
});
function pod(name: string, ip: string, opts: { ready?: boolean; port?: number; deleting?: boolean; phase?: string; labels?: Record<string, string> } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: opts.labels ?? { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i', ports: opts.port ? [{ name: 'http', containerPort: opts.port }] : [] }] },
    status: { phase: opts.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

describe('endpoints of a service', () => {
  it('lists ready and not-ready pods by resolved named port; skips pods without the port, terminal and deleted ones', () => {
    const pods = [pod('a', '10.0.0.2', { port: 8080 }), pod('b', '10.0.0.1', { port: 8080, ready: false }), pod('c', '10.0.0.3', { port: 9090 }), pod('d', '10.0.0.4'), pod('e', '10.0.0.5', { port: 8080, phase: 'Succeeded' }), pod('f', '10.0.0.6', { port: 8080, deleting: true }), pod('g', '10.0.0.7', { port: 8080, labels: { app: 'other' } })];
    const subsets = desiredSubsets(svc(), pods);
    assert.deepEqual(
      subsets.map((s) => ({ ready: s.addresses?.map((a) => a.ip), notReady: s.notReadyAddresses?.map((a) => a.ip), ports: s.ports?.map((p) => p.port) })),
      [
        { ready: ['10.0.0.2'], notReady: ['10.0.0.1'], ports: [8080] },
        { ready: ['10.0.0.3'], notReady: undefined, ports: [9090] },
      ],
    );
    assert.deepEqual(subsets[0]!.addresses![0]!.targetRef, { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' });
  });

  it('publishNotReadyAddresses makes every pod ready, terminating ones included', () => {
    const subsets = desiredSubsets(svc({ publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] }), [pod('a', '10.0.0.1', { ready: false }), pod('b', '10.0.0.2', { deleting: true })]);
    assert.deepEqual(subsets[0]!.addresses?.map((a) => a.ip), ['10.0.0.1', '10.0.0.2']);
  });

  it('slices carry ready/serving/terminating conditions and include terminating pods', () => {
    const groups = desiredGroups(svc({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }), [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { deleting: true }), pod('c', '10.0.0.3', { ready: false })], () => 'zone-a');
    assert.equal(groups.length, 1);
    assert.deepEqual(
      groups[0]!.endpoints.map((e) => [e.targetRef?.name, e.conditions, e.zone]),
      [
        ['a', { ready: true, serving: true, terminating: false }, 'zone-a'],
        ['b', { ready: false, serving: true, terminating: true }, 'zone-a'],
        ['c', { ready: false, serving: false, terminating: false }, 'zone-a'],
      ],
    );
    assert.deepEqual(groups[0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('a headless service without ports still lists its pods', () => {
    const subsets = desiredSubsets(svc({ clusterIP: 'None', ports: [] }), [pod('a', '10.0.0.1')]);
    assert.deepEqual(subsets, [{ addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }] }]);
  });
});
