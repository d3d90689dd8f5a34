// Empties a terminating namespace (namespace/deletion/namespaced_resources_deleter.go): every
// namespaced resource that supports delete — found through discovery, custom resources included —
// is deleted (deletecollection when served, else one by one, Background propagation), then listed
// again. What is left is counted by resource and by finalizer into the namespace's conditions.
// Once nothing is left, the "kubernetes" finalizer is removed through namespaces/NAME/finalize and
// the API server lets the namespace go. Content that is still going away (pods in their grace
// period, objects held by finalizers) makes the pass return an estimate to look again after.

import type { Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { formatTime, parseTime } from '../../api/meta.js';
import type { KubeObject } from '../../api/object.js';
import { messageOf } from '../../api/status.js';
import { isConflict, isMethodNotSupported, isNotFound } from '../../api/status-predicates.js';
import { discoverResources, type DiscoveredResource } from '../../client/discovery/index.js';
import { resources, type RestClient } from '../../client/rest/index.js';
import type { Clock } from '../../util/clock.js';
import { emptyProblems, updateConditions, type DeletionProblems } from './conditions.js';

export const FINALIZER_KUBERNETES = 'kubernetes';
/** How long to wait for objects held by finalizers before looking again (finalizerEstimateSeconds). */
const FINALIZER_ESTIMATE_SECONDS = 5;

export type DeletionOutcome =
  | { done: true }
  /** Content remains: look again after about this many seconds. */
  | { done: false; estimateSeconds: number };

export class NamespacedResourcesDeleter {
  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
  ) {}

  /** One pass over a namespace. Throws when something failed (the caller retries with backoff). */
  async delete(name: string): Promise<DeletionOutcome> {
    const namespaces = this.client.resource<Namespace>(resources.NAMESPACES);
    let ns: Namespace;
    try {
      ns = await namespaces.get(name);
    } catch (err) {
      if (isNotFound(err)) return { done: true };
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return { done: true };
    if (ns.status?.phase !== 'Terminating') ns = await namespaces.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating' } });
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return { done: true };

    const { estimateSeconds, errors } = await this.deleteAllContent(ns);
    if (errors.length > 0) throw new Error(errors.join('; '));
    if (estimateSeconds > 0) return { done: false, estimateSeconds };
    await this.finalize(name);
    return { done: true };
  }

  private async deleteAllContent(ns: Namespace): Promise<{ estimateSeconds: number; errors: string[] }> {
    const name = ns.metadata?.name ?? '';
    const problems = emptyProblems();
    const errors: string[] = [];
    const discovered = await discoverResources(this.client);
    for (const [gv, why] of discovered.failed) problems.discoveryFailures.push(`${gv}: ${why}`);
    if (discovered.failed.size > 0) errors.push(`discovery failed for ${[...discovered.failed.keys()].join(', ')}`);
    const deletable = discovered.resources.filter((r) => r.preferred && r.namespaced && r.verbs.includes('delete'));
    const deletedAt = parseTime(ns.metadata?.deletionTimestamp ?? '') ?? this.clock.now();
    let estimate = 0;
    for (const r of deletable) {
      try {
        const left = await this.deleteAllOf(r, name, deletedAt);
        estimate = Math.max(estimate, left.estimateSeconds);
        if (left.remaining > 0) {
          problems.remaining.set(`${r.resource}.${r.group}`, left.remaining);
          for (const [f, n] of left.finalizers) problems.finalizers.set(f, (problems.finalizers.get(f) ?? 0) + n);
        }
      } catch (err) {
        problems.deleteErrors.push(messageOf(err));
        errors.push(messageOf(err));
      }
    }
    await this.updateConditions(ns, problems);
    return { estimateSeconds: estimate, errors };
  }

  /** Deletes every object of one resource in the namespace; says what is left. */
  private async deleteAllOf(r: DiscoveredResource, namespace: string, deletedAt: number): Promise<{ remaining: number; finalizers: Map<string, number>; estimateSeconds: number }> {
    const client = this.client.resource<KubeObject>(r).namespace(namespace);
    let estimate = r.group === '' && r.resource === 'pods' ? await this.estimatePodTermination(namespace, deletedAt) : 0;
    let collected = false;
    if (r.verbs.includes('deletecollection')) {
      try {
        await client.deleteCollection({ propagationPolicy: 'Background' });
        collected = true;
      } catch (err) {
        if (!isMethodNotSupported(err) && !isNotFound(err)) throw err;
      }
    }
    if (!collected) {
      if (!r.verbs.includes('list')) return { remaining: 0, finalizers: new Map(), estimateSeconds: estimate };
      for (const item of (await client.list()).items) {
        if (item.metadata?.deletionTimestamp) continue;
        try {
          await client.delete(item.metadata?.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: item.metadata?.uid ?? '' } });
        } catch (err) {
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
      }
    }
    if (!r.verbs.includes('list')) return { remaining: 0, finalizers: new Map(), estimateSeconds: estimate };
    const left = (await client.list()).items;
    // Nothing left: nothing to wait for, whatever the pods' grace periods were.
    if (left.length === 0) return { remaining: 0, finalizers: new Map(), estimateSeconds: 0 };
    const finalizers = new Map<string, number>();
    for (const item of left) for (const f of item.metadata?.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate === 0 && finalizers.size > 0) estimate = FINALIZER_ESTIMATE_SECONDS;
    if (estimate === 0) {
      // Nothing should hold these objects: something unexpected; report and retry.
      throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${r.group}/${r.version}, Resource=${r.resource}`);
    }
    return { remaining: left.length, finalizers, estimateSeconds: estimate };
  }

  /** The longest remaining grace period of the namespace's pods still running (estimateGracefulTermination). */
  private async estimatePodTermination(namespace: string, deletedAt: number): Promise<number> {
    const pods = await this.client.resource<Pod>(resources.PODS).namespace(namespace).list();
    const elapsed = Math.max(0, (this.clock.now() - deletedAt) / 1000);
    let estimate = 0;
    for (const pod of pods.items) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
      estimate = Math.max(estimate, Math.ceil(grace - elapsed));
    }
    return estimate;
  }

  private async updateConditions(ns: Namespace, problems: DeletionProblems): Promise<void> {
    const { conditions, changed } = updateConditions(ns.status?.conditions ?? [], problems, formatTime(this.clock.now()));
    if (!changed) return;
    await this.client.resource<Namespace>(resources.NAMESPACES).updateStatus({ ...ns, status: { ...ns.status, conditions } });
  }

  /** Removes the "kubernetes" finalizer through /finalize (re-reading on conflict). */
  private async finalize(name: string): Promise<void> {
    const namespaces = this.client.resource<Namespace>(resources.NAMESPACES);
    for (let attempt = 0; ; attempt++) {
      const ns = await namespaces.get(name);
      const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
      try {
        await namespaces.updateSubresource<Namespace>(name, 'finalize', { ...ns, spec: { ...ns.spec, finalizers } });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 4) throw err;
      }
    }
  }
}
