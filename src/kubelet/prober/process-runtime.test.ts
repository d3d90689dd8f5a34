// Exec probes and hooks against the real process runtime (src/runtime/process): commands run in a
// running container through execSync, timeouts included.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { containerConfig, run, sandboxConfig, testRuntime, type TestRuntime } from '../../runtime/process/test-support.js';
import { FakeClock } from '../../util/clock.js';
import { runLifecycleHandler } from '../lifecycle/handler.js';
import { runProbe } from './run-probe.js';
import type { ProbeTarget } from './types.js';

describe('exec probes and hooks on the process runtime', () => {
  let t: TestRuntime;
  let target: ProbeTarget;
  before(async () => {
    t = await testRuntime();
    const sc = sandboxConfig(t.dir, 'probed');
    const sb = await t.runtime.runPodSandbox(sc);
    const id = await run(t.runtime, sb, sc, containerConfig('app', ['sleep', '60'], { envs: [{ key: 'WORD', value: 'hello' }] }));
    const container: Container = { name: 'app', env: [{ name: 'WORD', value: 'hello' }] };
    const pod: Pod = { metadata: { name: 'probed', namespace: 'default', uid: 'uid-probed' }, spec: { containers: [container] } };
    target = { pod, container, containerId: id, podIP: '127.0.0.1', runtime: t.runtime };
  });
  after(async () => t.cleanup());

  it('maps exit codes, output and timeouts', async () => {
    assert.deepEqual(await runProbe({ exec: { command: ['sh', '-c', 'echo $WORD $(WORD)'] } }, target), { result: 'Success', output: 'hello hello\n' });
    assert.deepEqual(await runProbe({ exec: { command: ['sh', '-c', 'echo down; exit 1'] } }, target), { result: 'Failure', output: 'down\n' });
    assert.deepEqual(await runProbe({ exec: { command: ['sleep', '10'] }, timeoutSeconds: 1 }, target), { result: 'Failure', output: 'command "sleep 10" timed out' });
  });

  it('runs exec hooks', async () => {
    const clock = new FakeClock();
    assert.deepEqual(await runLifecycleHandler({ exec: { command: ['true'] } }, target, { hook: 'postStart', clock }), { ok: true });
    const out = await runLifecycleHandler({ exec: { command: ['sh', '-c', 'echo no >&2; exit 4'] } }, target, { hook: 'preStop', clock, timeoutMs: 5000 });
    assert.equal(out.ok, false);
    assert.match(out.ok ? '' : out.message, /^Exec lifecycle hook \(\[sh -c echo no >&2; exit 4\]\) for Container "app" in Pod "probed_default\(uid-probed\)" failed - error: command 'sh -c echo no >&2; exit 4' exited with 4: no\n, message: "no\\n"$/);
  });
});
