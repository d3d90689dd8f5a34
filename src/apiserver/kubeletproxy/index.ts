// The API server's proxies to kubelets: pods/log, pods/exec, pods/attach, pods/portforward,
// nodes/proxy, and the metrics.k8s.io resources computed from kubelet stats. The server calls
// handle() for ordinary resource requests and upgradeTarget() for upgrade requests.

import { newBadRequest, newMethodNotSupported } from '../../api/status-errors.js';
import type { ApiRequest, ApiResponse } from '../endpoints/http.js';
import { writeJson } from '../endpoints/http.js';
import type { RequestInfo } from '../endpoints/request-info.js';
import type { KubeletProxyContext } from './context.js';
import { METRICS_GROUP, METRICS_VERSION, serveMetrics } from './metrics-api.js';
import { nodeProxyTarget, serveNodeProxy } from './node-proxy.js';
import { servePodLog } from './pod-log.js';
import { podTarget, type KubeletTarget } from './pod-target.js';

export type { KubeletProxyContext } from './context.js';
export type { KubeletClientConfig } from './kubelet-client.js';
export { metricsResources } from './metrics-api.js';
export { proxyUpgrade, writeSocketResponse } from './upgrade-proxy.js';

const STREAMING = new Set(['exec', 'attach', 'portforward']);

const isNodeProxy = (info: RequestInfo) =>
  info.apiGroup === '' && info.resource === 'nodes' && !!info.name && (info.subresource === 'proxy' || !!info.subresource?.startsWith('proxy/'));

export class KubeletProxies {
  constructor(readonly ctx: KubeletProxyContext) {}

  /** Serves the request when it is one of ours; false when it is not. */
  async handle(req: ApiRequest, res: ApiResponse, info: RequestInfo, query: URLSearchParams, rawPath: string): Promise<boolean> {
    if (info.apiGroup === METRICS_GROUP && info.apiVersion === METRICS_VERSION) {
      if (info.verb !== 'get' && info.verb !== 'list') throw newMethodNotSupported({ group: METRICS_GROUP, resource: info.resource ?? '' }, info.verb);
      writeJson(res, 200, await serveMetrics(this.ctx, info.resource ?? '', info.namespace, info.name, query));
      return true;
    }
    if (isNodeProxy(info)) {
      await serveNodeProxy(this.ctx, req, res, info.name!, rawPath, query);
      return true;
    }
    if (info.apiGroup !== '' || info.resource !== 'pods' || !info.namespace || !info.name) return false;
    if (info.subresource === 'log') {
      if (info.verb !== 'get') throw newMethodNotSupported({ group: '', resource: 'pods/log' }, info.verb);
      await servePodLog(this.ctx, res, info.namespace, info.name, query);
      return true;
    }
    if (info.subresource && STREAMING.has(info.subresource)) throw newBadRequest('Upgrade request required');
    return false;
  }

  /** Where an upgrade request goes on the kubelet; undefined when the path takes no upgrades. */
  async upgradeTarget(info: RequestInfo, query: URLSearchParams, rawPath: string): Promise<KubeletTarget | undefined> {
    if (isNodeProxy(info)) return nodeProxyTarget(this.ctx, info.name!, rawPath, query);
    if (info.apiGroup !== '' || info.resource !== 'pods' || !info.namespace || !info.name) return undefined;
    const sub = info.subresource;
    if (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward') return undefined;
    return podTarget(this.ctx, sub, info.namespace, info.name, query);
  }
}
