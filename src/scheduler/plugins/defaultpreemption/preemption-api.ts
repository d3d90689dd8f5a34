// How preemption acts on the cluster: a victim is marked with the DisruptionTarget condition
// (reason PreemptionByScheduler) and deleted, with a uid precondition so a recreated pod of the
// same name is never hit; a lower-priority pod nominated to the chosen node loses its nomination.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatTime } from '../../../api/meta.js';
import { isNotFound } from '../../../api/status-predicates.js';
import { resources, type RestClient } from '../../../client/rest/index.js';

export interface PreemptionApi {
  evict(victim: Pod, schedulerName: string): Promise<void>;
  clearNomination(pod: Pod): Promise<void>;
}

export function restPreemptionApi(client: RestClient, now: () => number): PreemptionApi {
  const pods = client.resource<Pod>(resources.PODS);
  const ignoreGone = (err: unknown) => {
    if (!isNotFound(err)) throw err;
  };
  return {
    async evict(victim, schedulerName) {
      const ns = pods.namespace(victim.metadata?.namespace ?? 'default');
      const name = victim.metadata?.name ?? '';
      const condition = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'PreemptionByScheduler',
        message: `${schedulerName}: preempting to accommodate a higher priority pod`,
        lastTransitionTime: formatTime(now()),
      };
      await ns.patch(name, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' }).catch(ignoreGone);
      await ns.delete(name, { preconditions: { uid: victim.metadata?.uid ?? '' } }).catch(ignoreGone);
    },
    async clearNomination(pod) {
      await pods
        .namespace(pod.metadata?.namespace ?? 'default')
        .patch(pod.metadata?.name ?? '', 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' })
        .catch(ignoreGone);
    },
  };
}
