// The Kubelet: pods in, runtime state and pod status out. Pods arrive from the pod source
// (add/update/delete); each pod UID gets a worker (pod-workers.ts) that reads the runtime, then
// either admits and syncs the pod (sync-pod.ts) and posts its status (status-manager.ts), stops
// a finished pod's containers, or terminates a deleted one (kill-pod.ts) and deletes its API
// object. A periodic resync, the runtime relist (pleg.ts) and housekeeping (runtime pods with
// no API pod) drive workers too. All times come from the injected clock.
// Static pods (from the file source) run the same way without needing the API server; their
// mirror pods (static/mirror-pods.ts), which the API source delivers, are kept in step instead of
// run, and carry the static pods' status.

import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { formatTime, parseTime } from '../api/meta.js';
import { isNotFound } from '../api/status-predicates.js';
import type { EventRecorder } from '../client/events/index.js';
import type { AuthConfig, ContainerRuntime } from '../runtime/runtime.js';
import type { Clock, Timer } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { admitPod, type AdmitResult } from './admission.js';
import { RestartBackoff } from './backoff.js';
import { gracePeriodSeconds, killPod } from './kill-pod.js';
import type { KubeletApi } from './kubelet-api.js';
import { ANNOTATION_GRACE_PERIOD, LABEL_POD_UID, podIdentity } from './labels.js';
import { RelistPleg } from './pleg.js';
import { generatePodStatus, isTerminalPhase } from './pod-status.js';
import { PodLookup } from './pod-lookup.js';
import { PodWorkers } from './pod-workers.js';
import { readySandbox, runningContainers, type RuntimePod } from './runtime-pod.js';
import { RuntimePodCache } from './runtime-pod-cache.js';
import type { ContainerRunState, PodHelpers } from './seams.js';
import { StatusManager } from './status-manager.js';
import { TerminationMessages } from './termination-message.js';
import { PodSyncer } from './sync-pod.js';
import type { KubeletTimings } from './timings.js';
import { MirrorPods } from './static/mirror-pods.js';
import { isMirrorPod, isStaticPod, podFullName } from './static/pod-source-annotations.js';

export interface KubeletCoreOptions {
  api: KubeletApi;
  runtime: ContainerRuntime;
  helpers: PodHelpers;
  clock: Clock;
  logger: Logger;
  timings: KubeletTimings;
  nodeIP: string;
  /** The registered Node (for admission); pods wait while it is unknown. */
  node: () => Node | undefined;
  /** Container logs root: <dataDir>/pods/logs. */
  logRoot: string;
  /** The runtime's name for containerIDs ("<name>://<id>"). */
  runtimeName: string;
  recorder?: EventRecorder;
  /** Image pull credentials from a pod's imagePullSecrets (none if unset). */
  pullCredentials?: (pod: Pod, image: string) => Promise<AuthConfig[]>;
  /** The cgroup parent of the pods' sandboxes. */
  cgroupParent?: string;
  /** Admit handlers that run before the resource/affinity/taint predicates (the eviction manager's). */
  admitHandlers?: readonly ((pod: Pod) => AdmitResult)[];
  /** True once every pod source has delivered its pods: until then housekeeping removes nothing. */
  sourcesReady?: () => boolean;
}

const RETRY_MS = 1_000;
/** A static pod waits this long between looks at whether its previous instance has stopped. */
const STATIC_RESTART_POLL_MS = 200;

export class Kubelet {
  private readonly pods = new Map<string, Pod>();
  /** The last version of pods that left the API, for their grace period. */
  private readonly gone = new Map<string, Pod>();
  private readonly admitted = new Set<string>();
  private readonly rejected = new Set<string>();
  /** Pods the eviction manager asked to evict: their message and grace period, and who waits. */
  private readonly evictions = new Map<string, { message: string; graceSeconds: number; done: () => void }>();
  readonly statuses: StatusManager;
  readonly workers: PodWorkers;
  private readonly syncer: PodSyncer;
  private readonly backoff: RestartBackoff;
  private readonly pleg: RelistPleg;
  /** The pods' runtime state between changes (the PLEG's and the kubelet's own). */
  private readonly runtimePods: RuntimePodCache;
  private readonly messages = new TerminationMessages();
  /** Where the pods' containers and logs are (what the kubelet API serves from). */
  readonly lookup: PodLookup;
  /** The static pods' mirror pods in the API. */
  readonly mirrors: MirrorPods;
  private timers: Timer[] = [];

