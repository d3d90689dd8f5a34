// The HPA's metrics client for Resource metrics: metrics.k8s.io/v1beta1 PodMetrics of the target's
// pods, read through the API server, summed over containers per pod in milli-units
// (GetResourceMetric), and the MetricStatus the HPA reports for a Resource metric.

import type { MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../../api/object.js';
import { parseTime } from '../../api/meta.js';
import { Quantity } from '../../api/quantity.js';
import { parseDuration } from '../../util/duration.js';
import type { RestClient, ResourceDescriptor } from '../../client/rest/index.js';
import type { PodMetric } from './replica-calculator.js';

export const POD_METRICS: ResourceDescriptor = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', namespaced: true, kind: 'PodMetrics' };

interface PodMetrics extends KubeObject {
  timestamp?: string;
  window?: string;
  containers?: Array<{ name: string; usage?: Record<string, string> }>;
}

/** Per pod name, the resource's usage summed over containers (milli-units). */
export async function fetchResourceMetrics(client: RestClient, namespace: string, selector: string, resource: string): Promise<Map<string, PodMetric>> {
  let items: PodMetrics[];
  try {
    items = (await client.resource<PodMetrics>(POD_METRICS).namespace(namespace).list({ labelSelector: selector })).items;
  } catch (err) {
    throw new Error(`unable to get metrics for resource ${resource}: unable to fetch metrics from resource metrics API: ${(err as Error).message}`);
  }
  if (items.length === 0) throw new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  const out = new Map<string, PodMetric>();
  for (const m of items) {
    let sum = 0;
    let found = false;
    for (const c of m.containers ?? []) {
      const v = c.usage?.[resource];
      if (v === undefined) continue;
      found = true;
      sum += Quantity.fromJSON(v).milliValue();
    }
    if (!found) continue;
    out.set(m.metadata?.name ?? '', { value: sum, timestampMs: parseTime(m.timestamp) ?? 0, windowMs: m.window ? safeDuration(m.window) : 0 });
  }
  return out;
}

function safeDuration(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    return 0;
  }
}

/** The MetricStatus of a Resource metric: utilization (when targeted) and the average value. */
export function resourceMetricStatus(name: string, rawAverageMilli: number, utilization: number | undefined): MetricStatus {
  const averageValue = Quantity.milli(rawAverageMilli).toString();
  return { type: 'Resource', resource: { name, current: utilization !== undefined ? { averageUtilization: utilization, averageValue } : { averageValue } } };
}
