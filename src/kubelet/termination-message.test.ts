import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TerminationMessages, criLogText, logTail } from './termination-message.js';
import { testPod } from './test-support.js';

describe('termination messages', () => {
  it('reads CRI records, joining partial lines', () => {
    const text = criLogText('2026-01-01T00:00:00.000000000Z stdout F hello\n2026-01-01T00:00:00.000000000Z stderr P par\n2026-01-01T00:00:00.000000000Z stderr F tial\n');
    assert.equal(text, 'hello\npartial\n');
  });

  it('keeps the last 80 lines and at most 2048 bytes', () => {
    const many = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const tail = logTail(many);
    assert.ok(tail.startsWith('line 20\n'));
    assert.ok(tail.endsWith('line 99\n'));
    assert.equal(Buffer.byteLength(logTail('x'.repeat(5000))), 2048);
  });

  it('fills in the message of a failed container with FallbackToLogsOnError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-term-'));
    try {
      const log = join(dir, '0.log');
      writeFileSync(log, '2026-01-01T00:00:00.000000000Z stderr F boom: config missing\n');
      const pod = testPod('p', { containers: [{ name: 'main', image: 'busybox', terminationMessagePolicy: 'FallbackToLogsOnError' }] });
      const c = {
        id: 'c1', metadata: { name: 'main', attempt: 0 }, state: 'exited' as const, createdAt: 0, startedAt: 1, finishedAt: 2, exitCode: 2,
        image: 'busybox', imageRef: '', reason: 'Error', message: '', labels: {}, annotations: {}, mounts: [], logPath: log,
      };
      const out = new TerminationMessages().apply(pod, { uid: 'u', sandboxes: [], containers: [c] });
      assert.equal(out.containers[0]!.message, 'boom: config missing\n');
      const ok = new TerminationMessages().apply(pod, { uid: 'u', sandboxes: [], containers: [{ ...c, exitCode: 0 }] });
      assert.equal(ok.containers[0]!.message, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
