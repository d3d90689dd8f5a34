// A pod as the runtime knows it: its sandboxes and containers (found by the pod-uid label), with
// full statuses, newest first. The runtime is the truth for what runs; every sync starts here.

import type { ContainerRuntime, ContainerStatus, PodSandboxStatus } from '../runtime/runtime.js';
import { isRuntimeNotFound } from '../runtime/errors.js';
import { LABEL_CONTAINER_NAME, LABEL_POD_UID } from './labels.js';

export interface RuntimePod {
  uid: string;
  /** Newest first. */
  sandboxes: PodSandboxStatus[];
  /** Every container of the pod, newest first, with the sandbox it belongs to. */
  containers: RuntimeContainer[];
}

export type RuntimeContainer = ContainerStatus & { podSandboxId?: string };

const newestFirst = <T extends { createdAt: number }>(a: T, b: T) => b.createdAt - a.createdAt;

export async function readRuntimePod(runtime: ContainerRuntime, uid: string): Promise<RuntimePod> {
  const selector = { [LABEL_POD_UID]: uid };
  const [sandboxList, containerList] = await Promise.all([
    runtime.listPodSandbox({ labelSelector: selector }),
    runtime.listContainers({ labelSelector: selector }),
  ]);
  const sandboxes = await statuses(sandboxList.map((s) => () => runtime.podSandboxStatus(s.id)));
  const sandboxOf = new Map(containerList.map((c) => [c.id, c.podSandboxId]));
  const containers = (await statuses(containerList.map((c) => () => runtime.containerStatus(c.id)))).map((c) => ({ ...c, podSandboxId: sandboxOf.get(c.id) }));
  sandboxes.sort((a, b) => newestFirst(a, b) || b.metadata.attempt - a.metadata.attempt);
  containers.sort((a, b) => newestFirst(a, b) || b.metadata.attempt - a.metadata.attempt);
  return { uid, sandboxes, containers };
}

/** Statuses of objects that may vanish between list and status (those are skipped). */
async function statuses<T>(calls: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const r of await Promise.allSettled(calls.map((c) => c()))) {
    if (r.status === 'fulfilled') out.push(r.value);
    else if (!isRuntimeNotFound(r.reason)) throw r.reason;
  }
  return out;
}

/** The instances of one container, newest first. */
export function instancesOf(pod: RuntimePod, name: string): RuntimeContainer[] {
  return pod.containers.filter((c) => (c.labels[LABEL_CONTAINER_NAME] ?? c.metadata.name) === name);
}

/** The newest sandbox, when it is ready. */
export function readySandbox(pod: RuntimePod): PodSandboxStatus | undefined {
  const s = pod.sandboxes[0];
  return s?.state === 'ready' ? s : undefined;
}

export function runningContainers(pod: RuntimePod): RuntimeContainer[] {
  return pod.containers.filter((c) => c.state === 'running' || c.state === 'created');
}