  constructor(private readonly o: KubeletCoreOptions) {
    const t = o.timings;
    // entries are trusted while relists succeed: a wedged PLEG (10 periods without a relist) sends reads to the runtime
    this.runtimePods = new RuntimePodCache({ runtime: o.runtime, relisting: () => this.pleg.healthy(10 * t.relistMs) });
    const runtime = this.runtimePods.runtime;
    this.mirrors = new MirrorPods(o.api, o.node, o.logger.child('mirror'));
    this.statuses = new StatusManager(o.api, o.logger.child('status'), (uid) => this.statusUid(uid));
    this.workers = new PodWorkers((uid) => this.syncPod(uid), o.clock, o.logger.child('workers'));
    this.backoff = new RestartBackoff({ clock: o.clock, initialMs: t.backoffInitialMs, maxMs: t.backoffMaxMs, resetMs: t.backoffResetMs });
    this.syncer = new PodSyncer({
      runtime,
      helpers: o.helpers,
      backoff: this.backoff,
      clock: o.clock,
      logger: o.logger.child('sync'),
      logRoot: o.logRoot,
      nodeIP: o.nodeIP,
      ...(o.recorder ? { recorder: o.recorder } : {}),
      ...(o.pullCredentials ? { pullCredentials: o.pullCredentials } : {}),
      ...(o.cgroupParent ? { cgroupParent: o.cgroupParent } : {}),
    });
    this.lookup = new PodLookup(o.runtime, () => [...this.pods.keys()].map((uid) => this.pod(uid)!));
    this.pleg = new RelistPleg(o.runtime, o.clock, o.logger.child('pleg'), (uid) => {
      this.runtimePods.invalidate(uid);
      this.workers.enqueue(uid);
    });
  }

  // --- the pod source's handlers

  podUpdated(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    if (isMirrorPod(pod)) {
      if (this.mirrors.observed(pod)) this.syncStaticPodOf(pod);
      return;
    }
    this.pods.set(uid, pod);
    this.workers.enqueue(uid);
  }

  podDeleted(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    if (isMirrorPod(pod)) {
      this.mirrors.removed(pod);
      this.syncStaticPodOf(pod);
      return;
    }
    this.gone.set(uid, this.pods.get(uid) ?? pod);
    this.pods.delete(uid);
    this.workers.enqueue(uid);
  }

  /** Starts the loops; call once the pod source has delivered its initial list. */
  start(): void {
    const t = this.o.timings;
    this.timers.push(this.o.clock.setInterval(() => this.resyncAll(), t.podResyncMs));
    this.timers.push(this.o.clock.setInterval(() => void this.housekeeping(), t.housekeepingMs));
    this.pleg.start(t.relistMs);
    void this.housekeeping();
  }

  /** Stops the loops and waits for syncs in flight; containers keep running. */
  async stop(): Promise<void> {
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.pleg.stop();
    await this.workers.stop();
  }

  /** Resolves when no pod sync and no status post is in flight (tests). */
  async idle(): Promise<void> {
    do {
      await this.workers.idle();
      await this.mirrors.idle();
      await this.statuses.idle();
    } while (this.workers.busy());
  }

  resyncAll(): void {
    for (const uid of this.pods.keys()) this.workers.enqueue(uid);
  }

  /** Runtime pods whose pod the API no longer has get a worker, which removes them; mirror pods
   *  whose static pod is gone are deleted. Only once every source has delivered its pods. */
  async housekeeping(): Promise<void> {
    if (!this.sourcesReady()) return;
    void this.mirrors.deleteOrphans([...this.pods.values()].filter(isStaticPod));
    try {
      const sandboxes = await this.o.runtime.listPodSandbox();
      for (const sb of sandboxes) {
        const uid = sb.labels[LABEL_POD_UID];
        if (uid && !this.pods.has(uid) && !this.workers.isWorking(uid)) this.workers.enqueue(uid);
      }
    } catch (err) {
      this.o.logger.warn('housekeeping failed', { error: err as Error });
    }
  }

  /** Every pod the kubelet runs, as it sees them. */
  listPods(): Pod[] {
    return [...this.pods.keys()].map((uid) => this.pod(uid)!);
  }

