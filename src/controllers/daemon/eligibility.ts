// Which nodes a DaemonSet's pod belongs on (pkg/controller/daemon NodeShouldRunDaemonPod and
// pkg/controller/daemon/util): the template, with the tolerations every daemon pod gets, must
// match the node's labels (nodeSelector, required node affinity) and tolerate its taints. An
// untolerated NoSchedule taint stops new pods but leaves a running one (shouldContinueRunning);
// an untolerated NoExecute taint, or a mismatch, removes it. Created pods are pinned to their node
// by a required node affinity on metadata.name, as Kubernetes does, so the scheduler places them.

import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { podSpecMatchesNode } from '../../api/node-selector.js';
import { findUntoleratedTaint } from '../../api/taints.js';

const exists = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({ key, operator: 'Exists', effect });

/** AddOrUpdateDaemonPodTolerations: the tolerations the controller adds to every daemon pod. */
export function daemonTolerations(spec: PodSpec | undefined): Toleration[] {
  const extra = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(spec?.hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
  // AddOrUpdateTolerationInPodSpec: a toleration of the same key, operator and effect is replaced.
  const same = (a: Toleration, b: Toleration) => a.key === b.key && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.effect ?? '') === (b.effect ?? '');
  const own = (spec?.tolerations ?? []).filter((t) => !extra.some((e) => same(e, t)));
  return [...own, ...extra];
}

/** The pod spec with the daemon tolerations, as the controller creates it. */
export function daemonPodSpec(ds: DaemonSet): PodSpec {
  const spec = structuredClone(ds.spec?.template?.spec ?? { containers: [] });
  spec.tolerations = daemonTolerations(spec);
  return spec;
}

export interface NodeDecision {
  /** A daemon pod should be created here if there is none. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

/** NodeShouldRunDaemonPod. */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeDecision {
  const spec = daemonPodSpec(ds);
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== node.metadata?.name) return no;
  if (!podSpecMatchesNode(spec, node)) return no;
  const taints = node.spec?.taints;
  if (findUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoExecute')) return no;
  const blocked = findUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoSchedule');
  return { shouldRun: !blocked, shouldContinueRunning: true };
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes metadata.name In [node]. */
export function pinToNode(spec: PodSpec, nodeName: string): PodSpec {
  const affinity = { ...spec.affinity };
  affinity.nodeAffinity = {
    ...affinity.nodeAffinity,
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
  };
  return { ...spec, affinity };
}

/** GetTargetNodeName: the node a daemon pod is on, or is pinned to while unscheduled. */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
