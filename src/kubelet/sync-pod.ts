// syncPod: one pass that brings the runtime in line with a pod's spec (kuberuntime's
// computePodActions + SyncPod). Creates the sandbox if none is ready, runs init containers one at a
// time in order (each must exit 0 before the next), then starts app containers, restarting exited
// ones per restartPolicy with CrashLoopBackOff; ephemeral containers that have never run start
// once, before the init containers (ephemeral-containers.ts). Idempotent: what already runs is left
// alone. Returns the waiting reasons for containers it could not start, and when to come back.

import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../api/quantity.js';
import type { AuthConfig, ContainerRuntime, ContainerStatus, PodSandboxConfig } from '../runtime/runtime.js';
import type { EventRecorder } from '../client/events/index.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { goDuration, type RestartBackoff } from './backoff.js';
import { ephemeralAsContainer, ephemeralContainersToStart, pidTargetId } from './ephemeral-containers.js';
import {
  ANNOTATION_GRACE_PERIOD,
  ANNOTATION_RESTART_COUNT,
  containerLabels,
  podDescription,
  podIdentity,
  podLogDirName,
  sandboxLabels,
} from './labels.js';
import type { WaitingReason } from './pod-status.js';
import { instancesOf, readySandbox, runningContainers, type RuntimePod } from './runtime-pod.js';
import { reasonOf, type PodAddressesInput, type PodHelpers } from './seams.js';

export interface SyncPodDeps {
  runtime: ContainerRuntime;
  helpers: PodHelpers;
  backoff: RestartBackoff;
  clock: Clock;
  logger: Logger;
  recorder?: EventRecorder;
  /** Container logs live under <logRoot>/<ns>_<name>_<uid>/<container>/<attempt>.log. */
  logRoot: string;
  nodeIP: string;
  /** The credentials for pulling an image for a pod (its imagePullSecrets), most specific first. */
  pullCredentials?: (pod: Pod, image: string) => Promise<AuthConfig[]>;
  /** The cgroup parent of the pods' sandboxes (the kubelet's --cgroup-root); the runtime's default if unset. */
  cgroupParent?: string;
}

export interface SyncPodResult {
  reasons: Map<string, WaitingReason>;
  /** Sync again after this many ms (a backoff expiring), if set. */
  requeueAfterMs?: number;
}

type ContainerKind = 'init' | 'app' | 'ephemeral';
/** The id of the container whose PID namespace a new one joins (an ephemeral container's target). */
type PidTarget = () => string | undefined;

/** A restartable init container (a sidecar): restartPolicy Always on an init container. */
export const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always';

const VOLUME_RETRY_MS = 2_000;

export function sandboxConfig(pod: Pod, attempt: number, logRoot: string, cgroupParent?: string): PodSandboxConfig {
  const id = podIdentity(pod);
  const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  return {
    metadata: { name: id.name, namespace: id.namespace, uid: id.uid, attempt },
    hostname: pod.spec?.hostname ?? id.name,
    logDirectory: join(logRoot, podLogDirName(id)),
    portMappings: ports.map((p) => ({
      protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP',
      containerPort: p.containerPort,
      ...(p.hostPort ? { hostPort: p.hostPort } : {}),
      ...(p.hostIP ? { hostIp: p.hostIP } : {}),
    })),
    labels: sandboxLabels(pod),
    annotations: {
      ...(pod.metadata?.annotations ?? {}),
      [ANNOTATION_GRACE_PERIOD]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
    },
    hostNetwork: pod.spec?.hostNetwork ?? false,
    ...(cgroupParent ? { cgroupParent } : {}),
  };
}

