// `kite agent` joining a real `kite server` as another process: `kite token create
// --print-join-command` makes a bootstrap token, the agent pins the CA by hash, gets its client and
// serving certificates through CSRs the controller manager approves and signs, registers its Node,
// runs a pod and serves its logs through the kubelet API; restarted without a token it reuses its certificates; a wrong CA hash or token
// is refused before anything is written.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { kiteBin, startKite, type KiteProcess } from './support/kite-process.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

const run = promisify(execFile);
const NODE = 'agent-1';

async function joinCommand(kubeconfig: string): Promise<{ server: string; token: string; hash: string }> {
  const { stdout } = await run(process.execPath, [kiteBin, 'token', 'create', '--kubeconfig', kubeconfig, '--ttl', '1h', '--print-join-command'], { timeout: 30_000 });
  const m = /^kite agent --server (\S+) --token ([a-z0-9]{6}\.[a-z0-9]{16}) --ca-cert-hash (sha256:[0-9a-f]{64})\n$/.exec(stdout);
  assert.ok(m, `unexpected join command: ${stdout}`);
  return { server: m[1]!, token: m[2]!, hash: m[3]! };
}

async function stopAgent(agent: KiteProcess): Promise<void> {
  agent.kill('SIGTERM');
  const code = await Promise.race([agent.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
  if (code === 'timeout') agent.kill('SIGKILL');
  assert.equal(code, 0, agent.stderr());
}

describe('kite agent joins a kite server', { timeout: 240_000 }, () => {
  let dir: string;
  let server: KiteServer;
  let agent: KiteProcess | undefined;
  let join_: { server: string; token: string; hash: string };

  const agentArgs = (dataDir: string, extra: string[]) => ['agent', '--server', join_.server, '--data-dir', dataDir, '--node-name', NODE, '--node-ip', '127.0.0.1', '--kubelet-port', '0', ...extra];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-agent-join-'));
    server = await startKiteServer(join(dir, 'server'), { scheduler: true, controllers: true });
    join_ = await joinCommand(server.kubeconfig);
  });

  after(async () => {
    if (agent && agent.child.exitCode === null) agent.kill('SIGKILL');
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a CA that does not match the pinned hash, before sending the token', async () => {
    const wrong = startKite(agentArgs(join(dir, 'wrong-ca'), ['--token', join_.token, '--ca-cert-hash', `sha256:${'0'.repeat(64)}`]));
    assert.notEqual(await wrong.exited, 0);
    assert.match(wrong.stderr(), /matches the pinned hash/);
    assert.equal(existsSync(join(dir, 'wrong-ca', 'kubelet.kubeconfig')), false);
    const csrs = JSON.parse(await kubectlOk(server.kubeconfig, ['get', 'csr', '-o', 'json'])) as { items: CertificateSigningRequest[] };
    assert.equal(csrs.items.length, 0);
  });

  it('refuses an unknown token', async () => {
    const bad = startKite(agentArgs(join(dir, 'bad-token'), ['--token', 'abcdef.0123456789abcdef', '--ca-cert-hash', join_.hash]));
    assert.notEqual(await bad.exited, 0);
    assert.match(bad.stderr(), /Unauthorized|401/);
    assert.equal(existsSync(join(dir, 'bad-token', 'kubelet.kubeconfig')), false);
  });

  it('bootstraps its certificates, registers the node and runs a pod', async () => {
    agent = startKite(agentArgs(join(dir, 'agent'), ['--token', join_.token, '--ca-cert-hash', join_.hash]));
    await agent.waitFor(/\bready\b.*node=/, 90_000);
    await waitUntil(
      'the agent node to be Ready',
      async () => {
        const node = JSON.parse(await kubectlOk(server.kubeconfig, ['get', 'node', NODE, '-o', 'json'])) as Node;
        return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      },
      { timeoutMs: 60_000 },
    );
    const csrs = (JSON.parse(await kubectlOk(server.kubeconfig, ['get', 'csr', '-o', 'json'])) as { items: CertificateSigningRequest[] }).items;
    const bySigner = new Map(csrs.map((c) => [c.spec.signerName, c]));
    const client = bySigner.get('kubernetes.io/kube-apiserver-client-kubelet');
    const serving = bySigner.get('kubernetes.io/kubelet-serving');
    assert.equal(client?.spec.username, `system:bootstrap:${join_.token.split('.')[0]}`);
    assert.ok(client?.spec.groups?.includes('system:bootstrappers'));
    assert.equal(serving?.spec.username, `system:node:${NODE}`);
    for (const csr of [client!, serving!]) {
      assert.ok(csr.status?.certificate, `${csr.metadata?.name} has a certificate`);
      assert.equal(csr.status?.conditions?.find((c) => c.type === 'Approved')?.reason, 'AutoApproved');
    }
    const table = await kubectlOk(server.kubeconfig, ['get', 'csr']);
    assert.match(table, /Approved,Issued/);

    await kubectlOk(server.kubeconfig, ['run', 'hello', '--image=busybox', '--restart=Never', '--command', '--', 'sh', '-c', 'echo hi from the agent']);
    await waitUntil(
      'the pod to succeed on the agent node',
      async () => {
        const pod = JSON.parse(await kubectlOk(server.kubeconfig, ['get', 'pod', 'hello', '-o', 'json'])) as Pod;
        return pod.spec?.nodeName === NODE && pod.status?.phase === 'Succeeded';
      },
      { timeoutMs: 60_000, describe: () => agent!.stderr().slice(-2000) },
    );
    // through the API server to the agent's kubelet API, which verifies it against the cluster CA
    assert.equal(await kubectlOk(server.kubeconfig, ['logs', 'hello']), 'hi from the agent\n');
  });

  it('restarts without a token on the certificates it has', async () => {
    await stopAgent(agent!);
    const before = (await kubectlOk(server.kubeconfig, ['get', 'csr', '-o', 'name'])).trim().split('\n').length;
    agent = startKite(agentArgs(join(dir, 'agent'), []));
    await agent.waitFor(/\bready\b.*node=/, 90_000);
    assert.equal((await kubectlOk(server.kubeconfig, ['get', 'csr', '-o', 'name'])).trim().split('\n').length, before);
    const nodes = await kubectl(server.kubeconfig, ['get', 'node', NODE]);
    assert.equal(nodes.code, 0, nodes.stderr);
    // deleted while the kubelet runs, so that it removes the pod's sandbox (and cgroups) too
    await kubectlOk(server.kubeconfig, ['delete', 'pod', 'hello', '--wait=true', '--timeout=60s']);
    await stopAgent(agent);
  });
});

