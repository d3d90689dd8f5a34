// pods/eviction: a delete that respects PodDisruptionBudgets, as kube-apiserver's EvictionREST:
// a pod covered by a budget that allows no disruption is refused with 429; otherwise the budget's
// disruptionsAllowed is decremented (recording the pod in disruptedPods) and the pod deleted.

import type { KubeObject } from '../../api/object.js';
import { labelSelectorMatches, type LabelSelector } from '../../api/labels/index.js';
import { failureStatus, StatusError } from '../../api/status.js';
import { newInternalError } from '../../api/status-errors.js';
import type { DeleteOptions, RestStore } from '../registry/rest-store.js';
import { decodeNamedBody } from './decode.js';
import { readBody, writeJson, type ApiRequest, type ApiResponse } from './http.js';

interface Pod extends KubeObject {
  status?: { phase?: string };
}

interface Budget extends KubeObject {
  spec?: { selector?: LabelSelector };
  status?: {
    observedGeneration?: number;
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    disruptedPods?: Record<string, string>;
  };
}

interface Eviction {
  metadata?: { name?: string };
  deleteOptions?: { gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } };
}

export async function handleEviction(
  req: ApiRequest,
  res: ApiResponse,
  pods: RestStore<KubeObject>,
  budgets: RestStore<KubeObject> | undefined,
  namespace: string | undefined,
  name: string,
  now: () => string,
  dryRun: boolean,
): Promise<void> {
  const eviction = decodeNamedBody<Eviction>(await readBody(req), req.headers['content-type'], name, { group: 'policy', version: 'v1', kind: 'Eviction' });
  const pod = (await pods.get(namespace, name)) as Pod;
  const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || pod.status?.phase === 'Pending';
  if (!terminal && budgets && !pod.metadata?.deletionTimestamp) {
    const { items } = await budgets.list(namespace);
    const matching = (items as Budget[]).filter((b) => b.spec?.selector && labelSelectorMatches(b.spec.selector, pod.metadata?.labels ?? {}));
    if (matching.length > 1) {
      throw newInternalError(new Error('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'));
    }
    const budget = matching[0];
    if (budget) {
      const budgetName = budget.metadata?.name as string;
      await budgets.update(
        namespace,
        budgetName,
        (current) => {
          const b = structuredClone(current) as Budget;
          const status = b.status ?? {};
          if ((status.disruptionsAllowed ?? 0) <= 0 || (status.observedGeneration ?? 0) < (b.metadata?.generation ?? 0)) {
            throw new StatusError(
              failureStatus(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
                causes: [
                  {
                    reason: 'DisruptionBudget',
                    message: `The disruption budget ${budgetName} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
                  },
                ],
              }),
            );
          }
          b.status = {
            ...status,
            disruptionsAllowed: (status.disruptionsAllowed ?? 0) - 1,
            disruptedPods: { ...status.disruptedPods, [name]: now() },
          };
          return b;
        },
        { dryRun, subresource: { prepareForUpdate: () => {} }, subresourceName: 'status' },
      );
    }
  }
  const options: DeleteOptions = { dryRun };
  if (eviction.deleteOptions?.gracePeriodSeconds !== undefined) options.gracePeriodSeconds = eviction.deleteOptions.gracePeriodSeconds;
  if (eviction.deleteOptions?.preconditions) options.preconditions = eviction.deleteOptions.preconditions;
  await pods.delete(namespace, name, options);
  writeJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
