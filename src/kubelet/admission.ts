// Pod admission on the node (the kubelet's predicate admit handler): the pod must fit the node's
// allocatable resources next to the pods already admitted (OutOfcpu, OutOfmemory,
// OutOfephemeral-storage, OutOfpods), match its nodeSelector and required node affinity
// (NodeAffinity), and tolerate its NoExecute taints (Taint). The kubelet, like Kubernetes', leaves
// NoSchedule taints to the scheduler. A rejected pod fails with "Pod was rejected: <message>".

import type { Container, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { podSpecMatchesNode } from '../api/node-selector.js';
import { Quantity } from '../api/quantity.js';

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

interface Requests {
  cpu: number;
  memory: number;
  'ephemeral-storage': number;
}

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;

function amount(resource: string, value: string | number | undefined): number {
  if (value === undefined) return 0;
  try {
    const q = Quantity.fromJSON(value);
    return resource === 'cpu' ? q.milliValue() : q.value();
  } catch {
    return 0;
  }
}

function containerRequests(c: Container): Requests {
  const req = (c.resources?.requests ?? {}) as Record<string, string | number>;
  const lim = (c.resources?.limits ?? {}) as Record<string, string | number>;
  // a limit without a request defaults the request to it
  const get = (r: string) => amount(r, req[r] ?? lim[r]);
  return { cpu: get('cpu'), memory: get('memory'), 'ephemeral-storage': get('ephemeral-storage') };
}

/** The pod's effective requests: max(sum of app containers, largest init container) + overhead. */
export function podRequests(pod: Pod): Requests {
  const total: Requests = { cpu: 0, memory: 0, 'ephemeral-storage': 0 };
  for (const c of pod.spec?.containers ?? []) {
    const r = containerRequests(c);
    for (const k of RESOURCES) total[k] += r[k];
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c);
    for (const k of RESOURCES) total[k] = Math.max(total[k], r[k]);
  }
  const overhead = (pod.spec?.overhead ?? {}) as Record<string, string | number>;
  for (const k of RESOURCES) total[k] += amount(k, overhead[k]);
  return total;
}

/** spec.nodeSelector and required node affinity (the scheduler's NodeAffinity filter, re-checked on admission). */
export function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  return podSpecMatchesNode(pod.spec, node);
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key === undefined || t.key === '') return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

function untoleratedNoExecute(pod: Pod, node: Node): Taint | undefined {
  return (node.spec?.taints ?? []).find((taint) => taint.effect === 'NoExecute' && !(pod.spec?.tolerations ?? []).some((t) => tolerates(t, taint)));
}

function allocatable(node: Node, resource: string): number {
  return amount(resource, (node.status?.allocatable as Record<string, string> | undefined)?.[resource]);
}

/** Decides whether the node admits `pod` beside the already admitted, still active `others`. */
export function admitPod(pod: Pod, node: Node, others: readonly Pod[]): AdmitResult {
  const maxPods = allocatable(node, 'pods');
  if (maxPods > 0 && others.length + 1 > maxPods) {
    return reject('OutOfpods', `Node didn't have enough resource: pods, requested: 1, used: ${others.length}, capacity: ${maxPods}`);
  }
  const wanted = podRequests(pod);
  const used: Requests = { cpu: 0, memory: 0, 'ephemeral-storage': 0 };
  for (const p of others) {
    const r = podRequests(p);
    for (const k of RESOURCES) used[k] += r[k];
  }
  for (const k of RESOURCES) {
    if (wanted[k] === 0) continue;
    const capacity = allocatable(node, k);
    if (used[k] + wanted[k] > capacity) {
      return reject(`OutOf${k}`, `Node didn't have enough resource: ${k}, requested: ${wanted[k]}, used: ${used[k]}, capacity: ${capacity}`);
    }
  }
  if (!matchesNodeAffinity(pod, node)) return reject('NodeAffinity', 'Predicate NodeAffinity failed');
  if (untoleratedNoExecute(pod, node)) return reject('Taint', 'Predicate TaintToleration failed');
  return { admit: true };
}

function reject(reason: string, message: string): AdmitResult {
  return { admit: false, reason, message: `Pod was rejected: ${message}` };
}
