// ProbeManager: the probe workers of every pod on the node (pkg/kubelet/prober/prober_manager.go).
// The pod worker tells it about pods (addPod/updatePod/removePod) and container lifecycles
// (containerStarted/containerStopped, or syncPod with the runtime's states); it runs a worker per container and probe kind, reports
// recorded results through onResult, and answers what the status needs: isStarted (no startup
// probe, or it succeeded), isReady (started, and no readiness probe or it succeeded) and
// livenessFailed (kill and restart the container), each optionally for a given container id. Readiness starts false, liveness true; liveness
// and readiness wait for startup. A pod being deleted stops liveness and startup probing.

import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { RuntimeService } from '../../runtime/runtime.js';
import type { Clock } from '../../util/clock.js';
import { runProbe } from './run-probe.js';
import { probeFailureMessage, type ProbeKind, type ProbeOutcome, type ProbeTarget } from './types.js';
import { ProbeWorker, type RecordedResult } from './worker.js';

export type ProbeResultListener = (podUid: string, containerName: string, kind: ProbeKind, result: RecordedResult) => void;

export interface ProbeManagerOptions {
  clock: Clock;
  runtime: Pick<RuntimeService, 'execSync'>;
  /** Called when a container's recorded result of a kind changes. */
  onResult?: ProbeResultListener;
  /** Warning events for failed runs (reason Unhealthy, e.g. "Liveness probe failed: …"). */
  recordEvent?: (pod: Pod, containerName: string, reason: string, message: string) => void;
  /** Runs one probe; default runProbe. */
  run?: (probe: Probe, target: ProbeTarget) => Promise<ProbeOutcome>;
}

export interface StartedContainer {
  containerId: string;
  podIP: string;
  /** When it started (ms since the epoch; default now): initialDelaySeconds counts from here. */
  startedAt?: number;
}

/** What the runtime says of one container, for syncPod (running unless said otherwise). */
export interface ContainerRunState {
  name: string;
  containerId: string;
  running?: boolean;
  /** When it started (ms since the epoch), e.g. for containers found running after a kubelet restart. */
  startedAt?: number;
}

interface ContainerEntry {
  container: Container;
  running?: StartedContainer;
  workers: Partial<Record<ProbeKind, ProbeWorker>>;
}

interface PodEntry {
  pod: Pod;
  containers: Map<string, ContainerEntry>;
  terminating: boolean;
}

const KINDS: ProbeKind[] = ['startup', 'liveness', 'readiness'];

function probeOf(c: Container, kind: ProbeKind): Probe | undefined {
  return kind === 'startup' ? c.startupProbe : kind === 'liveness' ? c.livenessProbe : c.readinessProbe;
}

/** The containers the kubelet probes: regular containers and sidecars (init containers with restartPolicy Always). */
function probedContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
}

export class ProbeManager {
  private readonly pods = new Map<string, PodEntry>();
  private readonly run: (probe: Probe, target: ProbeTarget) => Promise<ProbeOutcome>;

  constructor(private readonly options: ProbeManagerOptions) {
    this.run = options.run ?? runProbe;
  }

