// Creating and deleting a controller's pods (controller_utils.go RealPodControl and
// slowStartBatch): pods from the owner's template with generateName "<owner>-" and a controller
// reference, events in Kubernetes' words (SuccessfulCreate "Created pod: X", FailedCreate
// "Error creating: E", SuccessfulDelete "Deleted pod: X", FailedDelete "Error deleting: E"), and
// creates in slow-start batches of 1, 2, 4, … that stop at the first failing batch.

import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject, OwnerReference } from '../../api/object.js';
import { hasStatusCause, isNotFound } from '../../api/status-predicates.js';
import { messageOf } from '../../api/status.js';
import type { EventRecorder } from '../../client/events/index.js';
import type { ResourceClient } from '../../client/rest/index.js';

export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

/** controller.GetPodFromTemplate. */
export function podFromTemplate(template: PodTemplateSpec | undefined, owner: KubeObject, ref: OwnerReference): Pod {
  const name = owner.metadata?.name ?? '';
  const meta = template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${name}-`,
      namespace: owner.metadata?.namespace,
      labels: { ...meta.labels },
      ownerReferences: [ref],
    },
    spec: structuredClone(template?.spec ?? { containers: [] }),
  };
  if (meta.annotations) pod.metadata!.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata!.finalizers = [...meta.finalizers];
  return pod;
}

export class PodControl {
  constructor(
    private readonly pods: (namespace: string) => ResourceClient<Pod>,
    private readonly recorder: EventRecorder,
  ) {}

  async create(owner: KubeObject, pod: Pod): Promise<Pod> {
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.pods(owner.metadata?.namespace ?? '').create(pod);
      this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
      return created;
    } catch (err) {
      if (!hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${messageOf(err)}`);
      throw err;
    }
  }

  async delete(owner: KubeObject, name: string): Promise<void> {
    try {
      await this.pods(owner.metadata?.namespace ?? '').delete(name);
      this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    } catch (err) {
      if (isNotFound(err)) throw err;
      this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(err)}`);
      throw new Error(`unable to delete pods: ${messageOf(err)}`, { cause: err });
    }
  }
}

/**
 * Runs fn `count` times in batches of initialBatchSize, doubling, each batch in parallel; stops
 * after the first batch with a failure. Returns the successes and the first error.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    let error: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else error ??= r.reason;
    }
    if (error !== undefined) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}
