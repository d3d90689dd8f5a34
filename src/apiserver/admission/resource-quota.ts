// ResourceQuota admission, as kube-apiserver's (plugin/pkg/admission/resourcequota): a create in a
// namespace with ResourceQuotas — or an update of a service or claim, charged only for what it
// adds over the old object — is checked against every quota that tracks it (its resources and
// scopes, from status.hard). A pod that does not state a cpu/memory resource a quota limits is
// refused ("failed quota: q: must specify limits.cpu for: c"); a quota whose usage is not yet
// known refuses ("status unknown for quota"); a create that would take used over hard is refused
// ("exceeded quota: q, requested: …, used: …, limited: …"), all 403 Forbidden. Otherwise the
// usage is charged at once — optimistically, as Kubernetes' quota evaluator does — by a
// compare-and-swap on each quota's status.used that re-checks the limit against the current
// value, so two concurrent creates cannot both slip under one limit. A write that fails after
// admission gives its charge back (aborted); deletes are given back by the ResourceQuota
// controller, which recomputes usage from the objects themselves.

import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { newForbidden } from '../../api/status-errors.js';
import {
  addLists,
  chargesOperation,
  isZeroList,
  lessThanOrEqual,
  maskList,
  matchingResources,
  objectUsage,
  podConstraintViolation,
  prettyPrint,
  quotaMatches,
  subtractLists,
  subtractNonNegative,
  type ResourceList,
} from '../../api/quota/index.js';
import type { Store } from '../../storage/interface.js';
import type { Clock } from '../../util/clock.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { listPrefix, objectKey } from '../registry/keys.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export interface ResourceQuotaAdmissionOptions {
  store: Store;
  clock: Clock;
  /** The served resourcequotas definition (undefined: the plugin does nothing). */
  quotas: () => ResourceDefinition | undefined;
}

interface Charge {
  key: string;
  uid: string;
  usage: ResourceList;
}

export class ResourceQuotaAdmission implements AdmissionPlugin {
  readonly name = 'ResourceQuota';
  private readonly charges = new WeakMap<AdmissionAttributes, Charge[]>();

  constructor(private readonly options: ResourceQuotaAdmissionOptions) {}

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const def = this.options.quotas();
    const { resource, namespace, object } = attrs;
    if (!def || attrs.subresource || !namespace || !object || !resource.namespaced) return;
    if (!chargesOperation(resource.group, resource.resource, attrs.operation)) return;
    // From the watch cache, as Kubernetes reads its quota lister: every create pays this, and the
    // compare-and-swap below decides against the current usage anyway.
    const all = (await this.options.store.list<ResourceQuota>(listPrefix(def, namespace), { resourceVersion: '0' })).items;
    const { group } = resource;
    const res = resource.resource;
    const forbidden = (message: string) => newForbidden({ group, resource: res }, attrs.name ?? object.metadata?.name ?? '', message);
    const pertinent = all.filter((rq) => quotaMatches(rq, group, res, object));
    if (pertinent.length === 0) return;
    for (const rq of pertinent) {
      const restricted = matchingResources(group, res, Object.keys(rq.status?.hard ?? {}));
      const violation = !group && res === 'pods' ? podConstraintViolation(object as Pod, restricted) : undefined;
      if (violation) throw forbidden(`failed quota: ${rq.metadata?.name}: ${violation}`);
      const unknown = restricted.filter((r) => rq.status?.used?.[r] === undefined);
      if (unknown.length > 0) throw forbidden(`status unknown for quota: ${rq.metadata?.name}, resources: ${restricted.sort().join(',')}`);
    }
    const now = this.options.clock.now();
    const total = objectUsage(group, res, object, now);
    const delta = attrs.operation === 'UPDATE' && attrs.oldObject ? subtractNonNegative(total, objectUsage(group, res, attrs.oldObject, now)) : total;
    if (isZeroList(delta)) return;
    if (attrs.dryRun) {
      for (const rq of pertinent) checkQuota(rq, delta, forbidden);
      return;
    }
    // Charge each quota with a compare-and-swap that checks the limit against its current usage;
    // a refusal gives back what the quotas before it were charged.
    const charged: Charge[] = [];
    try {
      for (const rq of pertinent) {
        const key = objectKey(def, namespace, rq.metadata?.name ?? '');
        const uid = rq.metadata?.uid ?? '';
        let usage: ResourceList = {};
        await this.options.store.guaranteedUpdate<ResourceQuota>(
          key,
          (current) => {
            usage = checkQuota(current, delta, forbidden);
            const next = structuredClone(current);
            next.status = { ...next.status, used: addLists(current.status?.used ?? {}, usage) };
            return next;
          },
          { preconditions: { uid } },
        );
        charged.push({ key, uid, usage });
      }
    } catch (err) {
      await this.refund(charged);
      throw err;
    }
    this.charges.set(attrs, charged);
  }

  /** The write failed after admission: give back what it was charged. */
  async aborted(attrs: AdmissionAttributes): Promise<void> {
    const charged = this.charges.get(attrs);
    this.charges.delete(attrs);
    if (charged) await this.refund(charged);
  }

  private async refund(charged: Charge[]): Promise<void> {
    for (const c of charged) {
      await this.options.store
        .guaranteedUpdate<ResourceQuota>(
          c.key,
          (current) => {
            const next = structuredClone(current);
            next.status = { ...next.status, used: subtractLists(current.status?.used ?? {}, c.usage) };
            return next;
          },
          { preconditions: { uid: c.uid } },
        )
        .catch(() => undefined); // the quota is gone, or the controller will recompute it
    }
  }
}

/** The part of `delta` the quota limits; throws "exceeded quota" when used + that passes hard. */
function checkQuota(rq: ResourceQuota, delta: ResourceList, forbidden: (message: string) => Error): ResourceList {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const requested = maskList(delta, Object.keys(hard));
  const newUsage = maskList(addLists(used, requested), Object.keys(requested));
  const { ok, exceeded } = lessThanOrEqual(newUsage, hard);
  if (!ok) {
    throw forbidden(
      `exceeded quota: ${rq.metadata?.name}, requested: ${prettyPrint(maskList(requested, exceeded))}, used: ${prettyPrint(maskList(used, exceeded))}, limited: ${prettyPrint(maskList(hard, exceeded))}`,
    );
  }
  return requested;
}

