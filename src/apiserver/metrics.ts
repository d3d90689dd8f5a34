// The API server's Prometheus metrics with Kubernetes' names: apiserver_request_total and
// apiserver_request_duration_seconds by verb, group, version, resource, subresource, scope and
// code; served as text at /metrics. One registry per server (tests run several in one process).

import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestInfo } from './endpoints/request-info.js';

const LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

/** kube-apiserver's request duration buckets (seconds). */
const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly total: Counter<(typeof LABELS)[number] | 'code'>;
  private readonly duration: Histogram<(typeof LABELS)[number]>;

  constructor() {
    this.total = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: [...LABELS, 'code'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: [...LABELS],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Records one finished request. `served` says whether the request named a resource (and
   * subresource) the server serves: only then do its group, version and resource become label
   * values, so requests for made-up resources cannot grow the metrics without bound.
   */
  observe(method: string, info: RequestInfo | undefined, served: { resource: boolean; subresource: boolean }, dryRun: boolean, code: number, seconds: number): void {
    const labels = {
      verb: metricVerb(method, info),
      dry_run: dryRun ? 'All' : '',
      group: served.resource ? (info?.apiGroup ?? '') : '',
      version: served.resource ? (info?.apiVersion ?? '') : '',
      resource: served.resource ? (info?.resource ?? '') : '',
      subresource: served.resource && served.subresource ? (info?.subresource ?? '') : '',
      scope: !info?.isResourceRequest ? '' : info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster',
      component: 'apiserver',
    };
    this.total.inc({ ...labels, code: String(code) });
    if (labels.verb !== 'WATCH') this.duration.observe(labels, seconds);
  }

  async text(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT']);

/** kube-apiserver's verb label: the HTTP method, except LIST and WATCH for collection GETs; "other" for unknown methods. */
function metricVerb(method: string, info: RequestInfo | undefined): string {
  if (info?.isResourceRequest) {
    if (info.verb === 'list') return 'LIST';
    if (info.verb === 'watch') return 'WATCH';
  }
  const m = method.toUpperCase();
  return HTTP_METHODS.has(m) ? m : 'other';
}
