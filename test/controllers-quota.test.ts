// ResourceQuota against a real `kite server` running the ResourceQuota controller: status.hard and
// status.used follow creates and deletes; an over-quota create is refused with Kubernetes' 403
// message through kubectl and the REST client; a pod without a constrained resource is refused;
// concurrent creates never take usage over the limit; scopes pick the pods a quota counts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { ConfigMap, Namespace, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1.js';
import { StatusError } from '../src/api/status.js';
import { isForbidden } from '../src/api/status-predicates.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { kubectl } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

describe('ResourceQuota against a real kite server', () => {
  const cluster = useCluster({ name: 'quota', controllers: true, extraArgs: ['--controllers', 'resourcequota'] });
  const quotas = (ns: string) => cluster.rest.resource<ResourceQuota>(resources.RESOURCEQUOTAS).namespace(ns);
  const pods = (ns: string) => cluster.rest.resource<Pod>(resources.PODS).namespace(ns);
  const namespace = (name: string) => cluster.rest.resource<Namespace>(resources.NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const pod = (name: string, requests?: Record<string, string>, limits?: Record<string, string>): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '1000'], resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } }] },
  });
  const used = async (ns: string, name: string) => (await quotas(ns).get(name)).status?.used ?? {};
  // Admission reads quotas from the watch cache (as Kubernetes reads its lister): wait until the cache has the usage.
  const quotaReady = (ns: string, name: string) =>
    waitUntil(`quota ${name} has usage`, async () => {
      const q = (await quotas(ns).list({ resourceVersion: '0' })).items.find((i) => i.metadata?.name === name);
      return !!q && Object.keys(q.spec?.hard ?? {}).every((r) => q.status?.used?.[r] !== undefined && q.status.hard?.[r] !== undefined);
    }, { timeoutMs: 15_000 });

  it('tracks usage, refuses an over-quota create with the exact message, and gives usage back on delete', async () => {
    await namespace('q1');
    await quotas('q1').create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '2', 'limits.cpu': '4', pods: '3', configmaps: '1' } } });
    await quotaReady('q1', 'compute');
    assert.deepEqual(await used('q1', 'compute'), { 'requests.cpu': '0', 'limits.cpu': '0', pods: '0', configmaps: '0' });

    await pods('q1').create(pod('one', { cpu: '1' }, { cpu: '1' }));
    assert.deepEqual(await used('q1', 'compute'), { 'requests.cpu': '1', 'limits.cpu': '1', pods: '1', configmaps: '0' }, 'charged at admission');

    const big = JSON.stringify(pod('big', { cpu: '2' }, { cpu: '2' }));
    const r = await kubectl(cluster.server.kubeconfig, ['-n', 'q1', 'create', '-f', '-'], { input: big });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(Forbidden\).*pods "big" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2/);

    await assert.rejects(pods('q1').create(pod('big', { cpu: '2' }, { cpu: '2' })), (err: unknown) => {
      assert.ok(err instanceof StatusError && isForbidden(err));
      assert.equal(err.status.code, 403);
      assert.equal(err.status.reason, 'Forbidden');
      assert.equal(err.status.message, 'pods "big" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2');
      return true;
    });

    await assert.rejects(pods('q1').create(pod('nolimit', { cpu: '100m' })), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.status.message, 'pods "nolimit" is forbidden: failed quota: compute: must specify limits.cpu for: c');
      return true;
    });

    const configMaps = cluster.rest.resource<ConfigMap>(resources.CONFIGMAPS).namespace('q1');
    await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    await assert.rejects(configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }), /exceeded quota: compute, requested: configmaps=1, used: configmaps=1, limited: configmaps=1/);

    await pods('q1').delete('one', { gracePeriodSeconds: 0 });
    await configMaps.delete('a');
    await waitUntil('usage given back', async () => {
      const u = await used('q1', 'compute');
      return u['requests.cpu'] === '0' && u['pods'] === '0' && u['configmaps'] === '0';
    }, { timeoutMs: 15_000 });
    await pods('q1').create(pod('big', { cpu: '2' }, { cpu: '2' }));
    assert.match((await kubectl(cluster.server.kubeconfig, ['-n', 'q1', 'get', 'quota', 'compute'])).stdout, /requests.cpu: 2\/2/);
  });

  it('lets concurrent creates take usage up to the limit and no further', async () => {
    await namespace('q2');
    await quotas('q2').create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'count' }, spec: { hard: { pods: '3' } } });
    await quotaReady('q2', 'count');
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => pods('q2').create(pod(`p${i}`))));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    assert.equal(ok, 3);
    for (const r of results) if (r.status === 'rejected') assert.ok(isForbidden(r.reason), String(r.reason));
    assert.equal((await used('q2', 'count'))['pods'], '3');
    assert.equal((await pods('q2').list()).items.length, 3);
  });

  it('counts only the pods its scopes select', async () => {
    await namespace('q3');
    await quotas('q3').create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'besteffort' }, spec: { hard: { pods: '1' }, scopes: ['BestEffort'] } });
    await quotas('q3').create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'terminating' },
      spec: { hard: { 'requests.memory': '1Gi' }, scopes: ['Terminating'] },
    });
    await quotaReady('q3', 'besteffort');
    await quotaReady('q3', 'terminating');
    await pods('q3').create(pod('be'));
    await assert.rejects(pods('q3').create(pod('be2')), /exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1/);
    await pods('q3').create(pod('burstable', { memory: '100Mi' }));
    const deadline = pod('deadline', { memory: '1Gi' });
    deadline.spec!.activeDeadlineSeconds = 60;
    await pods('q3').create(deadline);
    assert.equal((await used('q3', 'terminating'))['requests.memory'], '1Gi');
    assert.equal((await used('q3', 'besteffort'))['pods'], '1');
  });

  it('charges an update of a service for what it adds (a ClusterIP service turned NodePort)', async () => {
    await namespace('q5');
    const services = cluster.rest.resource<Service>(resources.SERVICES).namespace('q5');
    await quotas('q5').create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'ports' }, spec: { hard: { services: '2', 'services.nodeports': '1' } } });
    await quotaReady('q5', 'ports');
    const ports = [{ name: 'a', port: 80 }, { name: 'b', port: 81 }];
    await services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports } });
    await waitUntil('the service counted', async () => (await used('q5', 'ports'))['services'] === '1', { timeoutMs: 15_000 });
    const before = await services.get('web');
    await assert.rejects(
      services.update({ ...before, spec: { ...before.spec, type: 'NodePort' } }),
      /services "web" is forbidden: exceeded quota: ports, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1/,
    );
    const after = await services.get('web');
    assert.equal(after.spec?.type, 'ClusterIP');
    assert.equal(after.metadata?.resourceVersion, before.metadata?.resourceVersion);
    // Relabelling it adds nothing, so it is not charged again (services stays 1 of 2).
    await services.update({ ...after, metadata: { ...after.metadata, labels: { tier: 'front' } } });
    assert.equal((await used('q5', 'ports'))['services'], '1');
  });

  it('counts a resource it has no informer for (count/leases.coordination.k8s.io) by a live list', async () => {
    await namespace('q4');
    const leases = cluster.rest.resource<Lease>(resources.LEASES).namespace('q4');
    await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'first' } });
    await quotas('q4').create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'leases' }, spec: { hard: { 'count/leases.coordination.k8s.io': '1' } } });
    await quotaReady('q4', 'leases');
    assert.equal((await used('q4', 'leases'))['count/leases.coordination.k8s.io'], '1');
    await assert.rejects(
      leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'second' } }),
      /leases.coordination.k8s.io "second" is forbidden: exceeded quota: leases, requested: count\/leases.coordination.k8s.io=1, used: count\/leases.coordination.k8s.io=1, limited: count\/leases.coordination.k8s.io=1/,
    );
  });
});
