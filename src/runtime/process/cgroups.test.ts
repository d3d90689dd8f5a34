import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../../../test/support/wait-until.js';
import { containerConfig, run, sandboxConfig, testRuntime, waitForState, type TestRuntime } from './test-support.js';

// Allocates and touches 1 MiB at a time until something stops it.
const HOG = ['node', '-e', 'const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));'];

describe('process runtime: resource limits through cgroups', () => {
  let t: TestRuntime;
  before(async () => (t = await testRuntime()));
  after(async () => t.cleanup());

  it('enforces limits here (root with cgroups)', () => {
    assert.ok(t.runtime.limits.enforced, `cgroups are not usable on this machine: ${t.runtime.limits.reason}`);
  });

  it('ends a container over its memory limit as OOMKilled with exit code 137', async () => {
    const sc = sandboxConfig(t.dir, 'oom');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await run(t.runtime, sb, sc, containerConfig('hog', HOG, { envs: [{ key: 'PATH', value: process.env.PATH ?? '' }], resources: { memoryLimitBytes: 64 * 1024 * 1024 } }));
    await waitForState(t.runtime, id, 'exited', 60_000);
    const st = await t.runtime.containerStatus(id);
    assert.equal(st.reason, 'OOMKilled');
    assert.equal(st.exitCode, 137);
    assert.equal((await t.runtime.version()).limitsEnforced, true);
  });

  it('writes CPU limits and shares, and removes the cgroups with the pod', async () => {
    const sc = sandboxConfig(t.dir, 'cpu');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await run(t.runtime, sb, sc, containerConfig('c', ['sleep', '1000'], { resources: { cpuLimitMillis: 250, cpuRequestMillis: 100 } }));
    const record = JSON.parse(readFileSync(join(t.options.rootDir, 'containers', id, 'state.json'), 'utf8')) as { cgroups: Record<string, string>; pid: number };
    const dirs = Object.values(record.cgroups);
    if (record.cgroups.unified) {
      assert.equal(readFileSync(join(record.cgroups.unified, 'cpu.max'), 'utf8').trim(), '25000 100000');
    } else {
      assert.equal(readFileSync(join(record.cgroups.cpu!, 'cpu.cfs_quota_us'), 'utf8').trim(), '25000');
      assert.equal(readFileSync(join(record.cgroups.cpu!, 'cpu.shares'), 'utf8').trim(), '102');
    }
    for (const dir of dirs) {
      await waitUntil(`pid in ${dir}`, () => readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').includes(String(record.pid)));
    }
    await t.runtime.removePodSandbox(sb);
    for (const dir of dirs) {
      assert.equal(existsSync(dir), false, `${dir} removed`);
      assert.equal(existsSync(join(dir, '..')), false, 'the sandbox cgroup removed');
    }
  });
});
