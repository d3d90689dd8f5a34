import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchedulerMetrics, serveMetrics } from './metrics.js';
import { schedulerHarness } from './testing/harness.js';
import { makeNode, makePod } from './testing/wrappers.js';

function setup() {
  const metrics = new SchedulerMetrics();
  const { s, addPod } = schedulerHarness({ metrics });
  metrics.setPendingSource(() => s.queue.pending());
  return { s, metrics, addPod };
}

describe('SchedulerMetrics', () => {
  it('counts attempts by result and profile, observes their durations, and reads pending pods from the queue', async () => {
    const { s, metrics, addPod } = setup();
    s.onNodeAdd(makeNode({ name: 'a', cpu: '1' }));
    addPod(makePod({ name: 'fits', requests: { cpu: '1' } }));
    addPod(makePod({ name: 'too-big', requests: { cpu: '2' } }));
    await s.scheduleOne();
    await s.idle();
    await s.scheduleOne();
    await s.idle();
    s.onPodAdd(makePod({ name: 'waiting', requests: { cpu: '100m' } }));
    assert.equal(await metrics.attemptCount('scheduled'), 1);
    assert.equal(await metrics.attemptCount('unschedulable'), 1);
    assert.equal(await metrics.attemptCount('error'), 0);
    const text = await metrics.registry.metrics();
    assert.match(text, /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} 1/);
    assert.match(text, /scheduler_schedule_attempts_total\{result="unschedulable",profile="default-scheduler"\} 1/);
    assert.match(text, /scheduler_scheduling_attempt_duration_seconds_count\{result="scheduled",profile="default-scheduler"\} 1/);
    assert.match(text, /scheduler_scheduling_algorithm_duration_seconds_count 1/);
    assert.match(text, /scheduler_pending_pods\{queue="active"\} 1/);
    assert.match(text, /scheduler_pending_pods\{queue="unschedulable"\} 1/);
    assert.match(text, /scheduler_pending_pods\{queue="backoff"\} 0/);
  });

  it('serves /healthz and /metrics over plain HTTP', async () => {
    const { metrics } = setup();
    metrics.observeAttempt('error', 'default-scheduler', 0.002);
    let healthy = true;
    const server = await serveMetrics(metrics, { port: 0, healthy: () => healthy });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const h = await fetch(`${base}/healthz`);
      assert.equal(h.status, 200);
      assert.equal(await h.text(), 'ok');
      const m = await fetch(`${base}/metrics`);
      assert.equal(m.status, 200);
      assert.match(m.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(await m.text(), /scheduler_schedule_attempts_total\{result="error",profile="default-scheduler"\} 1/);
      assert.equal((await fetch(`${base}/nope`)).status, 404);
      healthy = false;
      assert.equal((await fetch(`${base}/healthz`)).status, 500);
    } finally {
      await server.close();
    }
  });
});
