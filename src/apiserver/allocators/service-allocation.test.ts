// Service cluster IP and node port allocation through the real API server (in-process, over
// HTTPS, on SQLite): concurrency, requested values, release on delete and on type change,
// headless and ExternalName services, dry run, the `kubernetes` service, and restart + repair.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import { openBackend } from '../../storage/open.js';
import { ObjectStore } from '../../storage/store.js';
import { realClock } from '../../util/clock.js';
import { createLogger } from '../../util/log.js';
import type { KeyAndCertificate } from '../../util/pki/index.js';
import { createX509Authenticator } from '../authn/index.js';
import { builtinResources } from '../registry/builtin.js';
import { ApiServer } from '../server.js';
import { startSecureServer, type SecureServer } from '../serving/index.js';
import { createTestPki, h1Request, type TestPki } from '../serving/test-support.js';
import { ensureKubernetesService, ServiceAllocation, ServiceAllocationRepair } from './index.js';

interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: { field?: string; reason?: string; message?: string }[] };
}

interface Running {
  store: ObjectStore;
  server: SecureServer;
  allocation: ServiceAllocation;
  repair: ServiceAllocationRepair;
}

const quiet = createLogger('test', { level: 'error' });

async function start(dir: string, pki: TestPki): Promise<Running> {
  const store = new ObjectStore(await openBackend({ kind: 'sqlite', path: join(dir, 'state.db'), synchronous: 'off' }));
  const allocation = new ServiceAllocation(store, { serviceCIDR: '10.96.0.0/12', logger: quiet });
  const repair = new ServiceAllocationRepair(store, allocation, { logger: quiet });
  await repair.runOnce({ releaseLeaks: true });
  const api = new ApiServer({
    store,
    clock: realClock,
    logger: quiet,
    authenticator: createX509Authenticator(),
    resources: builtinResources(),
    advertiseAddress: '127.0.0.1:0',
    extraAdmission: [allocation],
  });
  await api.ensureSystemNamespaces();
  const server = await startSecureServer({
    port: 0,
    tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.ca.certPem },
    handler: api.handler,
    longRunning: api.longRunning,
  });
  const services = api.catalog.lookup('', 'v1', 'services');
  assert.ok(services);
  await ensureKubernetesService(api.storeFor(services), { clusterIP: allocation.kubernetesServiceIP, apiServerPort: server.port });
  return { store, server, allocation, repair };
}

async function stop(r: Running): Promise<void> {
  await r.server.close();
  await r.store.close();
}

