// The kubelet's per-pod building blocks against a real kite server: cluster reads through
// restLookup (ConfigMaps, Secrets, claims, service-account tokens through TokenRequest), a container environment
// with the `kubernetes` service's variables, and a pod's API-data volumes.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap, Namespace, Pod, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../src/api/status-predicates.js';
import { RestClient } from '../src/client/rest/index.js';
import { resolveContainerEnv } from '../src/kubelet/env/index.js';
import { restLookup } from '../src/kubelet/lookup/rest-lookup.js';
import { VolumeManager, plainDirectoryMounter } from '../src/kubelet/volumes/index.js';
import { FakeClock } from '../src/util/clock.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';

const core = (resource: string, kind: string, namespaced = true) => ({ group: '', version: 'v1', resource, kind, namespaced });

describe('kubelet pod helpers against kite server', () => {
  let dir: string;
  let server: KiteServer;
  let client: RestClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-kubelet-pod-'));
    server = await startKiteServer(dir);
    client = RestClient.fromKubeconfig(server.kubeconfig, { overrides: { qps: 100, burst: 200 } });
    await client.resource<Namespace>(core('namespaces', 'Namespace', false)).create({ metadata: { name: 'app' } });
    await client.resource<ConfigMap>(core('configmaps', 'ConfigMap')).namespace('app').create({ metadata: { name: 'cfg' }, data: { MODE: 'prod' } });
    await client.resource<Secret>(core('secrets', 'Secret')).namespace('app').create({ metadata: { name: 'creds' }, stringData: { password: 's3cret' } });
    await client.resource<ServiceAccount>(core('serviceaccounts', 'ServiceAccount')).namespace('app').create({ metadata: { name: 'builder' } });
  });
  after(async () => {
    client?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads ConfigMaps and Secrets, undefined when absent; requests service-account tokens', async () => {
    const lookup = restLookup(client);
    assert.deepEqual((await lookup.getConfigMap('app', 'cfg'))?.data, { MODE: 'prod' });
    assert.equal(Buffer.from((await lookup.getSecret('app', 'creds'))?.data?.password ?? '', 'base64').toString(), 's3cret');
    assert.equal(await lookup.getConfigMap('app', 'nope'), undefined);
    assert.equal(await lookup.getPersistentVolumeClaim('app', 'nope'), undefined);
    const token = await lookup.requestServiceAccountToken('app', 'builder', { audiences: [] });
    assert.match(JSON.stringify(token), /"eyJ[\w-]+\.[\w-]+\.[\w-]+"/, 'a signed JWT');
    await assert.rejects(lookup.requestServiceAccountToken('app', 'ghost', { audiences: [] }), (err: unknown) => isNotFound(err));
  });

  it('resolves an environment with the kubernetes service variables and mounts API-data volumes', async () => {
    const lookup = restLookup(client);
    const services = (await client.resource<Service>(core('services', 'Service')).list()).items;
    const kubernetes = services.find((s) => s.metadata?.name === 'kubernetes' && s.metadata?.namespace === 'default');
    assert.ok(kubernetes?.spec?.clusterIP, 'kite serves the default kubernetes service');
    const pod: Pod = {
      metadata: { name: 'web', namespace: 'app', uid: 'pod-uid-1' },
      spec: {
        serviceAccountName: 'builder',
        containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'cfg' } }], env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }] }],
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'creds', secret: { secretName: 'creds' } },
        ],
      },
    };
    const env = Object.fromEntries(
      (await resolveContainerEnv(pod, pod.spec!.containers[0], { ...lookup, services, nodeAllocatable: () => ({ cpu: '1', memory: '1Gi' }) })).map((e) => [e.key, e.value]),
    );
    assert.equal(env.MODE, 'prod');
    assert.equal(env.PW, 's3cret');
    assert.equal(env.KUBERNETES_SERVICE_HOST, kubernetes.spec.clusterIP);
    assert.equal(env.KUBERNETES_SERVICE_PORT, String(kubernetes.spec.ports?.[0].port));

    const vm = new VolumeManager({ dataDir: join(dir, 'kubelet'), lookup, clock: new FakeClock(), nodeAllocatable: () => ({}), mounter: plainDirectoryMounter });
    const mounted = await vm.mountPod(pod);
    assert.equal(readFileSync(join(mounted.get('cfg')!, 'MODE'), 'utf8'), 'prod');
    assert.equal(readFileSync(join(mounted.get('creds')!, 'password'), 'utf8'), 's3cret');
    await vm.unmountPod('pod-uid-1');
  });
});
