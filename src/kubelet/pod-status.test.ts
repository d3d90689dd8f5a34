import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerStatus as ApiStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus } from '../runtime/runtime.js';
import { generatePodStatus, podPhase } from './pod-status.js';
import { testPod } from './test-support.js';

const running: ApiStatus = { name: 'a', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } };
const exited = (code: number): ApiStatus => ({ ...running, state: { terminated: { exitCode: code } } });
const crashLooping: ApiStatus = { ...running, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } };
const creating: ApiStatus = { ...running, state: { waiting: { reason: 'ContainerCreating' } } };
const withPolicy = (restartPolicy: 'Always' | 'OnFailure' | 'Never'): Pod => testPod('p', { restartPolicy });

describe('podPhase', () => {
  it('follows getPhase for app containers', () => {
    assert.equal(podPhase(withPolicy('Always'), [], [creating]), 'Pending');
    assert.equal(podPhase(withPolicy('Always'), [], [running, creating]), 'Pending');
    assert.equal(podPhase(withPolicy('Always'), [], [running]), 'Running');
    assert.equal(podPhase(withPolicy('Always'), [], [crashLooping]), 'Running');
    assert.equal(podPhase(withPolicy('Always'), [], [exited(0)]), 'Running');
    assert.equal(podPhase(withPolicy('Never'), [], [exited(0), exited(0)]), 'Succeeded');
    assert.equal(podPhase(withPolicy('Never'), [], [exited(0), exited(1)]), 'Failed');
    assert.equal(podPhase(withPolicy('OnFailure'), [], [exited(0)]), 'Succeeded');
    assert.equal(podPhase(withPolicy('OnFailure'), [], [exited(1)]), 'Running');
    assert.equal(podPhase(withPolicy('Never'), [], [running, exited(1)]), 'Running');
  });

  it('is Pending while init containers have not all succeeded; Failed when one fails under Never', () => {
    assert.equal(podPhase(withPolicy('Always'), [running], [creating]), 'Pending');
    assert.equal(podPhase(withPolicy('Always'), [exited(0)], [running]), 'Running');
    assert.equal(podPhase(withPolicy('OnFailure'), [exited(1)], [creating]), 'Pending');
    assert.equal(podPhase(withPolicy('Never'), [exited(1)], [creating]), 'Failed');
    assert.equal(podPhase(withPolicy('Always'), [crashLooping], [creating]), 'Pending');
  });
});

const instance = (over: Partial<ContainerStatus>): ContainerStatus => ({
  id: 'c1',
  metadata: { name: 'main', attempt: 0 },
  state: 'running',
  createdAt: 1,
  startedAt: Date.UTC(2026, 0, 1, 0, 0, 1),
  finishedAt: 0,
  exitCode: 0,
  image: 'busybox',
  imageRef: 'sha256:b',
  reason: '',
  message: '',
  labels: { 'io.kubernetes.container.name': 'main' },
  annotations: {},
  mounts: [],
  logPath: '',
  ...over,
});

