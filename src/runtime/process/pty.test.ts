import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../../../test/support/wait-until.js';
import { collect, containerConfig, readLog, run, sandboxConfig, testRuntime, waitForState, type TestRuntime } from './test-support.js';

describe('process runtime: terminals', () => {
  let t: TestRuntime;
  before(async () => (t = await testRuntime()));
  after(async () => t.cleanup());

  it('exec with a tty runs the command on a pseudo-terminal that can be resized', async () => {
    const sc = sandboxConfig(t.dir, 'tty-exec');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await run(t.runtime, sb, sc, containerConfig('c', ['sleep', '1000']));
    const s = await t.runtime.exec(id, ['sh', '-c', 'tty; while [ "$(stty size)" != "30 100" ]; do sleep 0.02; done; echo resized; read x; echo "got $x"; exit 7'], {
      stdin: true,
      stdout: true,
      stderr: true,
      tty: true,
    });
    assert.equal(s.stderr, undefined, 'stderr is merged into stdout on a tty');
    const out = collect(s.stdout);
    s.resize(100, 30);
    await waitUntil('resized', () => out().includes('resized'), { describe: out });
    s.stdin!.write('hello\n');
    assert.equal(await s.exit, 7);
    await waitUntil('output', () => out().includes('got hello'), { describe: out });
    assert.match(out(), /\/dev\/pts\/\d+/);
  });

  it('a tty container gets a terminal; attach reaches it and its output is logged', async () => {
    const sc = sandboxConfig(t.dir, 'tty-main');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await run(t.runtime, sb, sc, containerConfig('c', ['sh', '-c', 'tty; read x; echo "got $x"'], { tty: true, stdin: true }));
    const s = await t.runtime.attach(id, { stdin: true, stdout: true, stderr: true, tty: true });
    const out = collect(s.stdout);
    s.stdin!.write('hi\n');
    await waitUntil('reply', () => out().includes('got hi'), { describe: out });
    assert.equal(await s.exit, 0);
    await waitForState(t.runtime, id, 'exited');
    const log = readLog((await t.runtime.containerStatus(id)).logPath).map((r) => r[2]);
    assert.ok(log.some((l) => /^\/dev\/pts\/\d+\r?$/.test(l)), JSON.stringify(log));
    assert.ok(log.some((l) => l.startsWith('got hi')));
  });
});
