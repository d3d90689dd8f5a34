// Runtime state → the pod's API status, as the kubelet's generateAPIPodStatus and
// convertToAPIContainerStatuses compute it: container states (waiting with the last sync's reason,
// running, terminated), lastState from the previous instance, restartCount, ready/started, the
// phase (getPhase), the conditions with lastTransitionTime kept while unchanged, pod and host IPs,
// and startTime. A terminal phase is never left. Ephemeral containers get statuses of their own
// (never ready, no `started`, as the prober only reports on the others) and count for neither the
// phase nor the Ready/ContainersReady conditions.

import type { Container, ContainerState, ContainerStatus as ApiContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { formatTime } from '../api/meta.js';
import { ephemeralAsContainer } from './ephemeral-containers.js';
import type { ContainerStatus } from '../runtime/runtime.js';
import { instancesOf, readySandbox, type RuntimePod } from './runtime-pod.js';

export interface WaitingReason {
  reason: string;
  message: string;
}

export interface StatusInputs {
  pod: Pod;
  runtime: RuntimePod;
  /** Why the last sync could not start a container (CrashLoopBackOff, ErrImageNeverPull, …). */
  reasons: ReadonlyMap<string, WaitingReason>;
  /** Probe results (undefined: no result yet). */
  isReady(containerName: string, containerId: string): boolean | undefined;
  isStarted(containerName: string, containerId: string): boolean | undefined;
  nodeIP: string;
  runtimeName: string;
  now: number;
  /** The conditions on the API's copy of the pod (readiness gates are set there by others). */
  apiConditions?: readonly PodCondition[];
}

export const isTerminalPhase = (phase: string | undefined): boolean => phase === 'Succeeded' || phase === 'Failed';

const time = (ms: number): string | undefined => (ms > 0 ? formatTime(ms) : undefined);

function terminated(c: ContainerStatus, runtimeName: string): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
      ...(c.message ? { message: c.message } : {}),
      ...(time(c.startedAt) ? { startedAt: time(c.startedAt) } : {}),
      ...(time(c.finishedAt) ? { finishedAt: time(c.finishedAt) } : {}),
      containerID: `${runtimeName}://${c.id}`,
    },
  };
}

function containerStatus(spec: Container, inputs: StatusInputs, defaultWaiting: string): ApiContainerStatus {
  const instances = instancesOf(inputs.runtime, spec.name);
  const newest = instances[0];
  const previousExited = instances.slice(1).find((c) => c.state === 'exited');
  const reason = inputs.reasons.get(spec.name);
  let state: ContainerState;
  let lastState: ContainerState = previousExited ? terminated(previousExited, inputs.runtimeName) : {};
  let running = false;
  if (!newest) {
    state = { waiting: { reason: reason?.reason ?? defaultWaiting, ...(reason?.message ? { message: reason.message } : {}) } };
  } else if (newest.state === 'running') {
    running = true;
    state = { running: { ...(time(newest.startedAt) ? { startedAt: time(newest.startedAt) } : {}) } };
  } else if (newest.state === 'exited') {
    if (reason) {
      lastState = terminated(newest, inputs.runtimeName);
      state = { waiting: { reason: reason.reason, ...(reason.message ? { message: reason.message } : {}) } };
    } else {
      state = terminated(newest, inputs.runtimeName);
    }
  } else {
    state = { waiting: { reason: reason?.reason ?? 'ContainerCreating', ...(reason?.message ? { message: reason.message } : {}) } };
  }
  // the prober's answer when there is one; without a prober, a container with a probe never passes it
  const started = running && newest ? (inputs.isStarted(spec.name, newest.id) ?? !spec.startupProbe) : false;
  const ready = running && newest && started ? (inputs.isReady(spec.name, newest.id) ?? !spec.readinessProbe) : false;
  return {
    name: spec.name,
    state,
    lastState,
    ready,
    restartCount: newest?.metadata.attempt ?? 0,
    image: spec.image ?? newest?.image ?? '',
    imageID: newest?.imageRef ?? '',
    ...(newest ? { containerID: `${inputs.runtimeName}://${newest.id}` } : {}),
    started,
    ...(newest && spec.volumeMounts?.length ? { volumeMounts: spec.volumeMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, ...(m.readOnly ? { readOnly: true } : {}), recursiveReadOnly: 'Disabled' })) } : {}),
  };
}

/** An ephemeral container's status: as any container's, but never ready, never restarted, and
 *  without `started` (Kubernetes' prober sets that only for init and app containers). */
