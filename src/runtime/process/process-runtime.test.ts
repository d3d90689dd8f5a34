import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { containerConfig, readLog, run, sandboxConfig, testRuntime, waitForState, type TestRuntime } from './test-support.js';

describe('process runtime: lifecycle', () => {
  let t: TestRuntime;
  before(async () => (t = await testRuntime()));
  after(async () => t.cleanup());

  it('runs a container, writes its output in the CRI log format and reports how it ended', async () => {
    const sc = sandboxConfig(t.dir, 'life');
    const sb = await t.runtime.runPodSandbox(sc);
    const status = await t.runtime.podSandboxStatus(sb);
    assert.equal(status.state, 'ready');
    assert.deepEqual(status.ips, ['127.0.0.1']);
    const id = await t.runtime.createContainer(sb, containerConfig('c', ['sh', '-c', 'echo hello; echo oops >&2; printf tail'], { envs: [{ key: 'X', value: '1' }] }), sc);
    assert.equal((await t.runtime.containerStatus(id)).state, 'created');
    await t.runtime.startContainer(id);
    await waitForState(t.runtime, id, 'exited');
    const st = await t.runtime.containerStatus(id);
    assert.equal(st.exitCode, 0);
    assert.equal(st.reason, 'Completed');
    assert.ok(st.startedAt > 0 && st.finishedAt >= st.startedAt);
    assert.match(st.imageRef, /^kite\.local\/docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    const records = readLog(st.logPath);
    assert.deepEqual(records.filter((r) => r[0] === 'stdout'), [['stdout', 'F', 'hello'], ['stdout', 'F', 'tail']]);
    assert.deepEqual(records.filter((r) => r[0] === 'stderr'), [['stderr', 'F', 'oops']]);
  });

  it('logs a line over 16 KiB as partial records', async () => {
    const sc = sandboxConfig(t.dir, 'long');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await run(t.runtime, sb, sc, containerConfig('c', ['/usr/bin/perl', '-e', 'print "x" x 40000, "\\n"']));
    await waitForState(t.runtime, id, 'exited');
    const records = readLog((await t.runtime.containerStatus(id)).logPath);
    assert.deepEqual(
      records.map(([stream, tag, text]) => [stream, tag, text.length]),
      [
        ['stdout', 'P', 16384],
        ['stdout', 'P', 16384],
        ['stdout', 'F', 40000 - 2 * 16384],
      ],
    );
  });

  it('reports a non-zero exit as Error', async () => {
    const sc = sandboxConfig(t.dir, 'fail');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await run(t.runtime, sb, sc, containerConfig('c', ['false']));
    await waitForState(t.runtime, id, 'exited');
    const st = await t.runtime.containerStatus(id);
    assert.equal(st.exitCode, 1);
    assert.equal(st.reason, 'Error');
  });

  it('refuses an empty command line, runs args alone as one, and fails start for a missing executable', async () => {
    const sc = sandboxConfig(t.dir, 'bad');
    const sb = await t.runtime.runPodSandbox(sc);
    await assert.rejects(t.runtime.createContainer(sb, containerConfig('c', []), sc), /no command/);
    const argsOnly = await run(t.runtime, sb, sc, containerConfig('args-only', [], { args: ['sh', '-c', 'exit 7'] }));
    await waitForState(t.runtime, argsOnly, 'exited');
    assert.equal((await t.runtime.containerStatus(argsOnly)).exitCode, 7);
    const id = await t.runtime.createContainer(sb, containerConfig('c', ['no-such-program-kite']), sc);
    await assert.rejects(t.runtime.startContainer(id), /executable file not found in \$PATH/);
    const st = await t.runtime.containerStatus(id);
    assert.equal(st.state, 'exited');
    assert.equal(st.reason, 'StartError');
  });

  it('gives only the configured environment, a default PATH, the working directory and mount symlinks', async () => {
    const sc = sandboxConfig(t.dir, 'env');
    const sb = await t.runtime.runPodSandbox(sc);
    const cfg = containerConfig('c', ['sh', '-c', 'env | sort; pwd; cat data/file'], {
      envs: [{ key: 'GREETING', value: 'hi there' }],
      mounts: [{ containerPath: '/data', hostPath: t.dir + '/hostdata', readonly: true }],
    });
    mkdirSync(t.dir + '/hostdata');
    writeFileSync(t.dir + '/hostdata/file', 'from host\n');
    const id = await run(t.runtime, sb, sc, cfg);
    await waitForState(t.runtime, id, 'exited');
    const st = await t.runtime.containerStatus(id);
    const lines = readLog(st.logPath).map((r) => r[2]);
    assert.ok(lines.includes('GREETING=hi there'));
    assert.ok(lines.some((l) => l.startsWith('PATH=/usr/local/sbin:')));
    assert.ok(lines.includes('HOSTNAME=env'));
    const root = lines.find((l) => l.startsWith('KITE_ROOT='))!.slice('KITE_ROOT='.length);
    assert.ok(lines.includes(root), 'the default working directory is the container root');
    assert.ok(lines.includes('from host'));
    assert.ok(!lines.some((l) => l.startsWith('npm_') || l.startsWith('NODE_')), 'nothing inherited from the runtime');
    assert.equal(st.exitCode, 0);
  });

  it('lists and filters sandboxes and containers; unknown ids are NotFound', async () => {
    const sc = sandboxConfig(t.dir, 'list');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await t.runtime.createContainer(sb, containerConfig('c', ['true']), sc);
    assert.deepEqual((await t.runtime.listPodSandbox({ labelSelector: { app: 'list' } })).map((s) => s.id), [sb]);
    assert.deepEqual((await t.runtime.listContainers({ podSandboxId: sb })).map((c) => c.id), [id]);
    assert.deepEqual((await t.runtime.listContainers({ podSandboxId: sb, state: 'running' })).length, 0);
    await assert.rejects(t.runtime.containerStatus('nope'), { name: 'RuntimeNotFoundError' });
    await assert.rejects(t.runtime.podSandboxStatus('nope'), { name: 'RuntimeNotFoundError' });
    await t.runtime.removePodSandbox(sb);
    assert.equal((await t.runtime.listContainers({ podSandboxId: sb })).length, 0);
    await t.runtime.removePodSandbox(sb); // idempotent
    await t.runtime.stopPodSandbox(sb);
  });
});
