import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../../../test/support/wait-until.js';
import { containerConfig, run, sandboxConfig, testRuntime, waitForState, type TestRuntime } from './test-support.js';

// Spins until it has used 300 ms of CPU time, then holds ~20 MiB resident.
const WORKER = ['node', '-e', 'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (cpu() < 300); const b = Buffer.alloc(20 << 20, 1); console.log("ready"); setInterval(() => b[0]++, 1000);'];

for (const cgroups of ['auto', 'off'] as const) {
  describe(`process runtime: stats (cgroups ${cgroups})`, () => {
    let t: TestRuntime;
    before(async () => (t = await testRuntime({ cgroups })));
    after(async () => t.cleanup());

    it('reports CPU time and working set of a running container, and filesystem usage', async () => {
      const sc = sandboxConfig(t.dir, 'stats');
      const sb = await t.runtime.runPodSandbox(sc);
      const id = await run(t.runtime, sb, sc, containerConfig('c', WORKER, { envs: [{ key: 'PATH', value: process.env.PATH ?? '' }] }));
      await waitForState(t.runtime, id, 'running');
      let last = {};
      await waitUntil(
        'CPU time and memory',
        async () => {
          const s = await t.runtime.containerStats(id);
          last = s;
          return s.cpuUsageCoreNanoSeconds >= 200e6 && s.memoryWorkingSetBytes >= 20 << 20;
        },
        { timeoutMs: 30_000, describe: () => JSON.stringify(last) },
      );
      const list = await t.runtime.listContainerStats({ podSandboxId: sb });
      assert.deepEqual(list.map((s) => s.id), [id]);
      assert.equal(list[0]!.metadata.name, 'c');
      const [fs] = await t.runtime.imageFsInfo();
      assert.equal(fs!.mountpoint, t.options.rootDir);
      assert.ok(fs!.usedBytes > 0 && (fs!.inodesUsed ?? 0) > 0);
      await t.runtime.stopContainer(id, 0);
      await waitForState(t.runtime, id, 'exited');
      assert.equal((await t.runtime.containerStats(id)).memoryWorkingSetBytes, 0);
    });
  });
}