describe('generatePodStatus', () => {
  const base = {
    reasons: new Map(),
    isReady: () => undefined,
    isStarted: () => undefined,
    nodeIP: '10.0.0.1',
    runtimeName: 'rt',
    now: Date.UTC(2026, 0, 1, 0, 0, 5),
  };
  const sandbox = { id: 's', metadata: { name: 'p', namespace: 'default', uid: 'u', attempt: 0 }, state: 'ready' as const, createdAt: 0, ips: ['10.1.0.2'], hostNetwork: false, labels: {}, annotations: {} };

  it('reports a crash-looping container as waiting with the previous run as lastState', () => {
    const pod = testPod('p');
    const s = generatePodStatus({
      ...base,
      pod,
      runtime: { uid: 'u', sandboxes: [sandbox], containers: [instance({ id: 'c2', state: 'exited', exitCode: 1, reason: 'Error', finishedAt: 5, metadata: { name: 'main', attempt: 3 } })] },
      reasons: new Map([['main', { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=main pod=p_default(u)' }]]),
    });
    const cs = s.containerStatuses![0]!;
    assert.equal(cs.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(cs.lastState?.terminated?.exitCode, 1);
    assert.equal(cs.lastState?.terminated?.containerID, 'rt://c2');
    assert.equal(cs.restartCount, 3);
    assert.equal(cs.ready, false);
    assert.equal(s.podIP, '10.1.0.2');
  });

  it('keeps lastTransitionTime of unchanged conditions and a terminal phase', () => {
    const pod: Pod = {
      ...testPod('p'),
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] },
    };
    const s = generatePodStatus({ ...base, pod, runtime: { uid: 'u', sandboxes: [sandbox], containers: [instance({})] } });
    assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, '2025-01-01T00:00:00Z');
    assert.equal(s.containerStatuses![0]!.state?.running?.startedAt, '2026-01-01T00:00:01Z');
    const done = generatePodStatus({ ...base, pod: { ...pod, status: { phase: 'Failed' } }, runtime: { uid: 'u', sandboxes: [], containers: [instance({})] } });
    assert.equal(done.phase, 'Failed');
  });

  it('Ready waits for readiness gates set on the API copy', () => {
    const pod: Pod = { ...testPod('p', { readinessGates: [{ conditionType: 'example.com/lb' }] }) };
    const run = { uid: 'u', sandboxes: [sandbox], containers: [instance({})] };
    let s = generatePodStatus({ ...base, pod, runtime: run });
    let ready = s.conditions!.find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb" does not exist.']);
    assert.equal(s.conditions!.find((c) => c.type === 'ContainersReady')!.status, 'True');
    s = generatePodStatus({ ...base, pod, runtime: run, apiConditions: [{ type: 'example.com/lb', status: 'True' }] });
    ready = s.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.status, 'True');
  });

  it('a readiness probe without a result leaves the container unready', () => {
    const pod = testPod('p', { containers: [{ name: 'main', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }] });
    const s = generatePodStatus({ ...base, pod, runtime: { uid: 'u', sandboxes: [sandbox], containers: [instance({})] } });
    assert.equal(s.containerStatuses![0]!.ready, false);
    assert.equal(s.containerStatuses![0]!.started, true);
    const probed = generatePodStatus({ ...base, isReady: () => true, pod, runtime: { uid: 'u', sandboxes: [sandbox], containers: [instance({})] } });
    assert.equal(probed.containerStatuses![0]!.ready, true);
  });
  it('ephemeral containers: a status of their own, waiting until started, never ready; not in the phase or the conditions', () => {
    const pod = testPod('p', { restartPolicy: 'Never', ephemeralContainers: [{ name: 'dbg', image: 'busybox' }, { name: 'done', image: 'busybox' }] });
    const done = instance({ id: 'c3', state: 'exited', exitCode: 2, reason: 'Error', finishedAt: 9, metadata: { name: 'done', attempt: 0 }, labels: { 'io.kubernetes.container.name': 'done' } });
    const s = generatePodStatus({ ...base, isReady: () => true, pod, runtime: { uid: 'u', sandboxes: [sandbox], containers: [instance({}), done] } });
    assert.equal(s.phase, 'Running', 'a failed ephemeral container does not fail a restartPolicy Never pod');
    assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.status, 'True', 'a waiting ephemeral container does not make it unready');
    assert.deepEqual(s.containerStatuses!.map((c) => c.name), ['main']);
    const [dbg, ended] = s.ephemeralContainerStatuses!;
    assert.deepEqual([dbg!.name, dbg!.state?.waiting?.reason, dbg!.ready, dbg!.restartCount, dbg!.image], ['dbg', 'ContainerCreating', false, 0, 'busybox']);
    assert.deepEqual([ended!.state?.terminated?.exitCode, ended!.state?.terminated?.reason, ended!.ready, ended!.containerID], [2, 'Error', false, 'rt://c3']);
    assert.equal('started' in ended!, false);
    assert.equal(generatePodStatus({ ...base, pod: testPod('p'), runtime: { uid: 'u', sandboxes: [sandbox], containers: [] } }).ephemeralContainerStatuses, undefined);
  });
});
