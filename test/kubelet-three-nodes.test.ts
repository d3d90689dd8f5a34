// Three nodes, each in a network namespace of its own (test/support/netns.ts: a bridge in a hub
// namespace, a veth per node): a real `kite server` (with its kubelet, node kite-srv) on 10.213.0.1
// and two real `kite agent`s joined with a bootstrap token on .2 and .3. A Deployment spreads 2/2/2
// over them (topologySpreadConstraint on kubernetes.io/hostname); the real kubectl, run inside the
// server's namespace, uses logs, exec, cp, port-forward and top on pods of an agent, so every call
// crosses from the API server to that agent's kubelet over the bridge. Then agent-b is SIGKILLed: the
// node lifecycle controller marks it Unknown and taints it unreachable:NoExecute, the taint eviction
// controller evicts its pods after the 2 s default toleration (--default-unreachable-toleration-seconds),
// and the Deployment is whole again on the two nodes left. agent-a and the server then stop cleanly;
// whatever is left in the namespaces (agent-b's containers) is killed with them at the end.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { kiteBin, startProcess, type KiteProcess } from './support/kite-process.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { createNetnsLab, type NetnsLab } from './support/netns.js';
import { waitUntil } from './support/wait-until.js';

const SERVER = 'kite-srv';
const AGENTS = ['agent-a', 'agent-b'] as const;
const APP = 'spread';
const WEB_PORT = 18080;

// Node health at test speed: a Lease renewed every 2 s, unknown after 12 s without one (room for a
// busy machine), checked every second.
const LEASE_SECONDS = '8';
const GRACE = '12s';

