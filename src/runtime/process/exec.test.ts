import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../../../test/support/wait-until.js';
import { isProcessAlive } from './proc.js';
import { collect, containerConfig, readLog, run, sandboxConfig, testRuntime, waitForState, type TestRuntime } from './test-support.js';

describe('process runtime: exec, attach, port-forward', () => {
  let t: TestRuntime;
  let sb: string;
  let id: string;
  before(async () => {
    t = await testRuntime();
    const sc = sandboxConfig(t.dir, 'exec');
    sb = await t.runtime.runPodSandbox(sc);
    const cfg = containerConfig('c', ['cat'], { stdin: true, envs: [{ key: 'WHO', value: 'container' }], workingDir: '/tmp' });
    id = await run(t.runtime, sb, sc, cfg);
    await waitForState(t.runtime, id, 'running');
  });
  after(async () => t.cleanup());

  it('execSync runs a command with the container env and working directory', async () => {
    const r = await t.runtime.execSync(id, ['sh', '-c', 'echo $WHO; pwd; echo err >&2; exit 4'], 10_000);
    assert.equal(r.stdout.toString(), 'container\n/tmp\n');
    assert.equal(r.stderr.toString(), 'err\n');
    assert.equal(r.exitCode, 4);
  });

  it('execSync kills a command that outlives its timeout, children included', async () => {
    const started = Date.now();
    await assert.rejects(t.runtime.execSync(id, ['sh', '-c', 'sleep 1000 & echo $! > /dev/null; sleep 1000'], 300), { name: 'ExecTimeoutError' });
    assert.ok(Date.now() - started < 5000);
    await assert.rejects(t.runtime.execSync(id, ['no-such-program-kite'], 1000), /not found/);
  });

  it('exec streams stdin, stdout and stderr and reports the exit code', async () => {
    const s = await t.runtime.exec(id, ['sh', '-c', 'read line; echo "got $line"; echo bye >&2; exit 3'], { stdin: true, stdout: true, stderr: true, tty: false });
    const out = collect(s.stdout);
    const err = collect(s.stderr);
    s.stdin!.end('hello\n');
    assert.equal(await s.exit, 3);
    await waitUntil('exec output', () => out() === 'got hello\n' && err() === 'bye\n', { describe: () => JSON.stringify([out(), err()]) });
  });

  it('closing an exec session kills its command', async () => {
    const s = await t.runtime.exec(id, ['sh', '-c', 'echo $$; exec sleep 1000'], { stdin: false, stdout: true, stderr: false, tty: false });
    const out = collect(s.stdout);
    await waitUntil('pid printed', () => out().endsWith('\n'));
    const pid = Number(out().trim());
    assert.ok(isProcessAlive(pid));
    s.close();
    assert.equal(await s.exit, 137);
    assert.equal(isProcessAlive(pid), false);
  });

  it('attach streams the main process stdin and output, which also go to the log', async () => {
    const s = await t.runtime.attach(id, { stdin: true, stdout: true, stderr: true, tty: false });
    const out = collect(s.stdout);
    s.stdin!.write('ping\n');
    await waitUntil('echo through attach', () => out() === 'ping\n', { describe: out });
    s.close();
    const { logPath } = await t.runtime.containerStatus(id);
    await waitUntil('echo in the log', () => readLog(logPath).some((r) => r[2] === 'ping'));
  });

  it('port-forward connects to the port on the host network', async () => {
    const server = createServer((socket) => socket.end('hello from the pod'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const stream = await t.runtime.portForward(sb, port);
      const got = collect(stream);
      await new Promise((resolve) => stream.once('end', resolve));
      assert.equal(got(), 'hello from the pod');
    } finally {
      server.close();
    }
    await assert.rejects(t.runtime.portForward('nope', port), { name: 'RuntimeNotFoundError' });
  });
});
