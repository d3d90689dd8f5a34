import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { pendingShutdownSteps, shutdownStep } from './shutdown-steps.js';

describe('shutdown steps', () => {
  it('lists a step while it is pending, a nested one first (it begins first), and forgets settled and failed ones', async () => {
    let finishInner!: () => void;
    const inner = new Promise<void>((resolve) => (finishInner = resolve));
    const outer = shutdownStep('kubelet', shutdownStep('pod workers', inner));
    assert.deepEqual(pendingShutdownSteps(), ['pod workers', 'kubelet']);
    finishInner();
    await outer;
    assert.deepEqual(pendingShutdownSteps(), []);
    await assert.rejects(shutdownStep('runtime', Promise.reject(new Error('gone'))), /gone/);
    assert.deepEqual(pendingShutdownSteps(), []);
  });

  it('names the pending steps when the process ends on an await that can never settle (exit code 13)', () => {
    const script = `
      const { reportUnsettledShutdown, shutdownStep } = await import(${JSON.stringify(new URL('./shutdown-steps.js', import.meta.url).href)});
      reportUnsettledShutdown();
      await shutdownStep('agent', shutdownStep('kubelet', new Promise(() => {})));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 13, run.stderr);
    assert.match(run.stderr, /shutdown steps never finished: kubelet, agent/);
  });
});
