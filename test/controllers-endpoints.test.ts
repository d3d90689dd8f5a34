// The Endpoints, EndpointSlice and mirroring controllers against a real `kite server` with
// simulated nodes: a Service's selected pods appear (named target ports resolved) as they become
// ready and leave when deleted; slices carry the service-name label and conditions; Endpoints of a
// selector-less Service are mirrored into slices; a deleted Service's Endpoints go with it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isNotFound } from '../src/api/status-predicates.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

describe('endpoints controllers against a real kite server', () => {
  const cluster = useCluster({ name: 'endpoints', controllers: true, extraArgs: ['--controllers', 'endpoint,endpointslice,endpointslicemirroring'], nodes: { n1: { labels: { 'topology.kubernetes.io/zone': 'zone-a' } } } });
  const pods = () => cluster.rest.resource<Pod>(resources.PODS).namespace(NS);
  const services = () => cluster.rest.resource<Service>(resources.SERVICES).namespace(NS);
  const endpoints = () => cluster.rest.resource<Endpoints>(resources.ENDPOINTS).namespace(NS);
  const slicesOf = async (svc: string) => (await cluster.rest.resource<EndpointSlice>(resources.ENDPOINTSLICES).namespace(NS).list({ labelSelector: `kubernetes.io/service-name=${svc}` })).items;
  const readyIps = async (svc: string) => {
    try {
      const ep = await endpoints().get(svc);
      return (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };


  it('keeps a selector Service\'s Endpoints and EndpointSlices equal to its ready pods', async () => {
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS, labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    for (const i of [1, 2, 3]) {
      await pods().create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `web-${i}`, namespace: NS, labels: { app: 'web' } },
        spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] },
      });
    }
    await waitUntil('three ready addresses', async () => (await readyIps('web'))?.length === 3, { timeoutMs: 20_000 });
    const ep = await endpoints().get('web');
    assert.deepEqual(ep.subsets?.[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.equal(ep.metadata?.labels?.['tier'], 'front');
    assert.equal(ep.subsets?.[0]?.addresses?.[0]?.targetRef?.kind, 'Pod');

    await waitUntil('a slice with three endpoints', async () => (await slicesOf('web')).reduce((n, s) => n + (s.endpoints?.length ?? 0), 0) === 3, { timeoutMs: 20_000 });
    const [slice] = await slicesOf('web');
    assert.equal(slice!.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice!.addressType, 'IPv4');
    assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.ok(slice!.endpoints.every((e) => e.conditions?.ready === true && e.zone === 'zone-a' && e.nodeName === 'n1'));
    assert.equal(slice!.metadata?.ownerReferences?.[0]?.kind, 'Service');

    await pods().delete('web-2');
    await waitUntil('two addresses after a delete', async () => (await readyIps('web'))?.length === 2, { timeoutMs: 20_000 });
    await waitUntil('two slice endpoints after a delete', async () => (await slicesOf('web')).reduce((n, s) => n + (s.endpoints?.length ?? 0), 0) === 2, { timeoutMs: 20_000 });

    await services().delete('web');
    await waitUntil('endpoints removed with the service', async () => (await readyIps('web')) === undefined, { timeoutMs: 20_000 });
  });

  it('mirrors the Endpoints of a Service without a selector into EndpointSlices', async () => {
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'external', namespace: NS }, spec: { ports: [{ port: 5432 }] } });
    await endpoints().create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external', namespace: NS },
      subsets: [{ addresses: [{ ip: '192.0.2.10' }], notReadyAddresses: [{ ip: '192.0.2.11' }], ports: [{ port: 5432 }] }],
    });
    await waitUntil('a mirrored slice', async () => (await slicesOf('external')).length === 1, { timeoutMs: 20_000 });
    const [slice] = await slicesOf('external');
    assert.equal(slice!.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
    assert.deepEqual(
      slice!.endpoints.map((e) => [e.addresses[0], e.conditions?.ready]).sort(),
      [
        ['192.0.2.10', true],
        ['192.0.2.11', false],
      ],
    );
    // The user's Endpoints are theirs: the Endpoints controller leaves them as written.
    assert.deepEqual((await endpoints().get('external')).subsets?.[0]?.addresses, [{ ip: '192.0.2.10' }]);
    assert.deepEqual(cluster.nodes.problems(), []);
  });
});
