// DefaultPreemption (PostFilter), as kube-scheduler's: when a pod fits nowhere, find nodes where
// evicting pods of lower priority would let it fit (a dry run on clones of the node and the cycle
// state, over a sample of at least 100 nodes or 10 %, starting at a random offset), choose one
// (pickOneNodeForPreemption), evict its victims, clear lower-priority nominations there, and
// nominate the pod to the node: it is scheduled there once the victims are gone. A pod with
// preemptionPolicy Never, or one already waiting for its victims to terminate, does not preempt.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { fitErrorMessage } from '../../fit-error.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { Handle, PostFilterPlugin, PostFilterResult } from '../../framework/interfaces.js';
import { podName } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { pickOneNodeForPreemption } from './pick-node.js';
import { restPreemptionApi, type PreemptionApi } from './preemption-api.js';
import { podPriority, selectVictimsOnNode, type Victims } from './victims.js';

export const NAME = 'DefaultPreemption';
export const NOT_HELPFUL_REASON = 'Preemption is not helpful for scheduling';
const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

/** GetOffsetAndNumCandidates' count: 10 % of the nodes, at least 100, at most all of them. */
export function numCandidates(numNodes: number, percentage = MIN_CANDIDATE_NODES_PERCENTAGE, absolute = MIN_CANDIDATE_NODES_ABSOLUTE): number {
  let n = Math.trunc((numNodes * percentage) / 100);
  if (n < absolute) n = absolute;
  return Math.min(n, numNodes);
}

function terminatingByPreemption(pod: Pod): boolean {
  return !!pod.metadata?.deletionTimestamp && (pod.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.reason === 'PreemptionByScheduler' && c.status === 'True');
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = NAME;
  private readonly percentage: number;
  private readonly absolute: number;

  constructor(
    args: Record<string, unknown> | undefined,
    private readonly handle: Handle,
    private readonly api: PreemptionApi | undefined = handle.client ? restPreemptionApi(handle.client, () => handle.clock.now()) : undefined,
    private readonly random: () => number = Math.random,
  ) {
    this.percentage = typeof args?.['minCandidateNodesPercentage'] === 'number' ? args['minCandidateNodesPercentage'] : MIN_CANDIDATE_NODES_PERCENTAGE;
    this.absolute = typeof args?.['minCandidateNodesAbsolute'] === 'number' ? args['minCandidateNodesAbsolute'] : MIN_CANDIDATE_NODES_ABSOLUTE;
  }

  postFilter(state: CycleState, pod: Pod, statuses: Map<string, Status>): { result?: PostFilterResult; status: Status } {
    const out = this.preempt(state, pod, statuses);
    const msg = out.status.message();
    if (out.status.isSuccess() || !msg) return out;
    return { status: new Status(out.status.code, [`preemption: ${msg}`]) };
  }

  /** PodEligibleToPreemptOthers; the reason when not. */
  eligible(pod: Pod, statuses: Map<string, Status>): string | undefined {
    if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.status?.nominatedNodeName;
    if (!nominated) return undefined;
    // A nominated node the filters now rule out for good: preempting again is the way forward.
    if (statuses.get(nominated)?.code === Code.UnschedulableAndUnresolvable) return undefined;
    const node = this.handle.snapshot().get(nominated);
    const priority = podPriority(pod);
    if (node?.pods.some((pi) => podPriority(pi.pod) < priority && terminatingByPreemption(pi.pod))) {
      return 'not eligible due to a terminating pod on the nominated node.';
    }
    return undefined;
  }

  private preempt(state: CycleState, pod: Pod, statuses: Map<string, Status>): { result?: PostFilterResult; status: Status } {
    const fwk = this.handle.framework;
    if (!fwk) return { status: Status.error('DefaultPreemption needs the framework handle') };
    const notEligible = this.eligible(pod, statuses);
    if (notEligible) return { status: Status.unschedulable(notEligible) };

    const all = this.handle.snapshot().list();
    const nodeToStatus = new Map<string, Status>();
    const potential = all.filter((n) => {
      const s = statuses.get(n.name);
      const helps = s !== undefined && s.code === Code.Unschedulable;
      if (!helps) nodeToStatus.set(n.name, Status.unresolvable(NOT_HELPFUL_REASON));
      return helps;
    });
    const noCandidates = () => ({ status: Status.unschedulable(fitErrorMessage(all.length, { nodeToStatus, unschedulablePlugins: new Set() })) });
    if (potential.length === 0) return noCandidates();

    const pdbs = this.handle.podDisruptionBudgets?.() ?? [];
    const now = this.handle.clock.now();
    const want = numCandidates(potential.length, this.percentage, this.absolute);
    const offset = Math.floor(this.random() * potential.length);
    const candidates = new Map<string, Victims>();
    let nonViolating = 0;
    for (let i = 0; i < potential.length; i++) {
      const nodeInfo = potential[(offset + i) % potential.length]!;
      const { victims, status } = selectVictimsOnNode(fwk, state.clone(), pod, nodeInfo.clone(), pdbs, now);
      if (victims) {
        candidates.set(nodeInfo.name, victims);
        if (victims.numPdbViolations === 0) nonViolating++;
        if (nonViolating > 0 && candidates.size >= want) break;
      } else if (status.code === Code.Error) {
        return { status };
      } else nodeToStatus.set(nodeInfo.name, status);
    }
    const chosen = pickOneNodeForPreemption(candidates, now);
    if (chosen === undefined) return noCandidates();
    this.prepareCandidate(pod, chosen, candidates.get(chosen)!);
    return { result: { nominatedNodeName: chosen }, status: Status.success() };
  }

  /** Evicts the victims and takes the node's lower-priority nominations away (asynchronously). */
  private prepareCandidate(pod: Pod, nodeName: string, victims: Victims): void {
    const log = this.handle.logger;
    const schedulerName = this.handle.framework?.schedulerName ?? 'default-scheduler';
    for (const victim of victims.pods) {
      this.api?.evict(victim, schedulerName).catch((err: unknown) => log.warn('evicting a preemption victim failed', { pod: podName(victim), err: String(err) }));
      this.handle.recorder?.event({ ...victim, apiVersion: 'v1', kind: 'Pod' }, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata?.uid ?? ''} on node ${nodeName}`);
    }
    const priority = podPriority(pod);
    for (const nominated of this.handle.nominatedPodsForNode?.(nodeName) ?? []) {
      if (nominated.metadata?.uid === pod.metadata?.uid || podPriority(nominated) >= priority) continue;
      this.api?.clearNomination(nominated).catch((err: unknown) => log.warn('clearing a nomination failed', { pod: podName(nominated), err: String(err) }));
    }
    log.info('preempting', { pod: podName(pod), node: nodeName, victims: victims.pods.map(podName).join(',') });
  }
}

export function newDefaultPreemption(args: Record<string, unknown> | undefined, handle: Handle): DefaultPreemption {
  return new DefaultPreemption(args, handle);
}
