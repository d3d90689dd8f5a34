// Mirror pods (Kubernetes' pkg/kubelet/pod/mirror_client.go and the pod manager's mirror index):
// the API objects that show this kubelet's static pods. The kubelet's API pod source hands the
// mirror pods it sees here instead of running them; `ensure` makes the API hold exactly one
// current mirror per static pod — same name and namespace, spec and labels of the static pod,
// kubernetes.io/config.mirror=<config hash>, owned by the Node (controller) — deleting one that is
// outdated (another hash) or being deleted and creating it again; `deleteOrphans` deletes the
// mirrors whose static pod is gone. Deletions are immediate (grace 0) with a uid precondition.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isBadRequest, isForbidden, isInvalid, isNotFound } from '../../api/status-predicates.js';
import type { Logger } from '../../util/log.js';
import { CONFIG_HASH_ANNOTATION, CONFIG_MIRROR_ANNOTATION, isMirrorPodOf, podFullName } from './pod-source-annotations.js';

export interface MirrorPodApi {
  createPod(pod: Pod): Promise<Pod>;
  /** Deletes the pod at once (gracePeriodSeconds 0) if it still has this uid. */
  deletePod(namespace: string, name: string, uid: string): Promise<void>;
}

/** What ensure() found: the mirror was already current, was (re)created now, cannot be yet (no
 *  Node, no API server), or was refused by the API server (invalid, forbidden: no quick retry). */
export type MirrorState = 'current' | 'created' | 'pending' | 'refused';

/** The mirror pod of a static pod, as the kubelet creates it. */
export function mirrorPodFor(pod: Pod, node: Node): Pod {
  const meta = pod.metadata ?? {};
  const hash = meta.annotations?.[CONFIG_HASH_ANNOTATION] ?? meta.uid ?? '';
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, ...rest } = meta;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...rest,
      annotations: { ...meta.annotations, [CONFIG_MIRROR_ANNOTATION]: hash },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata?.name ?? '', uid: node.metadata?.uid ?? '', controller: true }],
    },
    spec: structuredClone(pod.spec ?? { containers: [] }),
  };
}

export class MirrorPods {
  /** The mirror pods the API source reported, by pod full name. */
  private readonly mirrors = new Map<string, Pod>();
  /** ensure() runs in flight, one per full name, and the static pod each should sync next. */
  private readonly inFlight = new Map<string, Promise<MirrorState>>();
  private readonly wanted = new Map<string, Pod>();
  private deletingOrphans: Promise<void> | undefined;

  constructor(
    private readonly api: MirrorPodApi,
    /** The registered Node; mirrors wait for it (their owner). */
    private readonly node: () => Node | undefined,
    private readonly logger: Logger,
  ) {}

  /** The API source saw this mirror pod (added or updated); true if it is new or changed in a way sync must look at. */
  observed(pod: Pod): boolean {
    const name = podFullName(pod);
    const prev = this.mirrors.get(name);
    this.mirrors.set(name, pod);
    return (
      !prev ||
      prev.metadata?.uid !== pod.metadata?.uid ||
      prev.metadata?.deletionTimestamp !== pod.metadata?.deletionTimestamp ||
      prev.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== pod.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION]
    );
  }

  /** The API source saw this mirror pod deleted. */
  removed(pod: Pod): void {
    const name = podFullName(pod);
    if (this.mirrors.get(name)?.metadata?.uid === pod.metadata?.uid) this.mirrors.delete(name);
  }

  /** The mirror pod with this static pod's full name, if the API has one. */
  get(pod: Pod): Pod | undefined {
    return this.mirrors.get(podFullName(pod));
  }

  /** The UID of the static pod's current mirror (where its status goes), if there is one. */
  mirrorUid(pod: Pod): string | undefined {
    const mirror = this.get(pod);
    return mirror && isMirrorPodOf(mirror, pod) && !mirror.metadata?.deletionTimestamp ? mirror.metadata?.uid : undefined;
  }

  /** Makes the API hold a current mirror pod for this static pod; calls while one runs coalesce into one more. */
  ensure(pod: Pod): Promise<MirrorState> {
    const name = podFullName(pod);
    this.wanted.set(name, pod);
    const running = this.inFlight.get(name);
    if (running) return running;
    const run = (async () => {
      let state: MirrorState = 'current';
      let created = false;
      for (let next = this.wanted.get(name); next; next = this.wanted.get(name)) {
        this.wanted.delete(name);
        try {
          state = await this.sync(next);
        } catch (err) {
          this.logger.warn('failed to sync mirror pod', { pod: name, error: err as Error });
          state = 'pending';
        }
        created ||= state === 'created';
      }
      // a creation in any of the coalesced syncs is reported (the status goes to the new mirror)
      return created && state === 'current' ? 'created' : state;
    })().finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, run);
    return run;
  }

  /** Deletes the mirror pod of a static pod that is gone (if it still shows that pod). */
  async deleteFor(pod: Pod): Promise<void> {
    const mirror = this.get(pod);
    if (mirror && isMirrorPodOf(mirror, pod)) await this.delete(mirror);
  }

  /** Deletes every mirror pod whose static pod is not among `staticPods` (by full name); a call
   *  while one runs (a slow API server) does nothing. */
  deleteOrphans(staticPods: readonly Pod[]): Promise<void> {
    this.deletingOrphans ??= this.deleteOrphansOnce(new Set(staticPods.map(podFullName))).finally(() => {
      this.deletingOrphans = undefined;
    });
    return this.deletingOrphans;
  }

  private async deleteOrphansOnce(names: ReadonlySet<string>): Promise<void> {
    for (const [name, mirror] of [...this.mirrors]) {
      if (names.has(name) || this.inFlight.has(name)) continue;
      try {
        await this.delete(mirror);
      } catch (err) {
        this.logger.warn('failed to delete orphaned mirror pod', { pod: name, error: err as Error });
      }
    }
  }

  /** Resolves when no ensure() and no orphan deletion is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.deletingOrphans) await Promise.all([...this.inFlight.values(), this.deletingOrphans]);
  }

  private async sync(pod: Pod): Promise<MirrorState> {
    let mirror = this.get(pod);
    if (mirror && (mirror.metadata?.deletionTimestamp || !isMirrorPodOf(mirror, pod))) {
      this.logger.info('deleting outdated mirror pod', { pod: podFullName(pod) });
      await this.delete(mirror);
      mirror = undefined;
    }
    if (mirror) return 'current';
    const node = this.node();
    if (!node?.metadata?.uid) return 'pending';
    if (node.metadata.deletionTimestamp) return 'pending';
    try {
      const created = await this.api.createPod(mirrorPodFor(pod, node));
      this.mirrors.set(podFullName(pod), created);
      this.logger.info('created mirror pod', { pod: podFullName(pod), uid: created.metadata?.uid });
      return 'created';
    } catch (err) {
      // an older mirror the API source has not shown yet: it is deleted once seen
      if (isAlreadyExists(err)) return 'pending';
      if (isInvalid(err) || isForbidden(err) || isBadRequest(err)) {
        this.logger.warn('mirror pod refused by the API server', { pod: podFullName(pod), error: err as Error });
        return 'refused';
      }
      throw err;
    }
  }

  private async delete(mirror: Pod): Promise<void> {
    const name = podFullName(mirror);
    try {
      await this.api.deletePod(mirror.metadata?.namespace ?? '', mirror.metadata?.name ?? '', mirror.metadata?.uid ?? '');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (this.mirrors.get(name)?.metadata?.uid === mirror.metadata?.uid) this.mirrors.delete(name);
  }
}
