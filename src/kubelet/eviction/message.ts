// The eviction message (the eviction manager's evictionMessage): "The node was low on resource:
// memory. Threshold quantity: 100Mi, available: 51200Ki. Container c was using 20Mi, request is
// 0, has larger consumption of memory. ".

import type { Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';
import type { PodUsage } from './pod-stats.js';
import { resourceOf, thresholdAmount, type Observations, type Threshold } from './thresholds.js';

const binary = (n: number): string => Quantity.of(Math.max(0, Math.floor(n)), 'BinarySI').toString();

export function evictionMessage(pod: Pod, threshold: Threshold, observations: Observations, usage: PodUsage | undefined): string {
  const resource = resourceOf(threshold.signal);
  let message = `The node was low on resource: ${resource}. `;
  const observed = observations[threshold.signal];
  if (observed) message += `Threshold quantity: ${binary(thresholdAmount(threshold.value, observed.capacity))}, available: ${binary(observed.available)}. `;
  if (resource !== 'memory' && resource !== 'ephemeral-storage') return message;
  for (const c of usage?.containers ?? []) {
    const container = pod.spec?.containers.find((x) => x.name === c.name);
    if (!container) continue;
    const requested = (container.resources?.requests as Record<string, string | number> | undefined)?.[resource];
    const request = requested === undefined ? Quantity.of(0) : Quantity.fromJSON(requested);
    const used = resource === 'memory' ? c.memoryBytes : c.storageBytes;
    if (used === undefined || used <= request.value()) continue;
    message += `Container ${c.name} was using ${binary(used)}, request is ${request.toString()}, has larger consumption of ${resource}. `;
  }
  return message;
}
