// podFailurePolicy (batch/v1): the first rule that matches a failed pod decides what its failure
// means — FailJob ends the Job, Ignore does not count it against backoffLimit, Count counts it —
// matching container exit codes (In / NotIn, optionally for one container; 0 never matches) or pod
// conditions (e.g. DisruptionTarget=True), in Kubernetes' words for the Job's failure message.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodFailurePolicy } from 'kubernetes-types/batch/v1.js';

export type FailureAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface FailureMatch {
  action: FailureAction;
  /** For FailJob: the Job's failure message. */
  message: string;
}

/** The action of the first matching rule, or undefined when none matches (the failure counts). */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): FailureMatch | undefined {
  const rules = policy?.rules ?? [];
  const podName = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const action = rule.action as FailureAction;
    if (rule.onExitCodes) {
      const { containerName, operator, values } = rule.onExitCodes;
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      for (const s of statuses) {
        if (containerName && s.name !== containerName) continue;
        const code = s.state?.terminated?.exitCode;
        if (code === undefined || code === 0) continue;
        const inValues = values.includes(code);
        if ((operator === 'In' && inValues) || (operator === 'NotIn' && !inValues)) {
          return { action, message: `Container ${s.name} for pod ${podName} failed with exit code ${code} matching ${action} rule at index ${i}` };
        }
      }
    }
    for (const pattern of rule.onPodConditions ?? []) {
      const status = pattern.status ?? 'True';
      if ((pod.status?.conditions ?? []).some((c) => c.type === pattern.type && c.status === status)) {
        return { action, message: `Pod ${podName} has condition ${pattern.type} matching ${action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}
