import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { ProbeManager } from './manager.js';
import type { ProbeOutcome, ProbeResult, ProbeTarget } from './types.js';

/** Scripted probe answers per kind (by the probe's exec command[0]); the default answer when the script runs out. */
class Script {
  readonly runs: Array<{ kind: string; at: number }> = [];
  private readonly answers = new Map<string, ProbeResult[]>();
  private readonly defaults = new Map<string, ProbeResult>();

  constructor(private readonly clock: FakeClock) {}

  set(kind: string, fallback: ProbeResult, ...next: ProbeResult[]): void {
    this.defaults.set(kind, fallback);
    this.answers.set(kind, next);
  }

  run = async (probe: Probe, _t: ProbeTarget): Promise<ProbeOutcome> => {
    const kind = probe.exec?.command?.[0] ?? '';
    this.runs.push({ kind, at: this.clock.now() });
    const result = this.answers.get(kind)?.shift() ?? this.defaults.get(kind) ?? 'Success';
    return { result, output: result === 'Failure' ? `${kind} says no` : '' };
  };

  count(kind: string): number {
    return this.runs.filter((r) => r.kind === kind).length;
  }
}

const probe = (kind: string, extra: Partial<Probe> = {}): Probe => ({ exec: { command: [kind] }, periodSeconds: 10, ...extra });

function podWith(container: Partial<Container>): Pod {
  return { metadata: { name: 'web', namespace: 'ns', uid: 'u1' }, spec: { containers: [{ name: 'app', ...container }] } };
}

function setup(container: Partial<Container>) {
  const clock = new FakeClock();
  const script = new Script(clock);
  const results: string[] = [];
  const events: string[] = [];
  const m = new ProbeManager({
    clock,
    runtime: { execSync: async () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 }) },
    run: script.run,
    onResult: (uid, name, kind, result) => results.push(`${uid}/${name} ${kind}=${result}`),
    recordEvent: (_p, name, reason, message) => events.push(`${name} ${reason}: ${message}`),
  });
  const pod = podWith(container);
  m.addPod(pod);
  return { clock, script, results, events, m, pod };
}

