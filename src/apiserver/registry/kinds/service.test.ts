import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StrategyContext } from '../resource.js';
import type { ServiceObj } from './service.js';
import { serviceStrategy, services } from './service.js';

const ctx: StrategyContext = { now: '2024-01-01T00:00:00Z', namespace: 'default' };

test('service defaults', () => {
  const s: ServiceObj = { metadata: { name: 's' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } };
  serviceStrategy.defaults!(s);
  serviceStrategy.prepareForCreate!(s, ctx);
  assert.deepEqual(s.spec, {
    selector: { app: 'a' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  assert.deepEqual(serviceStrategy.validate!(s, ctx), []);
});

test('service port validation', () => {
  const s: ServiceObj = { metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 0, name: 'b' }, { port: 81, name: 'b' }], clusterIP: '10.0.0.300' } };
  serviceStrategy.defaults!(s);
  serviceStrategy.prepareForCreate!(s, ctx);
  const msgs = serviceStrategy.validate!(s, ctx).map((e) => e.toString());
  assert.ok(msgs.includes('spec.ports[0].name: Required value'), msgs.join('\n'));
  assert.ok(msgs.includes('spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive'));
  assert.ok(msgs.includes('spec.ports[2].name: Duplicate value: "b"'));
  assert.ok(msgs.includes('spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
});

test('service table cells', () => {
  const s: ServiceObj = {
    metadata: { name: 's' },
    spec: { type: 'NodePort', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { b: '2', a: '1' } },
  };
  const cells = Object.fromEntries((services.columns ?? []).map((c) => [c.name, c.cell(s, 0)]));
  assert.deepEqual(cells, { Type: 'NodePort', 'Cluster-IP': '10.96.0.10', 'External-IP': '<none>', 'Port(s)': '80:30080/TCP,53/UDP', Age: '<unknown>', Selector: 'a=1,b=2' });
  const lb: ServiceObj = { metadata: { name: 'l' }, spec: { type: 'LoadBalancer' } };
  assert.equal(services.columns![2]!.cell(lb, 0), '<pending>');
});
