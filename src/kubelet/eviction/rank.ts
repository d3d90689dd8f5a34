// Which pod the eviction manager evicts first (its rank functions): for memory, pods whose usage
// exceeds their requests, then lower priority, then the larger excess over requests; for disk the
// same with ephemeral storage; for pids, lower priority first. Pods without stats go first, as
// Kubernetes evicts them before those it can measure.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { podRequests } from '../admission.js';
import type { PodUsage } from './pod-stats.js';
import { resourceOf, type Signal } from './thresholds.js';

type Compare = (a: Pod, b: Pod) => number;

const priority: Compare = (a, b) => (a.spec?.priority ?? 0) - (b.spec?.priority ?? 0);

/** A pod's usage of memory or ephemeral storage (undefined without stats). */
export function podUsage(usage: PodUsage | undefined, resource: 'memory' | 'ephemeral-storage'): number | undefined {
  if (!usage) return undefined;
  return usage.containers.reduce((sum, c) => sum + (resource === 'memory' ? c.memoryBytes : (c.storageBytes ?? 0)), 0);
}

function byUsage(resource: 'memory' | 'ephemeral-storage', stats: (pod: Pod) => PodUsage | undefined): Compare[] {
  const used = (p: Pod) => podUsage(stats(p), resource);
  const excess = (p: Pod) => (used(p) ?? 0) - podRequests(p)[resource];
  const exceeds: Compare = (a, b) => {
    const ua = used(a);
    const ub = used(b);
    // pods without stats first
    if (ua === undefined || ub === undefined) return (ua === undefined ? 0 : 1) - (ub === undefined ? 0 : 1);
    return Number(excess(b) > 0) - Number(excess(a) > 0);
  };
  return [exceeds, priority, (a, b) => excess(b) - excess(a)];
}

/** The pods in the order to evict them for pressure on `signal`. */
export function rankForEviction(pods: readonly Pod[], signal: Signal, stats: (pod: Pod) => PodUsage | undefined): Pod[] {
  const resource = resourceOf(signal);
  const order: Compare[] = resource === 'memory' ? byUsage('memory', stats) : resource === 'pids' ? [priority] : byUsage('ephemeral-storage', stats);
  return [...pods].sort((a, b) => {
    for (const cmp of order) {
      const r = cmp(a, b);
      if (r !== 0) return r;
    }
    return 0;
  });
}