describe('service allocation through the API server', () => {
  let dir: string;
  let pki: TestPki;
  let admin: KeyAndCertificate;
  let run: Running;

  const call = async <T = Service>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const r = await h1Request({
      port: run.server.port,
      caPem: pki.ca.certPem,
      client: admin,
      method,
      path,
      headers: body === undefined ? {} : { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: JSON.parse(r.body) as T };
  };
  const svcPath = (name = '', ns = 'default') => `/api/v1/namespaces/${ns}/services${name ? `/${name}` : ''}`;
  const clusterIP = (name: string, spec: Service['spec'] = {}): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
  });
  const create = async (svc: Service, query = '') => call('POST', svcPath() + query, svc);
  const remove = async (name: string) => {
    const r = await call<Status>('DELETE', svcPath(name));
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-svc-alloc-'));
    pki = await createTestPki();
    admin = await pki.client('admin', ['system:masters']);
    run = await start(dir, pki);
  });
  after(async () => {
    if (run) await stop(run);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the kubernetes service with the range\'s first address', async () => {
    const r = await call('GET', svcPath('kubernetes'));
    assert.equal(r.status, 200);
    assert.equal(r.body.spec?.clusterIP, '10.96.0.1');
    assert.deepEqual(r.body.spec?.clusterIPs, ['10.96.0.1']);
    assert.deepEqual(r.body.spec?.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: run.server.port }]);
    assert.deepEqual(r.body.metadata?.labels, { component: 'apiserver', provider: 'kubernetes' });
  });

  it('gives 100 services created at once 100 distinct addresses in the range', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => create(clusterIP(`many-${i}`))));
    const ips = results.map((r) => {
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual(r.body.spec?.clusterIPs, [r.body.spec?.clusterIP]);
      return r.body.spec?.clusterIP as string;
    });
    assert.equal(new Set(ips).size, 100);
    for (const ip of ips) {
      assert.ok(run.allocation.ipRange.offsetOf(ip) !== undefined, `${ip} in range`);
      assert.notEqual(ip, '10.96.0.1');
    }
    const stored = new Set(await run.allocation.ips.list());
    for (const ip of ips) assert.ok(stored.has(ip));
  });

  it('refuses a requested address that is taken, or outside the range, with 422', async () => {
    const first = await create(clusterIP('wants-10', { clusterIP: '10.96.0.10' }));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.spec?.clusterIP, '10.96.0.10');
    const taken = await call<Status>('POST', svcPath(), clusterIP('also-wants-10', { clusterIP: '10.96.0.10' }));
    assert.equal(taken.status, 422);
    assert.equal(taken.body.reason, 'Invalid');
    assert.equal(
      taken.body.message,
      'Service "also-wants-10" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    assert.equal(taken.body.details?.causes?.[0]?.field, 'spec.clusterIPs');
    const outside = await call<Status>('POST', svcPath(), clusterIP('outside', { clusterIP: '1.1.1.1' }));
    assert.equal(outside.status, 422);
    assert.equal(
      outside.body.message,
      'Service "outside" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    const v6 = await call<Status>('POST', svcPath(), clusterIP('v6', { ipFamilies: ['IPv6'] }));
    assert.equal(v6.status, 422);
    assert.match(v6.body.message, /spec.ipFamilies\[0\]: Invalid value: "IPv6": not configured on this cluster/);
  });

  it('releases the address on delete, so it can be asked for again', async () => {
    await remove('wants-10');
    const again = await create(clusterIP('wants-10-again', { clusterIP: '10.96.0.10' }));
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.spec?.clusterIP, '10.96.0.10');
    assert.equal(await run.allocation.ips.has('10.96.0.10'), true);
  });

  it('does not leak when the create fails after the checks (existing name, missing namespace)', async () => {
    const before = (await run.allocation.ips.list()).length;
    const dup = await call<Status>('POST', svcPath(), clusterIP('many-0'));
    assert.equal(dup.status, 409);
    const nsMissing = await call<Status>('POST', svcPath('', 'nowhere'), clusterIP('lost'));
    assert.equal(nsMissing.status, 404);
    assert.equal(nsMissing.body.message, 'namespaces "nowhere" not found');
    assert.equal((await run.allocation.ips.list()).length, before);
  });

  it('allocates node ports, honours requested ones, and releases them on delete', async () => {
    const np = await create(
      clusterIP('np', {
        type: 'NodePort',
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 81, nodePort: 30081 },
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      }),
    );
    assert.equal(np.status, 201, JSON.stringify(np.body));
    const ports = np.body.spec?.ports ?? [];
    const [a, b, udp, tcp] = ports.map((p) => p.nodePort as number);
    assert.ok(a! >= 30000 && a! <= 32767);
    assert.equal(b, 30081);
    assert.equal(udp, tcp, 'ports with the same number share a node port');
    assert.notEqual(a, udp);
    assert.ok(np.body.spec?.clusterIP && np.body.spec.clusterIP !== 'None');

    const taken = await call<Status>('POST', svcPath(), clusterIP('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }));
    assert.equal(taken.status, 422);
    assert.equal(taken.body.message, 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30081: provided port is already allocated');
    const outside = await call<Status>('POST', svcPath(), clusterIP('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }));
    assert.equal(outside.status, 422);
    assert.equal(
      outside.body.message,
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    // The failed create with a taken port did not keep the cluster IP it had got.
    const ipsBefore = (await run.allocation.ips.list()).length;
    await call<Status>('POST', svcPath(), clusterIP('np4', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }));
    assert.equal((await run.allocation.ips.list()).length, ipsBefore);

    const held = new Set(await run.allocation.nodePorts.list());
    for (const p of [a, b, udp]) assert.ok(held.has(p!));
    await remove('np');
    const after = new Set(await run.allocation.nodePorts.list());
    for (const p of [a, b, udp]) assert.ok(!after.has(p!), `${p} released`);
    const reuse = await create(clusterIP('np-reuse', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }));
    assert.equal(reuse.status, 201, JSON.stringify(reuse.body));
  });

  it('gives LoadBalancer services node ports (unless told not to) and a health check port for Local', async () => {
    const lb = await create(clusterIP('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    assert.equal(lb.status, 201, JSON.stringify(lb.body));
    assert.ok(lb.body.spec?.ports?.[0]?.nodePort);
    const hc = lb.body.spec?.healthCheckNodePort as number;
    assert.ok(hc >= 30000 && hc <= 32767);
    assert.equal(await run.allocation.nodePorts.has(hc), true);
    const noPorts = await create(clusterIP('lb-no-ports', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }));
    assert.equal(noPorts.status, 201, JSON.stringify(noPorts.body));
    assert.equal(noPorts.body.spec?.ports?.[0]?.nodePort, undefined);
    await remove('lb');
    assert.equal(await run.allocation.nodePorts.has(hc), false);
  });

  it('allocates nothing for headless and ExternalName services', async () => {
    const before = await run.allocation.ips.list();
    const headless = await create(clusterIP('headless', { clusterIP: 'None' }));
    assert.equal(headless.status, 201, JSON.stringify(headless.body));
    assert.equal(headless.body.spec?.clusterIP, 'None');
    assert.deepEqual(headless.body.spec?.clusterIPs, ['None']);
    const ext = await create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    assert.equal(ext.status, 201, JSON.stringify(ext.body));
    assert.equal(ext.body.spec?.clusterIP, undefined);
    assert.deepEqual(await run.allocation.ips.list(), before);
    await remove('headless');
    await remove('ext');
    assert.deepEqual(await run.allocation.ips.list(), before);
  });

  it('releases node ports when a NodePort service becomes ClusterIP, and allocates them when it turns back', async () => {
    const created = await create(clusterIP('flip', { type: 'NodePort', ports: [{ port: 80, nodePort: 30999 }] }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ip = created.body.spec?.clusterIP;
    const toClusterIP = await call('PATCH', svcPath('flip'), { spec: { type: 'ClusterIP' } });
    assert.equal(toClusterIP.status, 200, JSON.stringify(toClusterIP.body));
    assert.equal(toClusterIP.body.spec?.ports?.[0]?.nodePort, undefined);
    assert.equal(toClusterIP.body.spec?.clusterIP, ip, 'the cluster IP stays');
    assert.equal(await run.allocation.nodePorts.has(30999), false);
    assert.equal(await run.allocation.ips.has(ip as string), true);
    const other = await create(clusterIP('takes-30999', { type: 'NodePort', ports: [{ port: 80, nodePort: 30999 }] }));
    assert.equal(other.status, 201, JSON.stringify(other.body));

    const back = await call('PATCH', svcPath('flip'), { spec: { type: 'NodePort' } });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    const np = back.body.spec?.ports?.[0]?.nodePort as number;
    assert.ok(np && np !== 30999);
    assert.equal(await run.allocation.nodePorts.has(np), true);
  });

  it('keeps allocated values on a PUT that leaves them out, and moves IPs on ExternalName changes', async () => {
    const created = await create(clusterIP('put', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
    assert.equal(created.status, 201);
    const { clusterIP: ip } = created.body.spec ?? {};
    const np = created.body.spec?.ports?.[0]?.nodePort;
    const replaced = await call('PUT', svcPath('put'), clusterIP('put', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(replaced.body.spec?.clusterIP, ip);
    assert.equal(replaced.body.spec?.ports?.[0]?.nodePort, np);

    const toExt = await call('PATCH', svcPath('put'), { spec: { type: 'ExternalName', externalName: 'example.com' } });
    assert.equal(toExt.status, 200, JSON.stringify(toExt.body));
    assert.equal(toExt.body.spec?.clusterIP, undefined);
    assert.equal(await run.allocation.ips.has(ip as string), false, 'cluster IP released');
    assert.equal(await run.allocation.nodePorts.has(np as number), false, 'node port released');
    const fromExt = await call('PATCH', svcPath('put'), { spec: { type: 'ClusterIP', externalName: null } });
    assert.equal(fromExt.status, 200, JSON.stringify(fromExt.body));
    const newIP = fromExt.body.spec?.clusterIP as string;
    assert.ok(run.allocation.ipRange.offsetOf(newIP) !== undefined);
    assert.equal(await run.allocation.ips.has(newIP), true);
  });

  it('allocates nothing on a dry run', async () => {
    const ipsBefore = await run.allocation.ips.list();
    const portsBefore = await run.allocation.nodePorts.list();
    const dry = await create(clusterIP('dry', { type: 'NodePort', ports: [{ port: 80 }] }), '?dryRun=All');
    assert.equal(dry.status, 201, JSON.stringify(dry.body));
    assert.equal(dry.body.spec?.clusterIP, '10.96.0.0', 'the placeholder kube-apiserver reports');
    assert.equal(dry.body.spec?.ports?.[0]?.nodePort, 32769);
    const dryTaken = await call<Status>('POST', svcPath() + '?dryRun=All', clusterIP('dry2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30999 }] }));
    assert.equal(dryTaken.status, 422);
    const dryOutside = await call<Status>('POST', svcPath() + '?dryRun=All', clusterIP('dry3', { clusterIP: '192.168.0.1' }));
    assert.equal(dryOutside.status, 422);
    const dryPatch = await call('PATCH', svcPath('many-1') + '?dryRun=All', { spec: { type: 'NodePort' } });
    assert.equal(dryPatch.status, 200, JSON.stringify(dryPatch.body));
    const dryDelete = await call<Status>('DELETE', svcPath('many-2') + '?dryRun=All');
    assert.equal(dryDelete.status, 200);
    assert.deepEqual(await run.allocation.ips.list(), ipsBefore);
    assert.deepEqual(await run.allocation.nodePorts.list(), portsBefore);
    assert.equal((await call('GET', svcPath('dry'))).status, 404);
  });

  it('keeps the allocations across a restart, and the repair pass frees leaks and restores lost ones', async () => {
    const services = (await call<{ items: Service[] }>('GET', '/api/v1/services')).body.items;
    const wantIPs = new Set(services.flatMap((s) => (s.spec?.clusterIP && s.spec.clusterIP !== 'None' ? [s.spec.clusterIP] : [])));
    const wantPorts = new Set(services.flatMap((s) => [...(s.spec?.ports ?? []).map((p) => p.nodePort ?? 0), s.spec?.healthCheckNodePort ?? 0].filter((p) => p > 0)));
    assert.deepEqual(new Set(await run.allocation.ips.list()), wantIPs);
    assert.deepEqual(new Set(await run.allocation.nodePorts.list()), wantPorts);

    // A leak (allocated, no service) and a loss (a service's IP missing from the bitmap).
    await run.allocation.ips.allocate('10.96.0.77');
    const lost = [...wantIPs].find((ip) => ip !== '10.96.0.1') as string;
    await run.allocation.ips.release([lost]);

    await stop(run);
    run = await start(dir, pki);
    assert.deepEqual(new Set(await run.allocation.ips.list()), wantIPs);
    assert.deepEqual(new Set(await run.allocation.nodePorts.list()), wantPorts);
    const taken = await call<Status>('POST', svcPath(), clusterIP('after-restart', { clusterIP: lost }));
    assert.equal(taken.status, 422, 'the restored address is taken');
    const fresh = await create(clusterIP('after-restart-2'));
    assert.equal(fresh.status, 201);
    assert.ok(!wantIPs.has(fresh.body.spec?.clusterIP as string));
  });

  it('periodic repair frees a leak only after it has been seen on several passes', async () => {
    const repair = new ServiceAllocationRepair(run.store, run.allocation, { leakGraceRuns: 2 });
    await run.allocation.nodePorts.allocate(32000);
    const first = await repair.runOnce();
    assert.deepEqual(first.nodePorts.leaked, [32000]);
    assert.equal(await run.allocation.nodePorts.has(32000), true);
    const second = await repair.runOnce();
    assert.deepEqual(second.nodePorts.released, [32000]);
    assert.equal(await run.allocation.nodePorts.has(32000), false);
    const third = await repair.runOnce();
    assert.equal(third.nodePorts.written, false, 'nothing to do');
  });
});