/** The pull policy Kubernetes defaults: Always for :latest or no tag, IfNotPresent otherwise. */
export function pullPolicy(c: Container): string {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  const name = image.split('@')[0] ?? '';
  const lastSlash = name.lastIndexOf('/');
  const tag = name.slice(lastSlash + 1).includes(':') ? name.slice(name.lastIndexOf(':') + 1) : '';
  return image.includes('@') ? 'IfNotPresent' : tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export class PodSyncer {
  /** When each pod's pull of an image last failed ("<uid>/pull/<image>"). */
  private readonly pullFailures = new Map<string, number>();

  constructor(private readonly d: SyncPodDeps) {}

  /** Forgets a pod's pull failures (the pod went away). */
  forget(uid: string): void {
    for (const key of this.pullFailures.keys()) if (key.startsWith(`${uid}/`)) this.pullFailures.delete(key);
  }

  async sync(pod: Pod, state: RuntimePod): Promise<SyncPodResult> {
    const result: SyncPodResult = { reasons: new Map() };
    const policy = pod.spec?.restartPolicy ?? 'Always';
    let sandbox = readySandbox(state);
    // as computePodActions: a sync that creates the sandbox starts no ephemeral container
    const createdSandbox = !sandbox;
    if (!sandbox) {
      // a dead sandbox takes its containers with it
      await Promise.all(runningContainers(state).map((c) => this.d.runtime.stopContainer(c.id, 0)));
      const hasRun = state.containers.length > 0;
      if (state.sandboxes.length > 0 && policy === 'Never' && hasRun) return result;
      const attempt = state.sandboxes.length > 0 ? state.sandboxes[0]!.metadata.attempt + 1 : 0;
      const config = sandboxConfig(pod, attempt, this.d.logRoot, this.d.cgroupParent);
      const id = await this.d.runtime.runPodSandbox(config);
      sandbox = await this.d.runtime.podSandboxStatus(id);
      state = { ...state, sandboxes: [sandbox, ...state.sandboxes] };
    }
    const config = sandboxConfig(pod, sandbox.metadata.attempt, this.d.logRoot, this.d.cgroupParent);
    let mounted: Map<string, string>;
    try {
      mounted = await this.d.helpers.mountPod(pod);
    } catch (err) {
      // containers stay ContainerCreating until the volumes can be set up
      this.d.recorder?.event(pod, 'Warning', reasonOf(err) ?? 'FailedMount', (err as Error).message);
      this.d.logger.info('volumes not ready', { pod: podDescription(podIdentity(pod)), error: err as Error });
      return { ...result, requeueAfterMs: VOLUME_RETRY_MS };
    }
    const addresses = { podIPs: sandbox.ips, hostIPs: [this.d.nodeIP] };
    const start = (c: Container, kind: ContainerKind, attempt: number, pidTarget?: PidTarget) =>
      this.start(pod, sandbox!.id, config, c, kind, attempt, mounted, result, addresses, pidTarget);
    // progress is judged within the current sandbox: a new sandbox runs the init containers again;
    // restart counts carry on from earlier instances
    const all = state;
    const sandboxId = sandbox.id;
    state = { ...state, containers: state.containers.filter((c) => c.podSandboxId === undefined || c.podSandboxId === sandboxId) };
    const firstAttempt = (name: string) => {
      const previous = instancesOf(all, name)[0];
      return previous ? previous.metadata.attempt + 1 : 0;
    };

    // ephemeral containers that never ran, even while initialization is not done; never restarted
    if (!createdSandbox) {
      for (const c of ephemeralContainersToStart(pod, all)) await start(ephemeralAsContainer(c), 'ephemeral', 0, () => pidTargetId(c, state));
    }

    // init containers, one at a time; a sidecar (restartPolicy Always) only has to have started
    const uid = pod.metadata?.uid ?? '';
    for (const c of pod.spec?.initContainers ?? []) {
      const newest = instancesOf(state, c.name)[0];
      if (!newest) {
        await start(c, 'init', firstAttempt(c.name));
        return this.prune(all, result);
      }
      if (isSidecar(c)) {
        if (newest.state === 'running' && (this.d.helpers.isStarted(uid, c.name, newest.id) ?? true)) continue;
        if (newest.state !== 'running') await this.restart(pod, c, 'init', newest, start, result);
        return this.prune(all, result);
      }
      if (newest.state === 'running') return this.prune(all, result);
      if (newest.state === 'exited' && newest.exitCode === 0) continue;
      if (newest.state === 'exited' && policy === 'Never') return this.prune(all, result);
      await this.restart(pod, c, 'init', newest, start, result);
      return this.prune(all, result);
    }

    // sidecars keep running beside the app containers, whatever the pod's restartPolicy
    for (const c of (pod.spec?.initContainers ?? []).filter(isSidecar)) {
      const newest = instancesOf(state, c.name)[0];
      if (newest && newest.state !== 'running') await this.restart(pod, c, 'init', newest, start, result);
    }

    for (const c of pod.spec?.containers ?? []) {
      let newest = instancesOf(state, c.name)[0];
      if (!newest) {
        await start(c, 'app', firstAttempt(c.name));
        continue;
      }
      if (newest.state === 'running' && this.d.helpers.livenessFailed(pod.metadata?.uid ?? '', c.name)) {
        this.d.recorder?.event(pod, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
        await this.d.runtime.stopContainer(newest.id, pod.spec?.terminationGracePeriodSeconds ?? 30);
        newest = await this.d.runtime.containerStatus(newest.id);
      }
      if (newest.state === 'running') continue;
      if (newest.state === 'exited') {
        const restart = policy === 'Always' || (policy === 'OnFailure' && newest.exitCode !== 0);
        if (restart) await this.restart(pod, c, 'app', newest, start, result);
        continue;
      }
      // created but never started (a sync that died half way): replace it
      await this.d.runtime.removeContainer(newest.id);
      await start(c, 'app', newest.metadata.attempt);
    }
    return this.prune(all, result);
  }

  private async restart(
    pod: Pod,
    c: Container,
    kind: ContainerKind,
    newest: ContainerStatus,
    start: (c: Container, kind: ContainerKind, attempt: number) => Promise<void>,
    result: SyncPodResult,
  ): Promise<void> {
    const key = `${pod.metadata?.uid}/${c.name}`;
    if (newest.state === 'exited') {
      const wait = this.d.backoff.remaining(key, newest.finishedAt);
      if (wait > 0) {
        const message = `back-off ${goDuration(this.d.backoff.delay(key))} restarting failed container=${c.name} pod=${podDescription(podIdentity(pod))}`;
        result.reasons.set(c.name, { reason: 'CrashLoopBackOff', message });
        result.requeueAfterMs = Math.min(result.requeueAfterMs ?? Infinity, wait);
        this.d.recorder?.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
        return;
      }
      this.d.backoff.next(key);
    }
    await start(c, kind, newest.metadata.attempt + 1);
  }

  private async start(
    pod: Pod,
    sandboxId: string,
    sandboxConfig: PodSandboxConfig,
    c: Container,
    kind: ContainerKind,
    attempt: number,
    mounted: Map<string, string>,
    result: SyncPodResult,
    addresses: PodAddressesInput,
    pidTarget?: PidTarget,
  ): Promise<void> {
    const image = c.image ?? '';
    const fail = (reason: string, message: string) => {
      result.reasons.set(c.name, { reason, message });
      const event = reason === 'ErrImageNeverPull' ? 'ErrImageNeverPull' : reason === 'ImagePullBackOff' ? 'BackOff' : 'Failed';
      this.d.recorder?.event(pod, reason === 'ImagePullBackOff' ? 'Normal' : 'Warning', event, message);
    };
    const policy = pullPolicy(c);
    const present = await this.d.runtime.imageStatus(image);
    if (policy === 'Never' && !present) return fail('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
    if (policy === 'Always' || !present) {
      // a failed pull is retried with backoff: ErrImagePull, then ImagePullBackOff until the delay passes
      const pullKey = `${pod.metadata?.uid}/pull/${image}`;
      const failedAt = this.pullFailures.get(pullKey);
      if (failedAt !== undefined) {
        const wait = this.d.backoff.remaining(pullKey, failedAt);
        if (wait > 0) {
          result.requeueAfterMs = Math.min(result.requeueAfterMs ?? Infinity, wait);
          return fail('ImagePullBackOff', `Back-off pulling image "${image}"`);
        }
      }
      try {
        this.d.recorder?.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
        await this.pull(pod, image, sandboxConfig);
        this.d.recorder?.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}"`);
        this.pullFailures.delete(pullKey);
      } catch (err) {
        this.d.backoff.next(pullKey);
        this.pullFailures.set(pullKey, this.d.clock.now());
        result.requeueAfterMs = Math.min(result.requeueAfterMs ?? Infinity, this.d.backoff.delay(pullKey));
        return fail('ErrImagePull', `Failed to pull image "${image}": ${(err as Error).message}`);
      }
    }
    let run;
    let pidNamespaceTargetId: string | undefined;
    try {
      pidNamespaceTargetId = pidTarget?.();
      run = await this.d.helpers.containerConfig(pod, c, addresses);
    } catch (err) {
      return fail(reasonOf(err) ?? 'CreateContainerConfigError', (err as Error).message);
    }
    let id: string;
    try {
      id = await this.d.runtime.createContainer(
        sandboxId,
        {
          metadata: { name: c.name, attempt },
          image,
          command: run.command,
          args: run.args,
          ...(c.workingDir ? { workingDir: c.workingDir } : {}),
          envs: run.envs,
          mounts: this.d.helpers.containerMounts(pod, c, mounted, run.envs),
          labels: containerLabels(pod, c.name, kind),
          annotations: { [ANNOTATION_RESTART_COUNT]: String(attempt) },
          logPath: join(c.name, `${attempt}.log`),
          stdin: c.stdin ?? false,
          stdinOnce: c.stdinOnce ?? false,
          tty: c.tty ?? false,
          resources: containerResources(c),
          ...(pidNamespaceTargetId ? { pidNamespaceTargetId } : {}),
        },
        sandboxConfig,
      );
    } catch (err) {
      return fail('CreateContainerError', (err as Error).message);
    }
    this.d.recorder?.event(pod, 'Normal', 'Created', `Created container ${c.name}`);
    try {
      await this.d.runtime.startContainer(id);
    } catch (err) {
      return fail('RunContainerError', (err as Error).message);
    }
    this.d.recorder?.event(pod, 'Normal', 'Started', `Started container ${c.name}`);
    if (c.lifecycle?.postStart && kind !== 'ephemeral') {
      try {
        await this.d.helpers.runPostStart(pod, c, id);
      } catch (err) {
        this.d.recorder?.event(pod, 'Warning', reasonOf(err) ?? 'FailedPostStartHook', (err as Error).message);
        await this.d.runtime.stopContainer(id, pod.spec?.terminationGracePeriodSeconds ?? 30);
      }
    }
  }

  /** Pulls anonymously without credentials, else with each credential in turn until one works. */
  private async pull(pod: Pod, image: string, sandboxConfig: PodSandboxConfig): Promise<void> {
    const credentials = (await this.d.pullCredentials?.(pod, image)) ?? [];
    if (credentials.length === 0) {
      await this.d.runtime.pullImage(image, undefined, sandboxConfig);
      return;
    }
    let last: unknown;
    for (const auth of credentials) {
      try {
        await this.d.runtime.pullImage(image, auth, sandboxConfig);
        return;
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }

  /** Keeps, per container, the newest instance and the newest exited one before it (lastState, logs --previous). */
  private async prune(state: RuntimePod, result: SyncPodResult): Promise<SyncPodResult> {
    const names = new Set(state.containers.map((c) => c.metadata.name));
    for (const name of names) {
      const exited = instancesOf(state, name).filter((c) => c.state === 'exited');
      for (const old of exited.slice(1)) {
        await this.d.runtime.removeContainer(old.id).catch((err: unknown) => this.d.logger.debug('cannot remove container', { id: old.id, error: err as Error }));
      }
    }
    return result;
  }
}

function containerResources(c: Container): { cpuLimitMillis?: number; cpuRequestMillis?: number; memoryLimitBytes?: number } | undefined {
  const limits = (c.resources?.limits ?? {}) as Record<string, string>;
  const requests = (c.resources?.requests ?? {}) as Record<string, string>;
  const milli = (v: string | undefined) => (v === undefined ? undefined : parseCpuMillis(v));
  const bytes = (v: string | undefined) => (v === undefined ? undefined : parseBytes(v));
  const out = { cpuLimitMillis: milli(limits['cpu']), cpuRequestMillis: milli(requests['cpu']), memoryLimitBytes: bytes(limits['memory']) };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

const parseCpuMillis = (v: string): number | undefined => {
  try {
    return Quantity.fromJSON(v).milliValue();
  } catch {
    return undefined;
  }
};
const parseBytes = (v: string): number | undefined => {
  try {
    return Quantity.fromJSON(v).value();
  } catch {
    return undefined;
  }
};
