// From a pods/log, exec, attach or portforward request to the kubelet URL that serves it: the pod
// must be bound to a node (400 otherwise, as kube-apiserver says), the container is resolved
// (default-container.ts), and the query keeps only what the kubelet understands.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { newBadRequest } from '../../api/status-errors.js';
import type { KubeletProxyContext } from './context.js';
import { resolveContainer } from './default-container.js';
import { kubeletLocation, type KubeletLocation } from './kubelet-client.js';

export type PodSubresource = 'log' | 'exec' | 'attach' | 'portforward';

const FORWARDED: Record<PodSubresource, string[]> = {
  log: ['follow', 'previous', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'limitBytes'],
  exec: ['command', 'stdin', 'stdout', 'stderr', 'tty'],
  attach: ['stdin', 'stdout', 'stderr', 'tty'],
  portforward: ['ports'],
};

export interface KubeletTarget {
  location: KubeletLocation;
  /** Path and query on the kubelet. */
  path: string;
}

const seg = encodeURIComponent;

export async function podTarget(ctx: KubeletProxyContext, sub: PodSubresource, namespace: string, name: string, query: URLSearchParams): Promise<KubeletTarget> {
  const pod: Pod = await ctx.getPod(namespace, name);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw newBadRequest(`pod ${name} does not have a host assigned`);
  const node = await ctx.getNode(nodeName);
  const out = new URLSearchParams();
  for (const key of FORWARDED[sub]) for (const v of query.getAll(key)) out.append(key, v);
  const qs = out.size > 0 ? `?${out}` : '';
  if (sub === 'portforward') return { location: kubeletLocation(node), path: `/portForward/${seg(namespace)}/${seg(name)}${qs}` };
  const container = resolveContainer(pod, query.get('container'));
  if (sub === 'exec' && query.getAll('command').length === 0) throw newBadRequest('you must specify at least 1 command');
  const root = sub === 'log' ? 'containerLogs' : sub;
  return { location: kubeletLocation(node), path: `/${root}/${seg(namespace)}/${seg(name)}/${seg(container)}${qs}` };
}
