// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics (kubectl top), computed on each request from
// every node's kubelet /stats/summary as metrics-server would: CPU as the current rate in
// nanocores, memory as the working set. Nodes whose kubelet cannot be reached are left out.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { IncomingMessage } from 'node:http';
import { parseSelector } from '../../api/labels/index.js';
import type { StatsSummary } from '../../api/stats-summary.js';
import { newBadRequest, newNotFound } from '../../api/status-errors.js';
import type { ResourceDefinition } from '../registry/resource.js';
import type { KubeletProxyContext } from './context.js';
import { kubeletLocation, kubeletRequest } from './kubelet-client.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;
const SUMMARY_TIMEOUT_MS = 10_000;
const WINDOW = '10s';

/** The two served resources, for discovery (their requests are answered here, not by a store). */
export function metricsResources(): ResourceDefinition[] {
  const base = { group: METRICS_GROUP, version: METRICS_VERSION, verbs: ['get', 'list'] as ResourceDefinition['verbs'], strategy: {} };
  return [
    { ...base, kind: 'NodeMetrics', resource: 'nodes', singular: '', namespaced: false },
    { ...base, kind: 'PodMetrics', resource: 'pods', singular: '', namespaced: true },
  ];
}

async function fetchSummary(ctx: KubeletProxyContext, node: Node): Promise<StatsSummary | undefined> {
  try {
    const upstream = kubeletRequest(ctx.kubelet, kubeletLocation(node), { method: 'GET', path: '/stats/summary', timeout: SUMMARY_TIMEOUT_MS });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve);
      upstream.once('timeout', () => upstream.destroy(new Error('timed out')));
      upstream.once('error', reject);
      upstream.end();
    });
    const chunks: Buffer[] = [];
    for await (const c of response) chunks.push(c as Buffer);
    if (response.statusCode !== 200) return undefined;
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as StatsSummary;
  } catch {
    return undefined;
  }
}

const cpu = (nanoCores: number | undefined) => `${Math.round(nanoCores ?? 0)}n`;
const memory = (bytes: number | undefined) => `${Math.round((bytes ?? 0) / 1024)}Ki`;

function selector(query: URLSearchParams): (labels: Record<string, string> | undefined) => boolean {
  const text = query.get('labelSelector') ?? '';
  if (!text.trim()) return () => true;
  try {
    const s = parseSelector(text);
    return (labels) => s.matches(labels ?? {});
  } catch (err) {
    throw newBadRequest((err as Error).message);
  }
}

function nodeMetrics(node: Node, summary: StatsSummary): object {
  return {
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: { name: node.metadata?.name, creationTimestamp: summary.node.cpu?.time, labels: node.metadata?.labels ?? {} },
    timestamp: summary.node.cpu?.time ?? summary.node.memory?.time,
    window: WINDOW,
    usage: { cpu: cpu(summary.node.cpu?.usageNanoCores), memory: memory(summary.node.memory?.workingSetBytes) },
  };
}

/** Answers GET /apis/metrics.k8s.io/v1beta1/{nodes,pods}[...]; undefined-free: throws Status errors. */
export async function serveMetrics(
  ctx: KubeletProxyContext,
  resource: string,
  namespace: string | undefined,
  name: string | undefined,
  query: URLSearchParams,
): Promise<object> {
  const matches = selector(query);
  if (resource === 'nodes') {
    const nodes = name ? [await ctx.getNode(name)] : (await ctx.listNodes()).filter((n) => matches(n.metadata?.labels));
    const summaries = await Promise.all(nodes.map((n) => fetchSummary(ctx, n)));
    const items = nodes.flatMap((n, i) => (summaries[i] ? [nodeMetrics(n, summaries[i]!)] : []));
    if (name) {
      if (items.length === 0) throw newNotFound({ group: METRICS_GROUP, resource: 'nodes' }, name);
      return items[0]!;
    }
    return { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items };
  }
  if (resource !== 'pods') throw newNotFound({ group: METRICS_GROUP, resource }, name ?? '');
  const pods: Pod[] = name ? [await ctx.getPod(namespace!, name)] : (await ctx.listPods(namespace)).filter((p) => matches(p.metadata?.labels));
  const wanted = new Map(pods.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]));
  const nodes = new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => !!n));
  const allNodes = (await ctx.listNodes()).filter((n) => nodes.has(n.metadata?.name ?? ''));
  const summaries = await Promise.all(allNodes.map((n) => fetchSummary(ctx, n)));
  const items: object[] = [];
  for (const summary of summaries) {
    for (const ps of summary?.pods ?? []) {
      const pod = wanted.get(`${ps.podRef.namespace}/${ps.podRef.name}`);
      if (!pod || ps.containers.length === 0) continue;
      items.push({
        kind: 'PodMetrics',
        apiVersion: API_VERSION,
        metadata: { name: ps.podRef.name, namespace: ps.podRef.namespace, creationTimestamp: ps.cpu?.time, labels: pod.metadata?.labels ?? {} },
        timestamp: ps.cpu?.time ?? ps.containers[0]?.cpu?.time,
        window: WINDOW,
        containers: ps.containers.map((c) => ({ name: c.name, usage: { cpu: cpu(c.cpu?.usageNanoCores), memory: memory(c.memory?.workingSetBytes) } })),
      });
    }
  }
  if (name) {
    if (items.length === 0) throw newNotFound({ group: METRICS_GROUP, resource: 'pods' }, name);
    return items[0]!;
  }
  return { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items };
}