describe('ProbeManager', () => {
  it('without probes a running container is started and ready', () => {
    const { m } = setup({});
    assert.equal(m.isReady('u1', 'app'), false);
    m.containerStarted('u1', 'app', { containerId: 'c1', podIP: '10.0.0.1' });
    assert.equal(m.isStarted('u1', 'app'), true);
    assert.equal(m.isReady('u1', 'app'), true);
    m.containerStopped('u1', 'app');
    assert.equal(m.isReady('u1', 'app'), false);
  });

  it('readiness starts false, honours initialDelay, period and successThreshold', async () => {
    const { m, clock, script, results } = setup({ readinessProbe: probe('ready', { initialDelaySeconds: 5, successThreshold: 2 }) });
    m.containerStarted('u1', 'app', { containerId: 'c1', podIP: '10.0.0.1' });
    assert.equal(m.isStarted('u1', 'app'), true);
    assert.equal(m.isReady('u1', 'app'), false);
    await clock.step(4_999);
    assert.equal(script.count('ready'), 0);
    await clock.step(1);
    assert.equal(script.count('ready'), 1);
    assert.equal(m.isReady('u1', 'app'), false); // one success of two
    await clock.step(10_000);
    assert.equal(script.count('ready'), 2);
    assert.equal(m.isReady('u1', 'app'), true);
    assert.deepEqual(results, ['u1/app readiness=Success']);
  });

  it('readiness turns false after failureThreshold failures and back on success', async () => {
    const { m, clock, script, results, events } = setup({ readinessProbe: probe('ready', { failureThreshold: 2 }) });
    script.set('ready', 'Success', 'Success', 'Failure', 'Failure');
    m.containerStarted('u1', 'app', { containerId: 'c1', podIP: '10.0.0.1' });
    await clock.step(0);
    assert.equal(m.isReady('u1', 'app'), true);
    await clock.step(10_000);
    assert.equal(m.isReady('u1', 'app'), true); // one failure of two
    await clock.step(10_000);
    assert.equal(m.isReady('u1', 'app'), false);
    await clock.step(10_000);
    assert.equal(m.isReady('u1', 'app'), true);
    assert.deepEqual(results, ['u1/app readiness=Success', 'u1/app readiness=Failure', 'u1/app readiness=Success']);
    assert.deepEqual(events, ['app Unhealthy: Readiness probe failed: ready says no', 'app Unhealthy: Readiness probe failed: ready says no']);
  });

  it('liveness and readiness wait for the startup probe; liveness failure holds until a new container', async () => {
    const { m, clock, script, results } = setup({
      startupProbe: probe('startup', { periodSeconds: 1, failureThreshold: 30 }),
      livenessProbe: probe('live', { failureThreshold: 3 }),
      readinessProbe: probe('ready'),
    });
    script.set('startup', 'Success', 'Failure', 'Failure');
    script.set('live', 'Failure');
    m.containerStarted('u1', 'app', { containerId: 'c1', podIP: '10.0.0.1' });
    await clock.step(0);
    assert.equal(m.isStarted('u1', 'app'), false);
    assert.equal(script.count('live') + script.count('ready'), 0);
    await clock.step(2_000); // third startup run succeeds; readiness is triggered at once
    assert.equal(m.isStarted('u1', 'app'), true);
    assert.equal(script.count('startup'), 3);
    assert.equal(script.count('ready'), 1);
    assert.equal(m.isReady('u1', 'app'), true);
    await clock.step(10_000);
    assert.equal(script.count('startup'), 3); // startup probing stops once started
    assert.equal(m.livenessFailed('u1', 'app'), false);
    await clock.step(20_000);
    assert.equal(m.livenessFailed('u1', 'app'), true);
    const liveRuns = script.count('live');
    await clock.step(30_000);
    assert.equal(script.count('live'), liveRuns, 'on hold after a recorded liveness failure');
    assert.ok(results.includes('u1/app liveness=Failure'));
    // the pod worker restarts the container: everything starts over
    script.set('live', 'Success');
    m.containerStarted('u1', 'app', { containerId: 'c2', podIP: '10.0.0.1' });
    assert.equal(m.livenessFailed('u1', 'app'), false);
    assert.equal(m.isStarted('u1', 'app'), false);
    await clock.step(0);
    assert.equal(m.isStarted('u1', 'app'), true);
  });

  it('a failed startup probe asks for a restart', async () => {
    const { m, clock, script, results } = setup({ startupProbe: probe('startup', { periodSeconds: 1, failureThreshold: 2 }), livenessProbe: probe('live') });
    script.set('startup', 'Failure');
    m.containerStarted('u1', 'app', { containerId: 'c1', podIP: '10.0.0.1' });
    await clock.step(0);
    assert.equal(m.livenessFailed('u1', 'app'), false);
    await clock.step(1_000);
    assert.equal(m.livenessFailed('u1', 'app'), true);
    assert.equal(m.isStarted('u1', 'app'), false);
    await clock.step(10_000);
    assert.equal(script.count('startup'), 2, 'on hold until a new container');
    assert.equal(script.count('live'), 0);
    assert.deepEqual(results, ['u1/app startup=Failure']);
  });

  it('discards Unknown results and stops everything on removePod', async () => {
    const { m, clock, script } = setup({ livenessProbe: probe('live', { failureThreshold: 1 }) });
    script.set('live', 'Unknown');
    m.containerStarted('u1', 'app', { containerId: 'c1', podIP: '10.0.0.1' });
    await clock.step(30_000);
    assert.equal(script.count('live'), 4);
    assert.equal(m.livenessFailed('u1', 'app'), false);
    m.removePod('u1');
    assert.equal(clock.pending(), 0);
    assert.equal(m.isReady('u1', 'app'), false);
  });

  it('a pod being deleted stops liveness probing (quietly) but keeps probing readiness', async () => {
    const { m, clock, script, pod, results } = setup({ livenessProbe: probe('live', { failureThreshold: 1 }), readinessProbe: probe('ready', { failureThreshold: 1 }) });
    script.set('ready', 'Failure', 'Success');
    m.containerStarted('u1', 'app', { containerId: 'c1', podIP: '10.0.0.1' });
    await clock.step(0);
    assert.equal(m.isReady('u1', 'app'), true);
    m.updatePod({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    const live = script.count('live');
    script.set('live', 'Failure');
    await clock.step(10_000);
    assert.equal(script.count('live'), live);
    assert.equal(m.livenessFailed('u1', 'app'), false);
    assert.equal(m.isReady('u1', 'app'), false, 'readiness still probed');
    assert.deepEqual(results, ['u1/app readiness=Success', 'u1/app readiness=Failure']);
  });

  it('syncPod starts and stops workers from the runtime\'s container states', async () => {
    const { m, clock, script, pod } = setup({ readinessProbe: probe('ready') });
    m.syncPod(pod, '10.0.0.1', [{ name: 'app', containerId: 'c1', running: true }]);
    await clock.step(0);
    assert.equal(m.isReady('u1', 'app', 'c1'), true);
    assert.equal(m.isReady('u1', 'app', 'c0'), false, 'asked about another container');
    m.syncPod(pod, '10.0.0.1', [{ name: 'app', containerId: 'c1', running: true }]);
    assert.equal(m.isReady('u1', 'app'), true, 'unchanged: no restart of the workers');
    m.syncPod(pod, '10.0.0.1', [{ name: 'app', containerId: 'c1', running: false }]);
    assert.equal(m.isReady('u1', 'app'), false);
    m.syncPod(pod, '10.0.0.1', [{ name: 'app', containerId: 'c1' }]);
    await clock.step(0);
    assert.equal(m.isReady('u1', 'app'), true);
    m.syncPod(pod, '10.0.0.1', []); // not listed: not running
    assert.equal(m.isReady('u1', 'app'), false);
    const runs = script.count('ready');
    await clock.step(30_000);
    assert.equal(script.count('ready'), runs);
    m.syncPod(pod, '10.0.0.1', [{ name: 'app', containerId: 'c2', running: true }]);
    await clock.step(0);
    assert.equal(m.isReady('u1', 'app', 'c2'), true);
  });

  it('counts initialDelaySeconds from the container\'s start (a container found running is probed at once)', async () => {
    const { m, clock, script } = setup({ readinessProbe: probe('ready', { initialDelaySeconds: 30 }) });
    m.containerStarted('u1', 'app', { containerId: 'c1', podIP: '10.0.0.1', startedAt: clock.now() - 20_000 });
    await clock.step(9_999);
    assert.equal(script.count('ready'), 0);
    await clock.step(1);
    assert.equal(script.count('ready'), 1);
    m.syncPod(podWith({ readinessProbe: probe('ready', { initialDelaySeconds: 30 }) }), '10.0.0.1', [{ name: 'app', containerId: 'c2', startedAt: clock.now() - 3_600_000 }]);
    await clock.step(0);
    assert.equal(script.count('ready'), 2);
  });
});