  /** The pod as the kubelet sees it (API object with the kubelet's latest status). */
  pod(uid: string): Pod | undefined {
    const pod = this.pods.get(uid);
    if (!pod) return undefined;
    const status = this.statuses.get(uid);
    return status ? { ...pod, status } : pod;
  }

  // --- one sync of one pod

  private async syncPod(uid: string): Promise<void> {
    const pod = this.pods.get(uid);
    // a runtime pod the sources have not delivered (yet): left alone until every source has
    // synced, then housekeeping brings it back here
    if (!pod && !this.gone.has(uid) && !this.sourcesReady()) return;
    const state = await this.runtimePods.read(uid);
    if (!pod || pod.metadata?.deletionTimestamp || this.statuses.isTerminal(pod)) this.dropEviction(uid);
    if (!pod) return this.removeGonePod(uid, state);
    if (isStaticPod(pod)) {
      // a changed manifest: the new pod starts once the old one has stopped, as Kubernetes'
      if (state.sandboxes.length === 0 && this.previousInstanceStopping(pod)) return this.workers.enqueueAfter(uid, STATIC_RESTART_POLL_MS);
      this.syncMirror(pod);
    }
    if (pod.metadata?.deletionTimestamp) return this.terminate(pod, state);
    if (this.statuses.isTerminal(pod)) return this.finishTerminal(pod, state);
    if (!this.admitted.has(uid) && !this.admit(pod, state)) return;
    if (this.evictions.has(uid)) return this.finishEviction(pod, state);
    if (this.pastActiveDeadline(pod)) return this.failPastDeadline(pod, state);
    const result = await this.syncer.sync(this.withStatus(pod), state);
    const after = await this.runtimePods.read(uid);
    const newest = new Map<string, ContainerRunState>();
    for (const c of after.containers) {
      if (!newest.has(c.metadata.name)) newest.set(c.metadata.name, { name: c.metadata.name, containerId: c.id, running: c.state === 'running', startedAt: c.startedAt });
    }
    this.o.helpers.syncProbes(pod, [...newest.values()], readySandbox(after)?.ips[0] ?? this.o.nodeIP);
    const status = this.generate(pod, after, result.reasons);
    this.statuses.set(pod, status);
    if (isTerminalPhase(status.phase)) return this.finishTerminal(pod, after);
    if (result.requeueAfterMs !== undefined) this.workers.enqueueAfter(uid, result.requeueAfterMs);
    const deadline = this.activeDeadline(pod);
    if (deadline !== undefined) this.workers.enqueueAfter(uid, Math.max(0, deadline - this.o.clock.now()));
  }

  /** The admitted pods still running here (not terminal, not being deleted): what eviction ranks. */
  activePods(): Pod[] {
    return [...this.admitted].map((uid) => this.pod(uid)).filter((p): p is Pod => !!p && !p.metadata?.deletionTimestamp && !isTerminalPhase(p.status?.phase));
  }