/** The process's exit code or signal, or 'timeout'. */
async function exitWithin(proc: KiteProcess, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const isReady = (node: Node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('three nodes in network namespaces', { timeout: 240_000 }, () => {
  let dir: string;
  let lab: NetnsLab | undefined;
  let srvNs: string;
  let kubeconfig: string;
  let server: KiteProcess | undefined;
  const agents = new Map<string, KiteProcess>();

  const kc = (args: string[], input?: string) => kubectlOk(kubeconfig, args, { netns: srvNs, timeoutMs: 30_000, ...(input !== undefined ? { input } : {}) });
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kc([...args, '-o', 'json'])) as T;
  const appPods = async () => (await json<{ items: Pod[] }>(['get', 'pods', '-l', `app=${APP}`])).items;
  const logs = () => [...(server ? [`--- server\n${server.stderr().slice(-3000)}`] : []), ...[...agents].map(([n, a]) => `--- ${n}\n${a.stderr().slice(-2000)}`)].join('\n');
  const kite = (netns: string, args: string[]) => {
    const [file, argv] = lab!.argv(netns, process.execPath, [kiteBin, ...args]);
    return startProcess(file, argv);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-three-nodes-'));
    lab = createNetnsLab({ prefix: 'kite', subnet: '10.213.0', hosts: ['srv', ...AGENTS] });
    srvNs = lab.hosts.srv!.netns;
    const serverIp = lab.hosts.srv!.ip;
    const serverDir = join(dir, 'server');
    kubeconfig = join(serverDir, 'admin.kubeconfig');
    server = kite(srvNs, [
      'server',
      '--data-dir', serverDir,
      '--bind-address', serverIp,
      '--node-name', SERVER,
      '--kubelet-port', '10250',
      '--node-monitor-period', '1s',
      '--node-monitor-grace-period', GRACE,
      '--node-lease-duration-seconds', LEASE_SECONDS,
      '--node-status-update-frequency', '2s',
      '--default-not-ready-toleration-seconds', '2',
      '--default-unreachable-toleration-seconds', '2',
    ]);
    await server.waitFor(/\bready\b.*url=/, 90_000);

    const { stdout } = await lab.run(srvNs, process.execPath, [kiteBin, 'token', 'create', '--kubeconfig', kubeconfig, '--ttl', '1h', '--print-join-command']);
    const m = /^kite agent --server (\S+) --token (\S+) --ca-cert-hash (sha256:[0-9a-f]{64})\n$/.exec(stdout);
    assert.ok(m, `unexpected join command: ${stdout}`);
    assert.equal(m[1], `https://${serverIp}:6443`);
    for (const name of AGENTS) {
      const host = lab.hosts[name]!;
      agents.set(
        name,
        kite(host.netns, [
          'agent',
          '--server', m[1]!,
          '--token', m[2]!,
          '--ca-cert-hash', m[3]!,
          '--data-dir', join(dir, name),
          '--node-name', name,
          '--node-ip', host.ip,
          '--kubelet-port', '10250',
          '--node-lease-duration-seconds', LEASE_SECONDS,
          '--node-status-update-frequency', '2s',
        ]),
      );
    }
    await waitUntil(
      'the three nodes to be Ready',
      async () => {
        const nodes = (await json<{ items: Node[] }>(['get', 'nodes'])).items;
        return [SERVER, ...AGENTS].every((n) => nodes.some((node) => node.metadata?.name === n && isReady(node)));
      },
      { timeoutMs: 90_000, intervalMs: 500, describe: logs },
    );
  });

  after(async () => {
    try {
      for (const agent of agents.values()) if (agent.child.exitCode === null && agent.child.signalCode === null) agent.kill('SIGTERM');
      if (server && server.child.exitCode === null) server.kill('SIGTERM');
      await Promise.all([...agents.values(), ...(server ? [server] : [])].map((p) => exitWithin(p, 15_000)));
    } finally {
      // whatever is left in the namespaces (agents that did not stop, their containers, kubectl) is killed here
      lab?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a Deployment spreads over the three nodes, each pod with its node\'s IP', async () => {
    const deployment: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: APP },
      spec: {
        replicas: 6,
        selector: { matchLabels: { app: APP } },
        template: {
          metadata: { labels: { app: APP } },
          spec: {
            terminationGracePeriodSeconds: 1,
            topologySpreadConstraints: [
              // Honor: a node tainted unreachable is no domain, so replacements may go to the other two
              { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor', labelSelector: { matchLabels: { app: APP } } },
            ],
            containers: [
              {
                name: 'app',
                image: 'busybox',
                command: ['sh', '-c', 'echo "$POD_NAME on $NODE_NAME"; exec sleep 100000'],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                ],
              },
            ],
          },
        },
      },
    };
    await kc(['apply', '-f', '-'], JSON.stringify(deployment));
    let pods: Pod[] = [];
    await waitUntil(
      'six Running pods',
      async () => {
        pods = await appPods();
        return pods.length === 6 && pods.every((p) => p.status?.phase === 'Running');
      },
      { timeoutMs: 60_000, intervalMs: 500, describe: () => `${pods.map((p) => `${p.metadata?.name} ${p.spec?.nodeName} ${p.status?.phase}`).join('\n')}\n${logs()}` },
    );
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...perNode].sort()), { [SERVER]: 2, 'agent-a': 2, 'agent-b': 2 });
    const ips = Object.fromEntries([[SERVER, lab!.hosts.srv!.ip], ...AGENTS.map((a) => [a, lab!.hosts[a]!.ip])]) as Record<string, string>;
    for (const p of pods) assert.equal(p.status?.podIP, ips[p.spec!.nodeName!], `${p.metadata?.name} has its node's IP`);
  });

  it('kubectl logs, exec, cp and top reach a pod on agent-a across namespaces', async () => {
    const pod = (await appPods()).find((p) => p.spec?.nodeName === 'agent-a');
    assert.ok(pod?.metadata?.name);
    const name = pod.metadata.name;
    assert.equal(await kc(['logs', name]), `${name} on agent-a\n`);

    // the process runs in agent-a's network namespace
    const r = await kubectl(kubeconfig, ['exec', name, '--', 'sh', '-c', 'ip -o -4 addr show dev eth0; exit 7'], { netns: srvNs });
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stdout, new RegExp(`inet ${lab!.hosts['agent-a']!.ip.replaceAll('.', '\\.')}/24`));
    assert.equal(await kc(['exec', '-i', name, '--', 'tr', 'a-z', 'A-Z'], 'through the bridge\n'), 'THROUGH THE BRIDGE\n');

    const local = join(dir, 'local.txt');
    const remote = join(dir, 'in-pod.txt');
    const back = join(dir, 'back.txt');
    writeFileSync(local, 'copied across namespaces\n');
    await kc(['cp', local, `default/${name}:${remote}`]);
    assert.equal(readFileSync(remote, 'utf8'), 'copied across namespaces\n');
    await kc(['cp', `default/${name}:${remote}`, back]);
    assert.equal(readFileSync(back, 'utf8'), 'copied across namespaces\n');

    await waitUntil(
      'kubectl top nodes to show the three nodes and top pods the pod',
      async () => {
        const nodes = await kc(['top', 'nodes']);
        const pods = await kc(['top', 'pods', '-l', `app=${APP}`]);
        return [SERVER, ...AGENTS].every((n) => new RegExp(`^${n}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`, 'm').test(nodes)) && new RegExp(`^${name}\\s+\\d+m\\s+\\d+Mi`, 'm').test(pods);
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  });

  it('kubectl port-forward reaches a server in a pod on agent-a', async () => {
    const web: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        nodeSelector: { 'kubernetes.io/hostname': 'agent-a' },
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'httpd',
            image: 'busybox',
            command: ['sh', '-c', `echo "hello from $NODE_NAME" > index.html && exec /bin/busybox httpd -f -p ${WEB_PORT} -h .`],
            env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          },
        ],
      },
    };
    await kc(['apply', '-f', '-'], JSON.stringify(web));
    await kc(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
    // the local end listens inside the server's namespace: fetched from there with busybox wget
    const [file, argv] = lab!.argv(srvNs, 'kubectl', ['--kubeconfig', kubeconfig, 'port-forward', 'pod/web', `18081:${WEB_PORT}`]);
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      await waitUntil('port-forward to listen', () => out.includes('Forwarding from'), { timeoutMs: 20_000, describe: () => out });
      for (let i = 0; i < 2; i++) {
        const got = await lab!.run(srvNs, '/bin/busybox', ['wget', '-q', '-O-', 'http://127.0.0.1:18081/'], 15_000);
        assert.equal(got.stdout, 'hello from agent-a\n', `${got.stderr}\n${out}`);
      }
    } finally {
      child.kill('SIGTERM');
    }
    await kc(['delete', 'pod', 'web', '--wait=false']);
  });

  it('a killed agent\'s pods come back on the other nodes through the node lifecycle controller', async (t) => {
    const victim = agents.get('agent-b')!;
    const before = (await appPods()).filter((p) => p.spec?.nodeName === 'agent-b').map((p) => p.metadata!.name!);
    assert.equal(before.length, 2);
    const killedAt = Date.now();
    process.kill(victim.child.pid!, 'SIGKILL');
    assert.equal(await victim.exited, 'SIGKILL');

    await waitUntil(
      'agent-b to be Unknown and tainted unreachable:NoExecute',
      async () => {
        const node = await json<Node>(['get', 'node', 'agent-b']);
        const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
        return ready?.status === 'Unknown' && (node.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
      },
      { timeoutMs: 60_000, intervalMs: 500, describe: logs },
    );
    let pods: Pod[] = [];
    let deployment: Deployment | undefined;
    await waitUntil(
      'six available replicas again, none on agent-b',
      async () => {
        pods = (await appPods()).filter((p) => !p.metadata?.deletionTimestamp);
        deployment = await json<Deployment>(['get', 'deployment', APP]);
        return (
          pods.length === 6 &&
          pods.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName !== 'agent-b') &&
          deployment.status?.availableReplicas === 6
        );
      },
      { timeoutMs: 90_000, intervalMs: 500, describe: () => `${pods.map((p) => `${p.metadata?.name} ${p.spec?.nodeName} ${p.status?.phase}`).join('\n')}\n${JSON.stringify(deployment?.status)}\n${logs()}` },
    );
    const recoveredMs = Date.now() - killedAt;
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...perNode].sort()), { [SERVER]: 3, 'agent-a': 3 });
    // agent-b's pods were evicted by the taint manager, and stay Terminating while no kubelet confirms it
    const evicted = (await appPods()).filter((p) => before.includes(p.metadata!.name!));
    assert.equal(evicted.length, 2);
    for (const p of evicted) {
      assert.ok(p.metadata?.deletionTimestamp, `${p.metadata?.name} is being deleted`);
      assert.equal(p.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    }
    // the server and agent-a stayed Ready throughout
    const nodes = (await json<{ items: Node[] }>(['get', 'nodes'])).items;
    assert.deepEqual(nodes.filter(isReady).map((n) => n.metadata?.name).sort(), ['agent-a', SERVER]);
    t.diagnostic(`agent-b's pods were replaced ${recoveredMs} ms after its agent was killed`);
  });

  it('agent-a and the server stop cleanly on SIGTERM', async () => {
    for (const proc of [agents.get('agent-a')!, server!]) {
      proc.kill('SIGTERM');
      assert.equal(await exitWithin(proc, 20_000), 0, proc.stderr().slice(-3000));
    }
  });
});
