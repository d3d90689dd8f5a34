import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../../../test/support/wait-until.js';
import { isProcessAlive } from './proc.js';
import { containerConfig, readLog, run, sandboxConfig, testRuntime, waitForState, type TestRuntime } from './test-support.js';

// A restarted kubelet makes a new runtime object over the same root directory.
for (const cgroups of ['auto', 'off'] as const) {
  describe(`process runtime: a new runtime object finds what an earlier one left (cgroups ${cgroups})`, () => {
    let t: TestRuntime;
    before(async () => (t = await testRuntime({ cgroups })));
    after(async () => t.cleanup());

    it('finds exited and running containers, keeps logging, learns exit codes and still stops them', async () => {
      const sc = sandboxConfig(t.dir, 'restart');
      const first = t.runtime;
      const sb = await first.runPodSandbox(sc);
      const done = await run(first, sb, sc, containerConfig('done', ['sh', '-c', 'echo finished; exit 2']));
      await waitForState(first, done, 'exited');
      // Ticks until told to stop; its pid is in the first log line.
      const ticker = await run(first, sb, sc, containerConfig('ticker', ['sh', '-c', 'echo pid $$; i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.02; done']));
      // Exits with 3 once the file "go" appears in its root (its working directory), leaving a child behind.
      const waiter = await run(first, sb, sc, containerConfig('waiter', ['sh', '-c', 'sleep 1000 & echo pid $!; while [ ! -e go ]; do sleep 0.02; done; exit 3']));
      const waiterLog = (await first.containerStatus(waiter)).logPath;
      await waitUntil('waiter child pid', () => readLog(waiterLog).length > 0);
      const leftover = Number(readLog(waiterLog)[0]![2].slice(4));
      const sleeper = await run(first, sb, sc, containerConfig('sleeper', ['sleep', '1000']));
      const sleeperPid = pidOf(t, sleeper);
      const tickerLog = (await first.containerStatus(ticker)).logPath;
      await waitUntil('ticker logging', () => readLog(tickerLog).length > 2);
      const tickerPid = Number(readLog(tickerLog)[0]![2].slice(4));
      const waiterPid = pidOf(t, waiter);
      await first.close();

      // While no runtime watches: the waiter exits, the ticker keeps running (its output waits in the pipe).
      writeFileSync(join(t.options.rootDir, 'containers', waiter, 'rootfs', 'go'), '');
      await waitUntil('waiter exited', () => !isProcessAlive(waiterPid));
      assert.ok(isProcessAlive(tickerPid), 'the ticker survives the runtime');

      const second = await t.reopen();
      assert.deepEqual((await second.listPodSandbox()).map((s) => s.id), [sb]);
      assert.equal((await second.podSandboxStatus(sb)).state, 'ready');
      const doneStatus = await second.containerStatus(done);
      assert.equal(doneStatus.state, 'exited');
      assert.equal(doneStatus.exitCode, 2);
      assert.deepEqual(readLog(doneStatus.logPath).map((r) => r[2]), ['finished']);
      await waitForState(second, waiter, 'exited');
      const waiterStatus = await second.containerStatus(waiter);
      assert.equal(waiterStatus.exitCode, 3, 'exit code recorded by kite-init');
      assert.equal(waiterStatus.reason, 'Error');
      assert.equal(isProcessAlive(leftover), false, 'what the waiter left behind is killed');
      assert.equal((await second.containerStatus(ticker)).state, 'running');

      // The log goes on, now written by the second runtime.
      const before = readLog(tickerLog).length;
      await waitUntil('ticker still logging', () => readLog(tickerLog).length > before + 5);
      const ticks = readLog(tickerLog)
        .filter((r) => r[2].startsWith('tick '))
        .map((r) => Number(r[2].slice(5)));
      assert.deepEqual(ticks, ticks.map((_, i) => i), 'no tick lost or repeated across the restart');

      await second.stopContainer(ticker, 10);
      assert.equal(isProcessAlive(tickerPid), false);
      const tickerStatus = await second.containerStatus(ticker);
      assert.equal(tickerStatus.state, 'exited');
      assert.equal(tickerStatus.exitCode, 143, 'SIGTERM, as recorded by kite-init');
      assert.ok(isProcessAlive(sleeperPid));
      await second.stopPodSandbox(sb);
      assert.equal(isProcessAlive(sleeperPid), false, 'stopping the pod kills an adopted container');
      assert.equal((await second.containerStatus(sleeper)).exitCode, 137);
      assert.equal((await second.podSandboxStatus(sb)).state, 'notready');
    });
  });
}

/** The container's main pid, from the record the runtime persisted. */
function pidOf(t: TestRuntime, id: string): number {
  const record = JSON.parse(readFileSync(join(t.options.rootDir, 'containers', id, 'state.json'), 'utf8')) as { pid: number };
  return record.pid;
}