  /**
   * Evicts a pod (the eviction manager's killPodFunc), through its worker: its containers stop
   * within `graceSeconds`, it ends Failed with reason Evicted, the message and a DisruptionTarget
   * condition (TerminationByKubelet). Resolves once that is done.
   */
  evict(pod: Pod, message: string, graceSeconds: number): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    return new Promise((done) => {
      this.evictions.set(uid, { message, graceSeconds, done });
      this.workers.enqueue(uid);
    });
  }

  /** An eviction overtaken by deletion or by the pod's end: nothing left to evict. */
  private dropEviction(uid: string): void {
    this.evictions.get(uid)?.done();
    this.evictions.delete(uid);
  }

  private async finishEviction(pod: Pod, state: RuntimePod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const eviction = this.evictions.get(uid)!;
    try {
      this.o.recorder?.event(pod, 'Warning', 'Evicted', eviction.message);
      await killPod(this.killDeps(), state, { pod, graceSeconds: eviction.graceSeconds, remove: false });
      const after = await this.runtimePods.read(uid);
      const status = this.generate(pod, after, new Map());
      const now = formatTime(this.o.clock.now());
      const disruption: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: eviction.message, lastTransitionTime: now };
      const conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), disruption];
      this.statuses.set(pod, { ...status, phase: 'Failed', reason: 'Evicted', message: eviction.message, conditions });
    } finally {
      this.evictions.delete(uid);
      eviction.done();
    }
  }

  /** When spec.activeDeadlineSeconds runs out, counted from the pod's startTime. */
  private activeDeadline(pod: Pod): number | undefined {
    const seconds = pod.spec?.activeDeadlineSeconds;
    const start = parseTime(this.withStatus(pod).status?.startTime);
    return seconds === undefined || start === undefined ? undefined : start + seconds * 1000;
  }

  private pastActiveDeadline(pod: Pod): boolean {
    const deadline = this.activeDeadline(pod);
    return deadline !== undefined && this.o.clock.now() >= deadline;
  }

  /** The kubelet's activeDeadlineSeconds handling: the pod fails with DeadlineExceeded, its containers stop. */
  private async failPastDeadline(pod: Pod, state: RuntimePod): Promise<void> {
    const message = 'Pod was active on the node longer than the specified deadline';
    this.o.recorder?.event(pod, 'Normal', 'DeadlineExceeded', message);
    await killPod(this.killDeps(), state, { pod, graceSeconds: gracePeriodSeconds(pod), remove: false });
    const after = await this.runtimePods.read(pod.metadata?.uid ?? '');
    this.statuses.set(pod, { ...this.generate(pod, after, new Map()), phase: 'Failed', reason: 'DeadlineExceeded', message });
  }

  private withStatus(pod: Pod): Pod {
    const status = this.statuses.get(pod.metadata?.uid ?? '');
    return status ? { ...pod, status } : pod;
  }

  private generate(pod: Pod, state: RuntimePod, reasons: ReadonlyMap<string, { reason: string; message: string }>) {
    const uid = pod.metadata?.uid ?? '';
    return generatePodStatus({
      pod: this.withStatus(pod),
      runtime: this.messages.apply(pod, state),
      reasons,
      isReady: (name, id) => this.o.helpers.isReady(uid, name, id),
      isStarted: (name, id) => this.o.helpers.isStarted(uid, name, id),
      nodeIP: this.o.nodeIP,
      runtimeName: this.o.runtimeName,
      now: this.o.clock.now(),
      apiConditions: pod.status?.conditions ?? [],
    });
  }

  /** Admission; false when the pod must wait (node unknown) or was rejected. */
  private admit(pod: Pod, state: RuntimePod): boolean {
    const uid = pod.metadata?.uid ?? '';
    if (this.rejected.has(uid)) return false;
    if (state.sandboxes.length > 0 || state.containers.length > 0) {
      // already running here (a kubelet restart): it was admitted before
      this.admitted.add(uid);
      return true;
    }
    const node = this.o.node();
    if (!node?.status?.allocatable && isStaticPod(pod)) {
      // static pods run without the API server: nothing to admit against yet
      this.admitted.add(uid);
      return true;
    }
    if (!node?.status?.allocatable) {
      // not registered, or its status not posted yet
      this.workers.enqueueAfter(uid, RETRY_MS);
      return false;
    }
    const others = [...this.admitted].map((u) => this.pod(u)).filter((p): p is Pod => !!p && !isTerminalPhase(p.status?.phase));
    const result = this.runAdmitHandlers(pod) ?? admitPod(pod, node, others);
    if (result.admit) {
      this.admitted.add(uid);
      return true;
    }
    this.rejected.add(uid);
    this.o.logger.info('pod rejected', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, reason: result.reason });
    this.o.recorder?.event(pod, 'Warning', result.reason, result.message);
    this.statuses.set(pod, {
      ...pod.status,
      phase: 'Failed',
      reason: result.reason,
      message: result.message,
      hostIP: this.o.nodeIP,
      hostIPs: [{ ip: this.o.nodeIP }],
    });
    return false;
  }

  /** The first rejection of the extra admit handlers, as "Pod was rejected: …". */
  private runAdmitHandlers(pod: Pod): AdmitResult | undefined {
    for (const handler of this.o.admitHandlers ?? []) {
      const result = handler(pod);
      if (!result.admit) return { ...result, message: `Pod was rejected: ${result.message}` };
    }
    return undefined;
  }

  /** A pod that reached Succeeded/Failed: its containers stop, its status stays. */
  private async finishTerminal(pod: Pod, state: RuntimePod): Promise<void> {
    if (runningContainers(state).length === 0 && !readySandbox(state)) return;
    await killPod(this.killDeps(), state, { pod, graceSeconds: gracePeriodSeconds(pod), remove: false });
    if (this.rejected.has(pod.metadata?.uid ?? '')) return;
    const after = await this.runtimePods.read(pod.metadata?.uid ?? '');
    this.statuses.set(pod, this.generate(pod, after, new Map()));
  }

  /** A pod with a deletionTimestamp: stop everything gracefully, then delete the API object. */
  private async terminate(pod: Pod, state: RuntimePod): Promise<void> {
    const id = podIdentity(pod);
    if (state.sandboxes.length > 0 || state.containers.length > 0) {
      this.o.recorder?.event(pod, 'Normal', 'Killing', 'Stopping pod');
      await killPod(this.killDeps(), state, { pod, graceSeconds: gracePeriodSeconds(pod), remove: false });
      // the final status (containers terminated) before the runtime forgets them
      const stopped = await this.runtimePods.read(id.uid);
      if (!this.statuses.isTerminal(pod)) this.statuses.set(pod, this.generate(pod, stopped, new Map()));
      await this.statuses.settled(id.uid);
      await killPod(this.killDeps(), stopped, { pod, graceSeconds: 0, remove: true });
    }
    this.admitted.delete(id.uid);
    try {
      await this.o.api.deletePod(id.namespace, id.name, id.uid);
    } catch (err) {
      if (!isNotFound(err)) {
        this.o.logger.warn('failed to delete pod', { pod: `${id.namespace}/${id.name}`, error: err as Error });
        this.workers.enqueueAfter(id.uid, RETRY_MS);
      }
    }
  }

  /** The API (or the file source, for a static pod) no longer has the pod: whatever the runtime
   *  has of it goes, and so does a static pod's mirror. */
  private async removeGonePod(uid: string, state: RuntimePod): Promise<void> {
    const last = this.gone.get(uid);
    if (last && isStaticPod(last)) {
      this.mirrors.deleteFor(last).catch((err: unknown) => this.o.logger.warn('failed to delete mirror pod', { pod: podFullName(last), error: err as Error }));
    }
    if (state.sandboxes.length > 0 || state.containers.length > 0) {
      const annotated = Number(state.sandboxes[0]?.annotations[ANNOTATION_GRACE_PERIOD]);
      const grace = last ? gracePeriodSeconds(last) : Number.isFinite(annotated) ? annotated : 30;
      this.o.logger.info('removing pod no longer in the API', { uid });
      await killPod(this.killDeps(), state, { ...(last ? { pod: last } : {}), graceSeconds: grace, remove: true });
    }
    this.messages.forget(state.containers.map((c) => c.id));
    this.gone.delete(uid);
    this.admitted.delete(uid);
    this.rejected.delete(uid);
    this.statuses.forget(uid);
    this.backoff.forget(`${uid}/`);
    this.syncer.forget(uid);
    this.workers.forget(uid);
    this.runtimePods.forget(uid);
  }

  private sourcesReady(): boolean {
    return this.o.sourcesReady?.() ?? true;
  }

  // --- static pods

  /** Keeps the static pod's mirror pod current, in the background: the pod never waits for the API. */
  private syncMirror(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    void this.mirrors.ensure(pod).then((state) => {
      if (!this.pods.has(uid)) return;
      if (state === 'created') this.statuses.repost(uid);
      // no Node yet, or no API server: look again soon ('refused' waits for the periodic resync)
      if (state === 'pending') this.workers.enqueueAfter(uid, RETRY_MS);
    });
  }

  /** A mirror pod changed or went away: its static pod's sync puts things right. */
  private syncStaticPodOf(mirror: Pod): void {
    const name = podFullName(mirror);
    for (const [uid, pod] of this.pods) if (isStaticPod(pod) && podFullName(pod) === name) this.workers.enqueue(uid);
  }

  /** Another instance of this static pod (an older manifest) is still being removed. */
  private previousInstanceStopping(pod: Pod): boolean {
    const name = podFullName(pod);
    for (const [uid, old] of this.gone) if (uid !== pod.metadata?.uid && isStaticPod(old) && podFullName(old) === name) return true;
    return false;
  }

  /** Where a pod's status is posted: a static pod's goes to its mirror pod (none: not yet). */
  private statusUid(uid: string): string | undefined {
    const pod = this.pods.get(uid) ?? this.gone.get(uid);
    return pod && isStaticPod(pod) ? this.mirrors.mirrorUid(pod) : uid;
  }

  private killDeps() {
    return { runtime: this.runtimePods.runtime, helpers: this.o.helpers, clock: this.o.clock, logger: this.o.logger.child('kill'), logRoot: this.o.logRoot };
  }
}
