// The downward API's pod fields (fieldRef), shared by environment variables and downwardAPI volume
// files: metadata.name/namespace/uid, metadata.labels/annotations (whole, as sorted k="v" lines, or
// one ['key']), spec.nodeName, spec.serviceAccountName, status.hostIP(s) and status.podIP(s) — as
// the kubelet's podFieldSelectorRuntimeValue and fieldpath.ExtractFieldPathAsString answer them.

import type { ObjectFieldSelector, Pod } from 'kubernetes-types/core/v1.js';
import { ContainerConfigError } from './errors.js';

/** The addresses the kubelet knows that may not be in pod.status yet. */
export interface PodAddresses {
  /** The pod's IPs, primary first (default pod.status.podIPs / podIP). */
  podIPs?: readonly string[];
  /** The node's IPs, primary first (default pod.status.hostIPs / hostIP). */
  hostIPs?: readonly string[];
}

const SUPPORTED = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** Splits `metadata.labels['key']` into path and subscript. */
export function splitSubscriptedPath(fieldPath: string): { path: string; subscript?: string } {
  if (!fieldPath.endsWith("']")) return { path: fieldPath };
  const open = fieldPath.indexOf("['");
  if (open < 0) return { path: fieldPath };
  return { path: fieldPath.slice(0, open), subscript: fieldPath.slice(open + 2, -2) };
}

/** Go's FormatMap: sorted `key="value"` lines (values quoted as %q does). */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify((m ?? {})[k])}`)
    .join('\n');
}

function podIPsOf(pod: Pod, addresses: PodAddresses): string[] {
  if (addresses.podIPs) return [...addresses.podIPs];
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips;
}

function hostIPsOf(pod: Pod, addresses: PodAddresses): string[] {
  if (addresses.hostIPs) return [...addresses.hostIPs];
  const ips = (pod.status?.hostIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && pod.status?.hostIP) ips.push(pod.status.hostIP);
  return ips;
}

/** The value of a fieldRef for pod; throws ContainerConfigError for an unsupported path. */
export function podFieldValue(selector: ObjectFieldSelector, pod: Pod, addresses: PodAddresses = {}): string {
  const fieldPath = selector.fieldPath;
  if (selector.apiVersion && selector.apiVersion !== 'v1') {
    throw new ContainerConfigError(`unsupported pod version: ${selector.apiVersion}`);
  }
  const { path, subscript } = splitSubscriptedPath(fieldPath);
  if (subscript !== undefined) {
    if (path === 'metadata.annotations') return pod.metadata?.annotations?.[subscript] ?? '';
    if (path === 'metadata.labels') return pod.metadata?.labels?.[subscript] ?? '';
    throw new ContainerConfigError(`field label not supported: ${fieldPath}`);
  }
  if (!SUPPORTED.has(fieldPath)) throw new ContainerConfigError(`field label not supported: ${fieldPath}`);
  const podIPs = podIPsOf(pod, addresses);
  switch (fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs': {
      const hostIPs = hostIPsOf(pod, addresses);
      if (hostIPs.length === 0) throw new ContainerConfigError('host IP unknown; known addresses: []');
      return fieldPath === 'status.hostIP' ? hostIPs[0] : hostIPs.join(',');
    }
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
    case 'metadata.annotations':
      return formatMap(pod.metadata?.annotations);
    case 'metadata.labels':
      return formatMap(pod.metadata?.labels);
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}
