import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../../../test/support/wait-until.js';
import { isProcessAlive } from './proc.js';
import { containerConfig, readLog, run, sandboxConfig, testRuntime, waitForState, type TestRuntime } from './test-support.js';

/** The pids a container printed as "pid N" lines. */
async function printedPids(path: () => Promise<string>, count: number): Promise<number[]> {
  let pids: number[] = [];
  await waitUntil(`${count} pids in the log`, async () => {
    try {
      pids = readLog(await path()).flatMap(([, , text]) => (text.startsWith('pid ') ? [Number(text.slice(4))] : []));
    } catch {
      return false;
    }
    return pids.length >= count;
  });
  return pids;
}

// A main process and a forked child that both ignore SIGTERM.
const STUBBORN = ['sh', '-c', 'trap "" TERM; (echo pid $(exec sh -c \'echo $PPID\'); exec sleep 1000) & echo pid $$; exec sleep 1000'];

for (const cgroups of ['auto', 'off'] as const) {
  describe(`process runtime: stopping (cgroups ${cgroups})`, () => {
    let t: TestRuntime;
    before(async () => (t = await testRuntime({ cgroups })));
    after(async () => t.cleanup());

    it('stops a container with SIGTERM within the grace period', async () => {
      const sc = sandboxConfig(t.dir, 'term');
      const sb = await t.runtime.runPodSandbox(sc);
      const id = await run(t.runtime, sb, sc, containerConfig('c', ['sleep', '1000']));
      await waitForState(t.runtime, id, 'running');
      const started = Date.now();
      await t.runtime.stopContainer(id, 30);
      assert.ok(Date.now() - started < 10_000, 'did not wait for the grace period');
      const st = await t.runtime.containerStatus(id);
      assert.equal(st.state, 'exited');
      assert.equal(st.exitCode, 143);
      assert.equal(st.reason, 'Error');
      await t.runtime.stopContainer(id, 30); // idempotent
    });

    it('SIGKILLs a container and its forked child that ignore SIGTERM once the grace period is over', async () => {
      const sc = sandboxConfig(t.dir, 'stubborn');
      const sb = await t.runtime.runPodSandbox(sc);
      const id = await run(t.runtime, sb, sc, containerConfig('c', STUBBORN));
      const pids = await printedPids(async () => (await t.runtime.containerStatus(id)).logPath, 2);
      assert.ok(pids.every((p) => isProcessAlive(p)));
      const started = Date.now();
      await t.runtime.stopContainer(id, 1);
      assert.ok(Date.now() - started >= 900, 'waited for the grace period');
      for (const pid of pids) assert.equal(isProcessAlive(pid), false, `pid ${pid} still alive`);
      const st = await t.runtime.containerStatus(id);
      assert.equal(st.state, 'exited');
      assert.equal(st.exitCode, 137);
    });

    it('kills what is left of a container when its main process exits, as a pid namespace would', async () => {
      const sc = sandboxConfig(t.dir, 'orphans');
      const sb = await t.runtime.runPodSandbox(sc);
      // The main process exits at once; its child ignores SIGTERM and stays in the group.
      const id = await run(t.runtime, sb, sc, containerConfig('c', ['sh', '-c', '(trap "" TERM; echo pid $(exec sh -c \'echo $PPID\'); exec sleep 1000) & sleep 0.2']));
      const [child] = await printedPids(async () => (await t.runtime.containerStatus(id)).logPath, 1);
      await waitForState(t.runtime, id, 'exited');
      assert.equal(isProcessAlive(child!), false);
      assert.equal((await t.runtime.containerStatus(id)).exitCode, 0);
      await t.runtime.removePodSandbox(sb);
      assert.deepEqual(await t.runtime.listPodSandbox({ id: sb }), []);
    });
  });
}

describe('process runtime: stopping with cgroups', () => {
  let t: TestRuntime;
  before(async () => (t = await testRuntime()));
  after(async () => t.cleanup());

  it('also kills processes that left the process group (setsid), through the cgroup', async () => {
    assert.ok(t.runtime.limits.enforced, `cgroups are not usable here: ${t.runtime.limits.reason}`);
    const sc = sandboxConfig(t.dir, 'setsid');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await run(t.runtime, sb, sc, containerConfig('c', ['sh', '-c', 'setsid sh -c \'echo pid $$; exec sleep 1000\' & exec sleep 1000']));
    const [escaped] = await printedPids(async () => (await t.runtime.containerStatus(id)).logPath, 1);
    assert.ok(isProcessAlive(escaped!));
    await t.runtime.removePodSandbox(sb);
    assert.equal(isProcessAlive(escaped!), false);
  });
});
