// The containerd runtime against a real, private containerd (test/support/containerd-process.ts):
// sandboxes on a CNI bridge inside a network namespace the test makes, busybox containers from
// locally built images, CRI log files, exit reasons (Completed, Error, OOMKilled), pod-to-pod
// traffic, ExecSync, exec/attach/port-forward over the streaming server's WebSocket, stats,
// images, NotFound, and a clean machine afterwards. It never skips: when containerd cannot start,
// it fails saying what is missing.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connectContainerdRuntime } from '../src/runtime/containerd/index.js';
import { isRuntimeNotFound } from '../src/runtime/errors.js';
import type { ContainerConfig, ContainerRuntime, ContainerStatus, PodSandboxConfig } from '../src/runtime/runtime.js';
import { startContainerd, type ContainerdProcess } from './support/containerd-process.js';
import type { BuiltImage } from './support/oci-image.js';
import { REGISTRY_PASSWORD, REGISTRY_USER, startRegistry } from './support/registry-process.js';
import { waitUntil, withTimeout } from './support/wait-until.js';

const BUSYBOX = 'kite.local/busybox:1';

describe('containerd runtime (CRI v1 over gRPC)', () => {
  let containerd: ContainerdProcess;
  let runtime: ContainerRuntime;
  let busybox: BuiltImage;
  let pods = 0;

  before(async () => {
    containerd = await startContainerd();
    busybox = containerd.addImage({ name: BUSYBOX });
    runtime = containerd.runtime();
  });

  after(async () => {
    await containerd?.stop();
  });

  function sandboxConfig(name: string, labels: Record<string, string> = {}): PodSandboxConfig {
    const uid = `uid-${++pods}`;
    const logDirectory = join(containerd.logRoot, `default_${name}_${uid}`);
    mkdirSync(logDirectory, { recursive: true });
    return {
      metadata: { name, namespace: 'default', uid, attempt: 0 },
      hostname: name,
      logDirectory,
      portMappings: [],
      labels: { 'kite.test/pod': name, ...labels },
      annotations: { 'kite.test/note': 'from the test' },
      hostNetwork: false,
      cgroupParent: containerd.cgroupParent,
    };
  }

  function containerConfig(name: string, script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
    return {
      metadata: { name, attempt: 0 },
      image: BUSYBOX,
      command: ['sh', '-c'],
      args: [script],
      envs: [{ key: 'GREETING', value: 'hello' }],
      mounts: [],
      labels: { 'kite.test/container': name },
      annotations: {},
      logPath: `${name}/0.log`,
      stdin: false,
      stdinOnce: false,
      tty: false,
      ...extra,
    };
  }

  async function runContainer(sandboxId: string, sandbox: PodSandboxConfig, config: ContainerConfig): Promise<string> {
    const id = await runtime.createContainer(sandboxId, config, sandbox);
    await runtime.startContainer(id);
    return id;
  }

  async function waitExited(id: string, timeoutMs = 20_000): Promise<ContainerStatus> {
    let status: ContainerStatus | undefined;
    await waitUntil(
      `container ${id} to exit`,
      async () => (status = await runtime.containerStatus(id)).state === 'exited',
      { timeoutMs, intervalMs: 50, describe: () => JSON.stringify(status) },
    );
    return status!;
  }

  async function removeSandbox(id: string): Promise<void> {
    await runtime.stopPodSandbox(id);
    await runtime.removePodSandbox(id);
  }

  function collect(stream: Readable | undefined): () => string {
    let text = '';
    stream?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    return () => text;
  }

  it('speaks runtime.v1 and reports containerd', async () => {
    const version = await runtime.version();
    assert.equal(version.runtimeName, 'containerd');
    assert.equal(version.runtimeApiVersion, 'v1');
    assert.match(version.runtimeVersion, /^1\.\d+/);
    const connected = await connectContainerdRuntime({ endpoint: `unix://${containerd.address}` });
    assert.equal((await connected.version()).runtimeApiVersion, 'v1');
    await connected.close();
    await assert.rejects(
      connectContainerdRuntime({ endpoint: join(containerd.logRoot, 'no.sock'), requestTimeoutMs: 5000 }),
      /no CRI v1 runtime at .*no\.sock: CRI Version: UNAVAILABLE/,
    );
  });

  it('runs a sandbox with an IP on the bridge, and lists it by label and state', async () => {
    const config = sandboxConfig('net', { tier: 'one' });
    const id = await runtime.runPodSandbox(config);
    try {
      const status = await runtime.podSandboxStatus(id);
      assert.equal(status.state, 'ready');
      assert.deepEqual(status.metadata, config.metadata);
      assert.equal(status.hostNetwork, false);
      assert.equal(status.ips.length, 1);
      const prefix = containerd.subnet.replace(/0\/24$/, '');
      assert.ok(status.ips[0]!.startsWith(prefix), `${status.ips[0]} is in ${containerd.subnet}`);
      assert.equal(status.labels.tier, 'one');
      assert.equal(status.annotations['kite.test/note'], 'from the test');
      const listed = await runtime.listPodSandbox({ labelSelector: { tier: 'one' }, state: 'ready' });
      assert.deepEqual(listed.map((s) => s.id), [id]);
      assert.deepEqual(await runtime.listPodSandbox({ labelSelector: { tier: 'none' } }), []);
      await runtime.stopPodSandbox(id);
      assert.equal((await runtime.podSandboxStatus(id)).state, 'notready');
      await runtime.stopPodSandbox(id); // idempotent
    } finally {
      await removeSandbox(id);
    }
    await assert.rejects(runtime.podSandboxStatus(id), isRuntimeNotFound);
    await runtime.removePodSandbox(id); // idempotent
  });

  it("runs a host-network sandbox in the node's network (here: the test's namespace)", async () => {
    const config = { ...sandboxConfig('hostnet'), hostNetwork: true };
    const id = await runtime.runPodSandbox(config);
    try {
      const status = await runtime.podSandboxStatus(id);
      assert.equal(status.hostNetwork, true);
      assert.deepEqual(status.ips, ['127.0.0.1'], "the node's IPs, as the runtime was told them");
      const c = await runContainer(id, config, containerConfig('links', 'ip -o link show kite0'));
      const exited = await waitExited(c);
      assert.equal(exited.exitCode, 0, 'the bridge of the namespace is visible: the container shares its network');
    } finally {
      await removeSandbox(id);
    }
  });

  it('runs busybox sh: the CRI log file has stdout and stderr, exit codes and reasons pass through', async () => {
    const sandbox = sandboxConfig('logs');
    const sandboxId = await runtime.runPodSandbox(sandbox);
    try {
      const failing = await runContainer(sandboxId, sandbox, containerConfig('failing', 'echo "$GREETING out"; echo to-err >&2; exit 3'));
      const completing = await runContainer(sandboxId, sandbox, containerConfig('completing', 'echo done'));
      const failed = await waitExited(failing);
      assert.equal(failed.exitCode, 3);
      assert.equal(failed.reason, 'Error');
      // containerd stamps startedAt itself once the shim's Start returns, while finishedAt is the
      // shim's exit time: a process that exits at once can finish "before" it started.
      assert.ok(failed.startedAt >= failed.createdAt && failed.createdAt > 0, `started ${failed.startedAt}, created ${failed.createdAt}`);
      assert.ok(failed.finishedAt >= failed.createdAt, `finished ${failed.finishedAt}, created ${failed.createdAt}`);
      assert.equal(failed.image, BUSYBOX);
      assert.equal(failed.imageRef, busybox.configDigest);
      assert.equal(failed.logPath, join(sandbox.logDirectory, 'failing/0.log'));
      const lines = readFileSync(failed.logPath, 'utf8').trim().split('\n');
      assert.match(lines.find((l) => l.includes(' stdout ')) ?? '', /^\S+Z stdout F hello out$/);
      assert.match(lines.find((l) => l.includes(' stderr ')) ?? '', /^\S+Z stderr F to-err$/);
      const completed = await waitExited(completing);
      assert.equal(completed.exitCode, 0);
      assert.equal(completed.reason, 'Completed');
      const listed = await runtime.listContainers({ podSandboxId: sandboxId, state: 'exited' });
      assert.deepEqual(listed.map((c) => c.metadata.name).sort(), ['completing', 'failing']);
      assert.deepEqual((await runtime.listContainers({ labelSelector: { 'kite.test/container': 'failing' } })).map((c) => c.id), [failing]);
      await runtime.removeContainer(failing);
      await runtime.removeContainer(failing); // idempotent
      await assert.rejects(runtime.containerStatus(failing), isRuntimeNotFound);
    } finally {
      await removeSandbox(sandboxId);
    }
  });

  it('stops a running container with SIGTERM', async () => {
    const sandbox = sandboxConfig('stop');
    const sandboxId = await runtime.runPodSandbox(sandbox);
    try {
      const id = await runContainer(sandboxId, sandbox, containerConfig('trapper', "trap 'exit 0' TERM; echo ready; sleep 1000 & wait"));
      await waitUntil('the container to log "ready"', () => existsSync(join(sandbox.logDirectory, 'trapper/0.log')) && readFileSync(join(sandbox.logDirectory, 'trapper/0.log'), 'utf8').includes('ready'));
      await withTimeout('stopContainer', runtime.stopContainer(id, 30), 10_000);
      const status = await runtime.containerStatus(id);
      assert.equal(status.state, 'exited');
      assert.equal(status.exitCode, 0);
      await runtime.stopContainer(id, 30); // idempotent
    } finally {
      await removeSandbox(sandboxId);
    }
  });

  it('two sandboxes reach each other by IP (httpd and wget)', async () => {
    const serverSandbox = sandboxConfig('server');
    const clientSandbox = sandboxConfig('client');
    const serverId = await runtime.runPodSandbox(serverSandbox);
    const clientId = await runtime.runPodSandbox(clientSandbox);
    try {
      const serverIp = (await runtime.podSandboxStatus(serverId)).ips[0]!;
      await runContainer(serverId, serverSandbox, containerConfig('httpd', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www'));
      const client = await runContainer(
        clientId,
        clientSandbox,
        // (no wget -T: Debian's busybox-static 1.35 wget segfaults with it)
        containerConfig('wget', `for i in $(seq 1 50); do wget -q -O- http://${serverIp}:8080/ && exit 0; sleep 0.1; done; exit 1`),
      );
      const status = await waitExited(client, 30_000);
      assert.equal(status.exitCode, 0, readFileSync(status.logPath, 'utf8'));
      assert.match(readFileSync(status.logPath, 'utf8'), /stdout F hello from server$/m);
    } finally {
      await removeSandbox(clientId);
      await removeSandbox(serverId);
    }
  });

  it('ends a container over its memory limit OOMKilled', async () => {
    const sandbox = sandboxConfig('oom');
    const sandboxId = await runtime.runPodSandbox(sandbox);
    try {
      const id = await runContainer(
        sandboxId,
        sandbox,
        containerConfig('hog', 'dd if=/dev/zero of=/dev/null bs=128M count=4', { resources: { memoryLimitBytes: 16 * 1024 * 1024 } }),
      );
      const exited = await waitExited(id);
      assert.equal(exited.exitCode, 137);
      // containerd records the reason from the task's OOM event, which it may handle just after
      // the exit event: the status settles on OOMKilled.
      let status = exited;
      await waitUntil('the reason OOMKilled', async () => (status = await runtime.containerStatus(id)).reason === 'OOMKilled', {
        timeoutMs: 10_000,
        intervalMs: 50,
        describe: () => JSON.stringify(status),
      });
      assert.equal(status.exitCode, 137);
    } finally {
      await removeSandbox(sandboxId);
    }
  });

  it('ExecSync, exec, attach and port-forward reach the container; stats report usage', async () => {
    const sandbox = sandboxConfig('streams');
    const sandboxId = await runtime.runPodSandbox(sandbox);
    try {
      const id = await runContainer(
        sandboxId,
        sandbox,
        containerConfig(
          'echoer',
          'mkdir -p /www && echo hello-forwarded > /www/index.html && httpd -p 8080 -h /www && while read line; do echo "got:$line"; done',
          { stdin: true, resources: { memoryLimitBytes: 64 * 1024 * 1024, cpuLimitMillis: 500, cpuRequestMillis: 100 } },
        ),
      );

      const sync = await runtime.execSync(id, ['sh', '-c', 'echo "$GREETING"; echo oops >&2; exit 4'], 10_000);
      assert.equal(sync.stdout.toString(), 'hello\n');
      assert.equal(sync.stderr.toString(), 'oops\n');
      assert.equal(sync.exitCode, 4);
      await assert.rejects(runtime.execSync(id, ['sleep', '30'], 1000), /timeout|deadline/i);

      const exec = await runtime.exec(id, ['sh', '-c', 'read x; echo "read:$x"; echo e >&2; exit 5'], { stdin: true, stdout: true, stderr: true, tty: false });
      const execOut = collect(exec.stdout);
      const execErr = collect(exec.stderr);
      exec.stdin!.write('abc\n');
      assert.equal(await withTimeout('exec exit', exec.exit, 10_000), 5);
      assert.equal(execOut(), 'read:abc\n');
      assert.equal(execErr(), 'e\n');

      // With a tty, stdin too (as kubectl -it): containerd 1.6 drops a tty's output when stdin is off.
      const tty = await runtime.exec(id, ['sh', '-c', 'tty; echo to-err >&2'], { stdin: true, stdout: true, stderr: true, tty: true });
      assert.equal(tty.stderr, undefined, 'a tty merges stderr into stdout');
      const ttyOut = collect(tty.stdout);
      assert.equal(await withTimeout('tty exec exit', tty.exit, 10_000), 0);
      assert.match(ttyOut(), /^\/dev\/pts\/\d+\r\nto-err\r\n$/);

      const attach = await runtime.attach(id, { stdin: true, stdout: true, stderr: true, tty: false });
      const attachOut = collect(attach.stdout);
      attach.stderr?.resume();
      attach.stdin!.write('line1\n');
      await waitUntil('the attached process to echo', () => attachOut().includes('got:line1\n'));
      attach.close();

      await waitUntil('httpd to listen', async () => (await runtime.execSync(id, ['wget', '-q', '-O-', 'http://127.0.0.1:8080/'], 5000)).exitCode === 0);
      const forward = await runtime.portForward(sandboxId, 8080);
      const body = collect(forward);
      const ended = new Promise<void>((resolve, reject) => {
        forward.once('end', resolve);
        forward.once('error', reject);
      });
      forward.write('GET / HTTP/1.0\r\nHost: pod\r\n\r\n');
      await withTimeout('port-forward response', ended, 10_000);
      assert.match(body(), /^HTTP\/1\.[01] 200 OK\r\n/);
      assert.match(body(), /hello-forwarded\n$/);

      const stats = await runtime.containerStats(id);
      assert.equal(stats.id, id);
      assert.equal(stats.metadata.name, 'echoer');
      assert.ok(stats.cpuUsageCoreNanoSeconds > 0, `cpu ${stats.cpuUsageCoreNanoSeconds}`);
      assert.ok(stats.memoryWorkingSetBytes > 0, `memory ${stats.memoryWorkingSetBytes}`);
      assert.ok(stats.timestamp > 0);
      const all = await runtime.listContainerStats({ podSandboxId: sandboxId });
      assert.deepEqual(all.map((s) => s.id), [id]);
    } finally {
      await removeSandbox(sandboxId);
    }
  });

  it('images: status of a present image, pull of an unreachable one fails, list, remove, fs info', async () => {
    const present = await runtime.imageStatus(BUSYBOX);
    assert.ok(present, 'the imported image is present');
    assert.equal(present.id, busybox.configDigest);
    assert.ok(present.repoTags.includes(BUSYBOX));
    assert.ok(present.sizeBytes > 500_000);
    assert.equal(await runtime.imageStatus('kite.local/absent:1'), undefined);
    // PullImage always asks the registry (pull policy is the kubelet's); none is reachable here.
    await assert.rejects(runtime.pullImage('kite.local/absent:1', { username: 'u', password: 'p' }), /CRI PullImage/);

    const extra = containerd.addImage({ name: 'kite.local/extra:1', cmd: ['echo', 'extra'] });
    assert.ok((await runtime.listImages()).some((i) => i.id === extra.configDigest));
    await runtime.removeImage('kite.local/extra:1');
    assert.equal(await runtime.imageStatus('kite.local/extra:1'), undefined);
    await runtime.removeImage('kite.local/extra:1'); // idempotent

    const fs = await runtime.imageFsInfo();
    assert.ok(fs.length >= 1);
    assert.ok(fs[0]!.mountpoint.startsWith(containerd.address.replace(/containerd\.sock$/, '')));
    assert.ok(fs[0]!.timestamp > 0);
  });

  it('pulls from a registry with basic auth; without or with wrong credentials the pull fails', async () => {
    const registry = await startRegistry(containerd);
    try {
      // its own image (own id): removing it by reference removes every tag of that id
      const pushed = containerd.addImage({ name: 'kite.local/pushed:1', cmd: ['echo', 'pushed'] });
      const ref = registry.push(pushed.name, 'kite/pushed:1');
      await runtime.removeImage(pushed.name);
      assert.equal(await runtime.imageStatus(ref), undefined);
      await assert.rejects(runtime.pullImage(ref), /401|unauthorized/i);
      await assert.rejects(runtime.pullImage(ref, { username: REGISTRY_USER, password: 'wrong' }), /401|unauthorized/i);
      const imageRef = await runtime.pullImage(ref, { username: REGISTRY_USER, password: REGISTRY_PASSWORD });
      assert.equal(imageRef, pushed.configDigest);
      const pulled = await runtime.imageStatus(ref);
      assert.deepEqual(pulled?.repoTags, [ref]);
      assert.deepEqual(pulled?.repoDigests, [`${registry.host}/kite/pushed@${pushed.manifestDigest}`]);
      // the same credentials as one base64 "auth" string
      await runtime.removeImage(ref);
      const auth = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64');
      assert.equal(await runtime.pullImage(ref, { auth }), pushed.configDigest);
      await runtime.removeImage(ref);
    } finally {
      await registry.stop();
    }
  });

  it('NotFound from containerd becomes RuntimeNotFoundError', async () => {
    await assert.rejects(runtime.containerStatus('0'.repeat(64)), (err: unknown) => isRuntimeNotFound(err) && err.what === 'container');
    await assert.rejects(runtime.podSandboxStatus('0'.repeat(64)), (err: unknown) => isRuntimeNotFound(err) && err.what === 'sandbox');
    await assert.rejects(runtime.startContainer('0'.repeat(64)), isRuntimeNotFound);
    const sandbox = sandboxConfig('noimage');
    const sandboxId = await runtime.runPodSandbox(sandbox);
    try {
      await assert.rejects(
        runtime.createContainer(sandboxId, { ...containerConfig('c', 'true'), image: 'kite.local/absent:1' }, sandbox),
        (err: unknown) => isRuntimeNotFound(err) && err.what === 'image' && err.id === 'kite.local/absent:1',
      );
    } finally {
      await removeSandbox(sandboxId);
    }
  });

  it('stop and remove leave nothing behind', async () => {
    const sandbox = sandboxConfig('cleanup');
    const sandboxId = await runtime.runPodSandbox(sandbox);
    await runContainer(sandboxId, sandbox, containerConfig('sleeper', 'sleep 1000'));
    await removeSandbox(sandboxId);
    assert.deepEqual(await runtime.listPodSandbox(), []);
    assert.deepEqual(await runtime.listContainers(), []);
    const shims = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && safeRead(`/proc/${p}/cmdline`).includes(sandboxId));
    assert.deepEqual(shims, [], 'no shim or process of the sandbox is left');
    const cgroup = join('/sys/fs/cgroup/memory', containerd.cgroupParent);
    assert.deepEqual(existsSync(cgroup) ? readdirSync(cgroup).filter((e) => /^[0-9a-f]{64}$/.test(e)) : [], []);

    const { netns, address } = containerd;
    await containerd.stop();
    assert.equal(existsSync(`/run/netns/${netns}`), false, 'the test network namespace is gone');
    assert.equal(existsSync(address), false, 'the private containerd dir is gone');
    assert.equal(safeRead('/proc/self/mountinfo').includes(address.replace(/\/containerd\.sock$/, '')), false, 'nothing stays mounted');
    assert.equal(existsSync(cgroup), false, 'the cgroup parent is gone');
  });
});

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
