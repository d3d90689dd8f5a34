// The kubelet API and the API server's proxies to it, end to end: a real `kite server`, a kubelet
// API server in this process over the real process runtime (one pod, one container that has
// restarted once), a Node pointing at it and the matching bound Pod — then the real kubectl:
// logs (-f, --previous, --tail, --timestamps), exec (exit codes, stdin), cp both ways,
// port-forward, top nodes/pods; and the kubelet refusing clients without a cluster-CA certificate.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startKubeletServer, RuntimeStats, type KubeletHost, type KubeletServer } from '../src/kubelet/server/index.js';
import { createProcessRuntime, type ProcessRuntime } from '../src/runtime/process/process-runtime.js';
import type { ContainerConfig, PodSandboxConfig } from '../src/runtime/runtime.js';
import { systemClock } from '../src/util/clock.js';
import { createCertificateAuthority, issueClientCertificate, issueServingCertificate } from '../src/util/pki/index.js';
import { apiClient, type ApiClient } from './support/api-client.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

const NODE = 'node-a';
const NS = 'default';
const POD = 'web';
const clock = systemClock();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function httpText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('kubelet API behind the API server, driven by kubectl', () => {
  let dir: string;
  let server: KiteServer;
  let api: ApiClient;
  let runtime: ProcessRuntime;
  let kubelet: KubeletServer;
  let appPort: number;
  let caPem: string;
  let caKeyPem: string;
  let kubeletPort: number;
  const ids = { sandbox: '', previous: '', current: '' };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-kubelet-api-'));
    server = await startKiteServer(join(dir, 'server'));
    api = apiClient(server.url, server.dataDir);
    caPem = readFileSync(join(server.dataDir, 'pki', 'ca.crt'), 'utf8');
    caKeyPem = readFileSync(join(server.dataDir, 'pki', 'ca.key'), 'utf8');
    runtime = await createProcessRuntime({ rootDir: join(dir, 'runtime'), nodeIp: '127.0.0.1', cgroups: 'off', clock, outputDrainMs: 500 });

    // The pod's sandbox and its container: a first instance that failed, and the running one, which
    // serves HTTP and logs a line per request to /log.
    appPort = await freePort();
    const labels = { 'io.kubernetes.pod.name': POD, 'io.kubernetes.pod.namespace': NS, 'io.kubernetes.pod.uid': 'uid-web' };
    const sandbox: PodSandboxConfig = {
      metadata: { name: POD, namespace: NS, uid: 'uid-web', attempt: 0 },
      hostname: POD,
      logDirectory: join(dir, 'logs', `${NS}_${POD}_uid-web`),
      portMappings: [],
      labels,
      annotations: {},
      hostNetwork: false,
    };
    const container = (attempt: number, command: string[]): ContainerConfig => ({
      metadata: { name: 'app', attempt },
      image: 'busybox',
      command,
      args: [],
      envs: [{ key: 'PORT', value: String(appPort) }],
      mounts: [],
      labels: { ...labels, 'io.kubernetes.container.name': 'app' },
      annotations: {},
      logPath: `app/${attempt}.log`,
      stdin: false,
      stdinOnce: false,
      tty: false,
    });
    const script = join(dir, 'app.cjs');
    writeFileSync(
      script,
      `const http = require('node:http');
       for (const l of ['line-1', 'line-2', 'line-3']) console.log(l);
       let n = 0;
       http.createServer((req, res) => {
         if (req.url === '/log') console.log('requested-' + ++n);
         res.end('hello from the pod\\n');
       }).listen(Number(process.env.PORT), '127.0.0.1');`,
    );
    ids.sandbox = await runtime.runPodSandbox(sandbox);
    ids.previous = await runtime.createContainer(ids.sandbox, container(0, ['sh', '-c', 'echo previous-instance; exit 1']), sandbox);
    await runtime.startContainer(ids.previous);
    await waitUntil('the first instance to exit', async () => (await runtime.containerStatus(ids.previous)).state === 'exited');
    ids.current = await runtime.createContainer(ids.sandbox, container(1, [process.execPath, script]), sandbox);
    await runtime.startContainer(ids.current);
    await waitUntil('the app to serve', async () => (await httpText(appPort, '/')).includes('hello'), { timeoutMs: 15_000 });

    const podObject = (): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: POD, namespace: NS, uid: 'uid-web' }, spec: { nodeName: NODE, containers: [{ name: 'app', image: 'busybox' }] } });
    const stats = new RuntimeStats({ nodeName: NODE, runtime, listPods: async () => [podObject()], clock, startTime: clock.now() });
    const host: KubeletHost = {
      nodeName: NODE,
      runtime,
      listPods: async () => [podObject()],
      findContainer: async (ns, pod, name) => {
        if (ns !== NS || pod !== POD || name !== 'app') return undefined;
        const [current, previous] = await Promise.all([runtime.containerStatus(ids.current), runtime.containerStatus(ids.previous)]);
        return { containerId: ids.current, podSandboxId: ids.sandbox, logPath: current.logPath, previousLogPath: previous.logPath };
      },
      findPodSandbox: async (ns, pod) => (ns === NS && pod === POD ? ids.sandbox : undefined),
      summaryStats: () => stats.summary(),
    };
    const serving = await issueServingCertificate({ certPem: caPem, keyPem: caKeyPem }, { validityDays: 1, commonName: `system:node:${NODE}`, ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'] });
    kubelet = await startKubeletServer({ host, tls: { ...serving, clientCaPem: caPem }, address: '127.0.0.1', port: 0 });
    kubeletPort = kubelet.port;

    const node = await api.request('POST', '/api/v1/nodes', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: NODE },
        status: {
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: NODE }],
          daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
          capacity: { cpu: '2', memory: '4Gi', pods: '110' },
          allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
        },
      }),
    });
    assert.equal(node.status, 201, node.body);
    const created = await api.request('POST', `/api/v1/namespaces/${NS}/pods`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(podObject()) });
    assert.equal(created.status, 201, created.body);
    const pod = created.json<Pod & { status?: object }>();
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    pod.status = {
      phase: 'Running',
      podIP: '127.0.0.1',
      startTime: now,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 1, image: 'busybox', imageID: '', started: true, state: { running: { startedAt: now } } }],
    };
    const updated = await api.request('PUT', `/api/v1/namespaces/${NS}/pods/${POD}/status`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(pod) });
    assert.equal(updated.status, 200, updated.body);
  });

  after(async () => {
    await kubelet?.close();
    if (runtime) {
      for (const s of await runtime.listPodSandbox()) await runtime.removePodSandbox(s.id);
      await runtime.close();
    }
    api?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl logs: all, --tail, --timestamps, --previous', async () => {
    assert.equal(await kubectlOk(server.kubeconfig, ['logs', POD]), 'line-1\nline-2\nline-3\n');
    assert.equal(await kubectlOk(server.kubeconfig, ['logs', POD, '--tail=1']), 'line-3\n');
    assert.match(await kubectlOk(server.kubeconfig, ['logs', POD, '--tail=1', '--timestamps']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line-3\n$/);
    assert.equal(await kubectlOk(server.kubeconfig, ['logs', POD, '-c', 'app', '--previous']), 'previous-instance\n');
    const wrong = await kubectl(server.kubeconfig, ['logs', POD, '-c', 'nope']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /container nope is not valid for pod web/);
  });

  it('kubectl logs -f sees a line written after it started', async () => {
    const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, 'logs', '-f', POD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      await waitUntil('the existing lines', () => out.includes('line-3'), { timeoutMs: 15_000 });
      await httpText(appPort, '/log');
      await waitUntil('the new line', () => /requested-\d+\n/.test(out), { timeoutMs: 15_000, describe: () => out });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('kubectl attach streams the running container\'s output', async () => {
    const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, 'attach', POD, '-c', 'app'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      // Each request makes the app log a line; keep asking until one shows up in the attached output.
      await waitUntil('a line through attach', async () => {
        await httpText(appPort, '/log');
        return /requested-\d+/.test(out);
      }, { timeoutMs: 15_000, intervalMs: 300, describe: () => out });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('kubectl exec reports the exit code and passes stdin', async () => {
    const r = await kubectl(server.kubeconfig, ['exec', POD, '--', 'sh', '-c', 'echo hi; exit 3']);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.code, 3, r.stderr);
    const echoed = await kubectlOk(server.kubeconfig, ['exec', '-i', POD, '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'hello stdin\n' });
    assert.equal(echoed, 'HELLO STDIN\n');
  });

  it('kubectl cp copies a file into the pod and back', async () => {
    const local = join(dir, 'local.txt');
    writeFileSync(local, 'copied content\n');
    const remote = join(dir, 'in-pod.txt');
    await kubectlOk(server.kubeconfig, ['cp', local, `${NS}/${POD}:${remote}`]);
    assert.equal(readFileSync(remote, 'utf8'), 'copied content\n');
    const back = join(dir, 'back.txt');
    await kubectlOk(server.kubeconfig, ['cp', `${NS}/${POD}:${remote}`, back]);
    assert.equal(readFileSync(back, 'utf8'), 'copied content\n');
  });

  // kubectl 1.32 tunnels SPDY through a WebSocket; with KUBECTL_PORT_FORWARD_WEBSOCKETS=false it
  // upgrades to SPDY directly. Each HTTP GET is a new forwarded connection (a new stream pair).
  for (const [how, env] of [['SPDY in a WebSocket', {}], ['plain SPDY', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }]] as const) {
    it(`kubectl port-forward reaches a server in the pod (${how})`, async () => {
      const local = await freePort();
      const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, 'port-forward', `pod/${POD}`, `${local}:${appPort}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env },
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      try {
        await waitUntil('port-forward to listen', () => out.includes('Forwarding from'), { timeoutMs: 15_000, describe: () => out });
        assert.equal(await httpText(local, '/'), 'hello from the pod\n');
        assert.equal(await httpText(local, '/'), 'hello from the pod\n');
      } finally {
        child.kill('SIGTERM');
      }
    });
  }

  it('kubectl top nodes and top pods', async () => {
    const nodes = await kubectlOk(server.kubeconfig, ['top', 'nodes']);
    assert.match(nodes, new RegExp(`^${NODE}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`, 'm'));
    const pods = await kubectlOk(server.kubeconfig, ['top', 'pods']);
    assert.match(pods, new RegExp(`^${POD}\\s+\\d+m\\s+\\d+Mi`, 'm'));
  });

  it('nodes/proxy reaches the kubelet: healthz, pods, stats and resource metrics', async () => {
    const raw = (path: string) => kubectlOk(server.kubeconfig, ['get', '--raw', `/api/v1/nodes/${NODE}/proxy/${path}`]);
    assert.equal(await raw('healthz'), 'ok');
    const pods = JSON.parse(await raw('pods')) as { kind: string; items: Pod[] };
    assert.equal(pods.kind, 'PodList');
    assert.deepEqual(pods.items.map((p) => p.metadata?.name), [POD]);
    const summary = JSON.parse(await raw('stats/summary')) as { node: { nodeName: string }; pods: { podRef: { name: string } }[] };
    assert.equal(summary.node.nodeName, NODE);
    assert.deepEqual(summary.pods.map((p) => p.podRef.name), [POD]);
    const metrics = await raw('metrics/resource');
    assert.match(metrics, /^node_cpu_usage_seconds_total \d/m);
    assert.match(metrics, /^container_memory_working_set_bytes\{container="app",namespace="default",pod="web"\} \d+/m);
  });

  it('pods/log of a pod without a node is a 400', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound' }, spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] } };
    const created = await api.request('POST', `/api/v1/namespaces/${NS}/pods`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(pod) });
    assert.equal(created.status, 201, created.body);
    const unbound = await api.request('GET', `/api/v1/namespaces/${NS}/pods/unbound/log?container=a`);
    assert.equal(unbound.status, 400);
    assert.match(unbound.body, /pod unbound does not have a host assigned/);
  });

  it('the kubelet refuses clients without a cluster-CA certificate, and users it does not know', async () => {
    const call = (tls: { certPem?: string; keyPem?: string }) =>
      new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port: kubeletPort, path: '/pods', ca: caPem, checkServerIdentity: () => undefined, ...(tls.certPem ? { cert: tls.certPem, key: tls.keyPem } : {}) },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    const otherCa = await createCertificateAuthority({ validityDays: 1, commonName: 'not-the-cluster-ca' });
    assert.equal(await call(await issueClientCertificate(otherCa, { validityDays: 1, commonName: 'kube-apiserver-kubelet-client' })), 401);
    assert.equal(await call({}), 401);
    assert.equal(await call(await issueClientCertificate({ certPem: caPem, keyPem: caKeyPem }, { validityDays: 1, commonName: 'someone' })), 403);
    assert.equal(await call(await issueClientCertificate({ certPem: caPem, keyPem: caKeyPem }, { validityDays: 1, commonName: 'kube-apiserver-kubelet-client' })), 200);
  });
});
