import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, Pod, Service } from 'kubernetes-types/core/v1.js';
import { staticLookup } from '../lookup/lookup.js';
import { ContainerConfigError } from './errors.js';
import { resolveContainerEnv, type EnvContext } from './resolve.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function pod(container: Container, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'uid-1', labels: { b: '2', a: '1' }, annotations: { note: 'x"y' } },
    spec: { nodeName: 'node-1', serviceAccountName: 'sa', containers: [container], ...extra },
    status: { podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }], hostIP: '192.168.1.2', hostIPs: [{ ip: '192.168.1.2' }] },
  };
}

const services: Service[] = [
  { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } },
  { metadata: { name: 'my-db', namespace: 'ns' }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 5432 }, { name: 'metrics', port: 9100, protocol: 'TCP' }] } },
  { metadata: { name: 'headless', namespace: 'ns' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
  { metadata: { name: 'other', namespace: 'elsewhere' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 80 }] } },
];

function ctx(extra: Partial<EnvContext> = {}): EnvContext {
  return {
    ...staticLookup({
      configMaps: [{ metadata: { name: 'cfg', namespace: 'ns' }, data: { MODE: 'prod', '1BAD': 'x', LEVEL: 'debug' } }],
      secrets: [{ metadata: { name: 'creds', namespace: 'ns' }, data: { PASSWORD: b64('s3cret') } }],
    }),
    nodeAllocatable: () => ({ cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' }),
    services,
    ...extra,
  };
}

const asMap = (env: Array<{ key: string; value: string }>) => Object.fromEntries(env.map((e) => [e.key, e.value]));

describe('resolveContainerEnv', () => {
  it('applies envFrom, then env with expansion, then service variables', async () => {
    const warnings: string[] = [];
    const c: Container = {
      name: 'app',
      envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 'creds' } }, { configMapRef: { name: 'absent', optional: true } }],
      env: [
        { name: 'MODE', value: 'override-$(MODE)' },
        { name: 'URL', value: 'http://$(MY_DB_SERVICE_HOST):$(MY_DB_SERVICE_PORT)/$(LEVEL)/$(NOPE)' },
        { name: 'ESC', value: '$$(MODE)' },
      ],
    };
    const env = await resolveContainerEnv(pod(c), c, ctx({ recordWarning: (_r, m) => warnings.push(m) }));
    const m = asMap(env);
    assert.equal(m.MODE, 'override-prod');
    assert.equal(m.S_PASSWORD, 's3cret');
    assert.equal(m.URL, 'http://10.96.0.9:5432/debug/$(NOPE)');
    assert.equal(m.ESC, '$(MODE)');
    assert.equal(m['1BAD'], undefined);
    assert.deepEqual(warnings, ['Keys [1BAD] from the EnvFrom configMap ns/cfg were skipped since they are considered invalid environment variable names.']);
    // service variables: the kubernetes service and the pod's namespace, not headless/other namespaces.
    assert.equal(m.KUBERNETES_SERVICE_HOST, '10.96.0.1');
    assert.equal(m.KUBERNETES_SERVICE_PORT, '443');
    assert.equal(m.KUBERNETES_SERVICE_PORT_HTTPS, '443');
    assert.equal(m.KUBERNETES_PORT, 'tcp://10.96.0.1:443');
    assert.equal(m.KUBERNETES_PORT_443_TCP, 'tcp://10.96.0.1:443');
    assert.equal(m.KUBERNETES_PORT_443_TCP_PROTO, 'tcp');
    assert.equal(m.KUBERNETES_PORT_443_TCP_PORT, '443');
    assert.equal(m.KUBERNETES_PORT_443_TCP_ADDR, '10.96.0.1');
    assert.equal(m.MY_DB_SERVICE_PORT_METRICS, '9100');
    assert.equal(m.MY_DB_PORT_9100_TCP, 'tcp://10.96.0.9:9100');
    assert.equal(m.HEADLESS_SERVICE_HOST, undefined);
    assert.equal(m.OTHER_SERVICE_HOST, undefined);
    // order: envFrom first, env next, service variables last
    const keys = env.map((e) => e.key);
    assert.ok(keys.indexOf('LEVEL') < keys.indexOf('URL'));
    assert.ok(keys.indexOf('ESC') < keys.indexOf('KUBERNETES_SERVICE_HOST'));
  });

  it('gives only the kubernetes service variables when enableServiceLinks is false, and env overrides service variables', async () => {
    const c: Container = { name: 'app', env: [{ name: 'KUBERNETES_SERVICE_PORT', value: '1' }] };
    const env = await resolveContainerEnv(pod(c, { enableServiceLinks: false }), c, ctx());
    const m = asMap(env);
    assert.equal(m.MY_DB_SERVICE_HOST, undefined);
    assert.equal(m.KUBERNETES_SERVICE_HOST, '10.96.0.1');
    assert.equal(m.KUBERNETES_SERVICE_PORT, '1');
    assert.equal(env.filter((e) => e.key === 'KUBERNETES_SERVICE_PORT').length, 1);
  });

  it('resolves fieldRef values', async () => {
    const f = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    const c: Container = {
      name: 'app',
      env: [
        f('NAME', 'metadata.name'),
        f('NS', 'metadata.namespace'),
        f('UID', 'metadata.uid'),
        f('LABEL_A', "metadata.labels['a']"),
        f('LABELS', 'metadata.labels'),
        f('NOTE', "metadata.annotations['note']"),
        f('ANNOTATIONS', 'metadata.annotations'),
        f('NODE', 'spec.nodeName'),
        f('SA', 'spec.serviceAccountName'),
        f('HOST_IP', 'status.hostIP'),
        f('HOST_IPS', 'status.hostIPs'),
        f('POD_IP', 'status.podIP'),
        f('POD_IPS', 'status.podIPs'),
      ],
    };
    const m = asMap(await resolveContainerEnv(pod(c), c, ctx({ services: [] })));
    assert.deepEqual(m, {
      NAME: 'web',
      NS: 'ns',
      UID: 'uid-1',
      LABEL_A: '1',
      LABELS: 'a="1"\nb="2"',
      NOTE: 'x"y',
      ANNOTATIONS: 'note="x\\"y"',
      NODE: 'node-1',
      SA: 'sa',
      HOST_IP: '192.168.1.2',
      HOST_IPS: '192.168.1.2',
      POD_IP: '10.0.0.5',
      POD_IPS: '10.0.0.5,fd00::5',
    });
    // the kubelet's own knowledge wins over a status not yet written
    const m2 = asMap(await resolveContainerEnv(pod(c), c, ctx({ services: [], podIPs: ['10.1.1.1'], hostIPs: ['192.168.9.9'] })));
    assert.equal(m2.POD_IP, '10.1.1.1');
    assert.equal(m2.HOST_IP, '192.168.9.9');
  });

  it('resolves resourceFieldRef with divisors and the node-allocatable default for limits', async () => {
    const r = (name: string, resource: string, divisor?: string) => ({ name, valueFrom: { resourceFieldRef: { resource, ...(divisor ? { divisor } : {}) } } });
    const c: Container = {
      name: 'app',
      resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m', memory: '32Mi' } },
      env: [
        r('LIMIT_CPU', 'limits.cpu'),
        r('LIMIT_CPU_M', 'limits.cpu', '1m'),
        r('REQ_CPU', 'requests.cpu'),
        r('REQ_CPU_M', 'requests.cpu', '1m'),
        r('LIMIT_MEM', 'limits.memory'),
        r('LIMIT_MEM_MI', 'limits.memory', '1Mi'),
        r('REQ_MEM_KI', 'requests.memory', '1Ki'),
        r('LIMIT_EPH_GI', 'limits.ephemeral-storage', '1Gi'),
        r('REQ_EPH', 'requests.ephemeral-storage'),
      ],
    };
    const m = asMap(await resolveContainerEnv(pod(c), c, ctx({ services: [] })));
    assert.deepEqual(m, {
      LIMIT_CPU: '4',
      LIMIT_CPU_M: '4000',
      REQ_CPU: '1',
      REQ_CPU_M: '250',
      LIMIT_MEM: String(64 * 1024 * 1024),
      LIMIT_MEM_MI: '64',
      REQ_MEM_KI: String(32 * 1024),
      LIMIT_EPH_GI: '100',
      REQ_EPH: '0',
    });
  });

  it('resolves configMapKeyRef and secretKeyRef, skipping optional misses', async () => {
    const c: Container = {
      name: 'app',
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
        { name: 'OPT_KEY', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope', optional: true } } },
        { name: 'OPT_CM', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
        { name: 'OPT_SECRET', valueFrom: { secretKeyRef: { name: 'absent', key: 'k', optional: true } } },
      ],
    };
    assert.deepEqual(asMap(await resolveContainerEnv(pod(c), c, ctx({ services: [] }))), { MODE: 'prod', PW: 's3cret' });
  });

  it('fails with the kubelet\'s CreateContainerConfigError messages', async () => {
    const cases: Array<[Container, string]> = [
      [{ name: 'a', envFrom: [{ configMapRef: { name: 'x' } }] }, 'configmap "x" not found'],
      [{ name: 'a', envFrom: [{ secretRef: { name: 'x' } }] }, 'secret "x" not found'],
      [{ name: 'a', env: [{ name: 'K', valueFrom: { configMapKeyRef: { name: 'x', key: 'k' } } }] }, 'configmap "x" not found'],
      [{ name: 'a', env: [{ name: 'K', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, "couldn't find key k in ConfigMap ns/cfg"],
      [{ name: 'a', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }] }, "couldn't find key k in Secret ns/creds"],
      [{ name: 'a', env: [{ name: 'K', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] }, 'field label not supported: spec.bogus'],
    ];
    for (const [c, message] of cases) {
      await assert.rejects(resolveContainerEnv(pod(c), c, ctx()), (err: unknown) => {
        assert.ok(err instanceof ContainerConfigError);
        assert.equal(err.reason, 'CreateContainerConfigError');
        assert.equal(err.message, message);
        return true;
      });
    }
  });
});