function ephemeralStatus(spec: Container, inputs: StatusInputs, defaultWaiting: string): ApiContainerStatus {
  const { started: _started, ...status } = containerStatus(spec, inputs, defaultWaiting);
  return { ...status, ready: false, restartCount: 0 };
}

/** getPhase: the pod phase from its container statuses. */
export function podPhase(pod: Pod, init: readonly ApiContainerStatus[], app: readonly ApiContainerStatus[]): NonNullable<PodStatus['phase']> {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  const specs = pod.spec?.initContainers ?? [];
  for (const s of init) {
    if (specs.find((c) => c.name === s.name)?.restartPolicy === 'Always') {
      // a sidecar holds initialization back only until it has first run
      if (!s.state?.running && !s.state?.terminated && !s.lastState?.terminated) pendingInit++;
      continue;
    }
    if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) {
        pendingInit++;
        failedInit++;
      }
    } else {
      if (s.state?.waiting && (s.lastState?.terminated?.exitCode ?? 0) !== 0) failedInit++;
      pendingInit++;
    }
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, status: 'True' | 'False', old: readonly PodCondition[], now: string, reason?: string, message?: string): PodCondition {
  const prev = old.find((c) => c.type === type);
  const lastTransitionTime = prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
  return { type, status, lastTransitionTime, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export function generatePodStatus(inputs: StatusInputs): PodStatus {
  const { pod } = inputs;
  const old = pod.status ?? {};
  const oldConditions = old.conditions ?? [];
  const now = formatTime(inputs.now);
  const initSpecs = pod.spec?.initContainers ?? [];
  const defaultWaiting = initSpecs.length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const initStatuses = initSpecs.map((c) => containerStatus(c, inputs, 'PodInitializing'));
  const appStatuses = (pod.spec?.containers ?? []).map((c) => containerStatus(c, inputs, defaultWaiting));
  const phase = isTerminalPhase(old.phase) ? old.phase! : podPhase(pod, initStatuses, appStatuses);
  const ephemeralStatuses = (pod.spec?.ephemeralContainers ?? []).map((c) => ephemeralStatus(ephemeralAsContainer(c), inputs, defaultWaiting));

  const sandbox = readySandbox(inputs.runtime);
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const notInitialized = initStatuses.filter((s) => (sidecars.has(s.name) ? !s.started : s.state?.terminated?.exitCode !== 0)).map((s) => s.name);
  const unready = [...initStatuses.filter((s) => sidecars.has(s.name)), ...appStatuses].filter((s) => !s.ready).map((s) => s.name);
  const initialized =
    notInitialized.length === 0
      ? condition('Initialized', 'True', oldConditions, now, phase === 'Succeeded' && initSpecs.length > 0 ? 'PodCompleted' : undefined)
      : condition('Initialized', 'False', oldConditions, now, 'ContainersNotInitialized', `containers with incomplete status: [${notInitialized.join(' ')}]`);
  const readiness = (type: string) =>
    phase === 'Succeeded'
      ? condition(type, 'False', oldConditions, now, 'PodCompleted')
      : unready.length === 0
        ? condition(type, 'True', oldConditions, now)
        : condition(type, 'False', oldConditions, now, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
  // Ready also needs every readiness gate's condition (set by others on the API's copy) True
  const gateProblems = (pod.spec?.readinessGates ?? []).flatMap((g) => {
    const c = (inputs.apiConditions ?? oldConditions).find((x) => x.type === g.conditionType);
    if (!c) return [`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`];
    return c.status === 'True' ? [] : [`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`];
  });
  const ready = readiness('ContainersReady');
  const podReady =
    ready.status === 'True' && gateProblems.length > 0
      ? condition('Ready', 'False', oldConditions, now, 'ReadinessGatesNotReady', gateProblems.join(', '))
      : readiness('Ready');
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', sandbox && !isTerminalPhase(phase) ? 'True' : 'False', oldConditions, now),
    initialized,
    podReady,
    ready,
    ...oldConditions.filter((c) => c.type === 'PodScheduled'),
  ];

  const ips = sandbox?.ips ?? [];
  const status: PodStatus = {
    ...old,
    phase,
    conditions,
    hostIP: inputs.nodeIP,
    hostIPs: [{ ip: inputs.nodeIP }],
    startTime: old.startTime ?? now,
    containerStatuses: appStatuses,
    ...(initSpecs.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    ...(ephemeralStatuses.length > 0 ? { ephemeralContainerStatuses: ephemeralStatuses } : {}),
  };
  if (ips.length > 0) {
    status.podIP = ips[0];
    status.podIPs = ips.map((ip) => ({ ip }));
  }
  return status;
}