describe('kite agent started while its server is down', { timeout: 240_000 }, () => {
  let dir: string;
  let server: KiteServer | undefined;
  let agent: KiteProcess | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kite-agent-wait-'));
  });
  after(async () => {
    if (agent && agent.child.exitCode === null) agent.kill('SIGKILL');
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the server, then joins', async () => {
    // a first start makes the CA and the token; then the server goes away
    const first = await startKiteServer(join(dir, 'server'), { scheduler: true, controllers: true });
    const joinCmd = await joinCommand(first.kubeconfig);
    await stopKiteServer(first);

    agent = startKite(['agent', '--server', joinCmd.server, '--token', joinCmd.token, '--ca-cert-hash', joinCmd.hash, '--data-dir', join(dir, 'agent'), '--node-name', 'late-1', '--kubelet-port', '0']);
    await agent.waitFor(/server not reachable yet, retrying/, 30_000);
    server = await startKiteServer(join(dir, 'server'), { scheduler: true, controllers: true, port: first.port });
    await agent.waitFor(/\bready\b.*node="?late-1\b/, 90_000);
    // the node IP is the local address that reaches the server
    const node = JSON.parse(await kubectlOk(server.kubeconfig, ['get', 'node', 'late-1', '-o', 'json'])) as Node;
    assert.deepEqual(node.status?.addresses?.find((a) => a.type === 'InternalIP'), { type: 'InternalIP', address: '127.0.0.1' });
    await stopAgent(agent);
  });
});