  /** Registers a pod's containers and their probes (idempotent). */
  addPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    if (this.pods.has(uid)) return this.updatePod(pod);
    const entry: PodEntry = { pod, containers: new Map(), terminating: false };
    this.pods.set(uid, entry);
    for (const c of probedContainers(pod)) {
      const ce: ContainerEntry = { container: c, workers: {} };
      for (const kind of KINDS) {
        const probe = probeOf(c, kind);
        if (probe) ce.workers[kind] = this.makeWorker(entry, ce, kind, probe);
      }
      entry.containers.set(c.name, ce);
    }
    this.updatePod(pod);
  }

  /**
   * A newer copy of the pod. Once it is being deleted, liveness and startup report Success and stop
   * (a quiet shutdown); readiness keeps probing, as in Kubernetes.
   */
  updatePod(pod: Pod): void {
    const entry = this.pods.get(pod.metadata?.uid ?? '');
    if (!entry) return;
    entry.pod = pod;
    if (pod.metadata?.deletionTimestamp && !entry.terminating) {
      entry.terminating = true;
      for (const ce of entry.containers.values()) {
        for (const w of [ce.workers.liveness, ce.workers.startup]) {
          w?.stop();
          if (ce.running) w?.set('Success');
        }
      }
    }
  }

  /**
   * Level-triggered form of the calls below, for every pod sync: registers the pod, starts probing
   * containers that run under a new id, and stops those that are not listed as running.
   */
  syncPod(pod: Pod, podIP: string, containers: readonly ContainerRunState[]): void {
    this.addPod(pod);
    const uid = pod.metadata?.uid ?? '';
    const entry = this.pods.get(uid);
    if (!entry) return;
    const running = new Map(containers.filter((c) => c.running !== false).map((c) => [c.name, c]));
    for (const [name, ce] of entry.containers) {
      const c = running.get(name);
      if (c && ce.running?.containerId !== c.containerId) {
        this.containerStarted(uid, name, { containerId: c.containerId, podIP, ...(c.startedAt !== undefined ? { startedAt: c.startedAt } : {}) });
      } else if (!c && ce.running) this.containerStopped(uid, name);
    }
  }

  /** A container (re)started: its probes begin from their initial results. */
  containerStarted(podUid: string, containerName: string, started: StartedContainer): void {
    const ce = this.pods.get(podUid)?.containers.get(containerName);
    if (!ce) return;
    ce.running = started;
    // A container started while the pod is being deleted is probed for readiness only.
    const kinds: ProbeKind[] = this.pods.get(podUid)?.terminating ? ['readiness'] : KINDS;
    for (const kind of kinds) ce.workers[kind]?.start(started.startedAt);
  }

  /** A container exited: probing stops and it is no longer ready. */
  containerStopped(podUid: string, containerName: string): void {
    const ce = this.pods.get(podUid)?.containers.get(containerName);
    if (!ce) return;
    ce.running = undefined;
    for (const w of Object.values(ce.workers)) w.stop();
    ce.workers.readiness?.set('Failure');
  }

  /** Stops a pod's workers and forgets it. */
  removePod(podUid: string): void {
    const entry = this.pods.get(podUid);
    if (!entry) return;
    for (const ce of entry.containers.values()) for (const w of Object.values(ce.workers)) w.stop();
    this.pods.delete(podUid);
  }

  /** Stops every worker. */
  stop(): void {
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
  }

  /** containerStatus.started: running, and no startup probe or it has succeeded. */
  isStarted(podUid: string, containerName: string, containerId?: string): boolean {
    const ce = this.running(podUid, containerName, containerId);
    if (!ce) return false;
    const startup = ce.workers.startup;
    return !startup || startup.result === 'Success';
  }

  /** containerStatus.ready: started, and no readiness probe or it has succeeded. */
  isReady(podUid: string, containerName: string, containerId?: string): boolean {
    const ce = this.running(podUid, containerName, containerId);
    if (!ce || !this.isStarted(podUid, containerName)) return false;
    const readiness = ce.workers.readiness;
    return !readiness || readiness.result === 'Success';
  }

  /** Whether the liveness (or startup) probe has recorded a failure: the container must be restarted. */
  livenessFailed(podUid: string, containerName: string, containerId?: string): boolean {
    const ce = this.running(podUid, containerName, containerId);
    if (!ce) return false;
    return ce.workers.liveness?.result === 'Failure' || ce.workers.startup?.result === 'Failure';
  }

  /** The recorded result of one probe, if the container has that probe and a result was recorded. */
  result(podUid: string, containerName: string, kind: ProbeKind): RecordedResult | undefined {
    return this.pods.get(podUid)?.containers.get(containerName)?.workers[kind]?.result;
  }

  /** The container's entry while it runs (under containerId, when given). */
  private running(podUid: string, containerName: string, containerId?: string): ContainerEntry | undefined {
    const ce = this.pods.get(podUid)?.containers.get(containerName);
    if (!ce?.running || (containerId !== undefined && ce.running.containerId !== containerId)) return undefined;
    return ce;
  }

  private makeWorker(entry: PodEntry, ce: ContainerEntry, kind: ProbeKind, probe: Probe): ProbeWorker {
    const uid = entry.pod.metadata?.uid ?? '';
    const name = ce.container.name;
    return new ProbeWorker(kind, probe, {
      clock: this.options.clock,
      enabled: () => {
        if (!ce.running) return false;
        const started = this.isStarted(uid, name);
        return kind === 'startup' ? !started : started;
      },
      run: (p) => {
        const running = ce.running as StartedContainer;
        return this.run(p, { pod: entry.pod, container: ce.container, containerId: running.containerId, podIP: running.podIP, runtime: this.options.runtime });
      },
      ran: (outcome) => {
        if (outcome.result !== 'Success') this.options.recordEvent?.(entry.pod, name, 'Unhealthy', probeFailureMessage(kind, outcome));
      },
      recorded: (result) => {
        this.options.onResult?.(uid, name, kind, result);
        // Once started, readiness need not wait for its next tick.
        if (kind === 'startup' && result === 'Success') ce.workers.readiness?.trigger();
      },
    });
  }
}
