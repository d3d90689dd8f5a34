// LimitRanger admission, as kube-apiserver's (plugin/pkg/admission/limitranger), for pod creates:
// the mutating phase gives each container (and init container) the default limits and default
// requests of the namespace's LimitRanges' Container items that it does not set (noting them in
// the kubernetes.io/limit-ranger annotation); the validating phase checks min, max and
// maxLimitRequestRatio per Container and, over the pod's total requests and limits, per Pod, and
// refuses with 403 Forbidden and Kubernetes' messages ("maximum cpu usage per Container is 1, but
// limit is 2").

import type { Container, LimitRange, LimitRangeItem, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';
import { podRequestsAndLimits, type ResourceList } from '../../api/quota/index.js';
import { newForbidden } from '../../api/status-errors.js';
import type { Store } from '../../storage/interface.js';
import { listPrefix } from '../registry/keys.js';
import { podQOSClass } from '../registry/kinds/pod-spec.js';
import type { ResourceDefinition } from '../registry/resource.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

export interface LimitRangerOptions {
  store: Store;
  /** The served limitranges definition (undefined: the plugin does nothing). */
  limitRanges: () => ResourceDefinition | undefined;
}

const asList = (r: Record<string, unknown> | undefined): ResourceList => Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, String(v)]));

/** requestLimitEnforcedValues: milli-units when they fit, else whole units. */
function values(...qs: Array<string | undefined>): number[] {
  const parsed = qs.map((q) => (q === undefined ? Quantity.of(0) : Quantity.fromJSON(q)));
  const milli = parsed.every((q) => q.value() <= Number.MAX_SAFE_INTEGER / 1000);
  return parsed.map((q) => (milli ? q.milliValue() : q.value()));
}

function minConstraint(kind: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const [r, l, e] = values(req[name], lim[name], enforced);
  const shown = Quantity.fromJSON(enforced).toString();
  if (req[name] === undefined) return `minimum ${name} usage per ${kind} is ${shown}.  No request is specified`;
  if (r! < e!) return `minimum ${name} usage per ${kind} is ${shown}, but request is ${Quantity.fromJSON(req[name]).toString()}`;
  if (lim[name] !== undefined && l! < e!) return `minimum ${name} usage per ${kind} is ${shown}, but limit is ${Quantity.fromJSON(lim[name]).toString()}`;
  return undefined;
}

function maxConstraint(kind: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const [r, l, e] = values(req[name], lim[name], enforced);
  const shown = Quantity.fromJSON(enforced).toString();
  if (lim[name] === undefined) return `maximum ${name} usage per ${kind} is ${shown}.  No limit is specified`;
  if (l! > e!) return `maximum ${name} usage per ${kind} is ${shown}, but limit is ${Quantity.fromJSON(lim[name]).toString()}`;
  if (req[name] !== undefined && r! > e!) return `maximum ${name} usage per ${kind} is ${shown}, but request is ${Quantity.fromJSON(req[name]).toString()}`;
  return undefined;
}

function ratioConstraint(kind: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const [r, l] = values(req[name], lim[name]);
  const shown = Quantity.fromJSON(enforced).toString();
  if (req[name] === undefined || r === 0) return `${name} max limit to request ratio per ${kind} is ${shown}, but no request is specified or request is 0`;
  if (lim[name] === undefined || l === 0) return `${name} max limit to request ratio per ${kind} is ${shown}, but no limit is specified or limit is 0`;
  const ratio = l! / r!;
  if (ratio > Quantity.fromJSON(enforced).asApproximateFloat64()) return `${name} max limit to request ratio per ${kind} is ${shown}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

/** Every violation of one LimitRange item by requests and limits of one Container or the Pod. */
function checkItem(item: LimitRangeItem, kind: string, req: ResourceList, lim: ResourceList): string[] {
  const out: Array<string | undefined> = [];
  for (const [name, q] of Object.entries(item.min ?? {})) out.push(minConstraint(kind, name, String(q), req, lim));
  for (const [name, q] of Object.entries(item.max ?? {})) out.push(maxConstraint(kind, name, String(q), req, lim));
  for (const [name, q] of Object.entries(item.maxLimitRequestRatio ?? {})) out.push(ratioConstraint(kind, name, String(q), req, lim));
  return out.filter((e): e is string => e !== undefined);
}

export class LimitRanger implements AdmissionPlugin {
  readonly name = 'LimitRanger';

  constructor(private readonly options: LimitRangerOptions) {}

  private applies(attrs: AdmissionAttributes): boolean {
    return attrs.operation === 'CREATE' && !attrs.subresource && attrs.resource.group === '' && attrs.resource.resource === 'pods' && !!attrs.namespace && !!attrs.object;
  }

  private async limitRanges(namespace: string): Promise<LimitRange[]> {
    const def = this.options.limitRanges();
    if (!def) return [];
    // From the watch cache, as Kubernetes reads its LimitRange lister.
    return (await this.options.store.list<LimitRange>(listPrefix(def, namespace), { resourceVersion: '0' })).items;
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    if (!this.applies(attrs)) return;
    const pod = attrs.object as Pod;
    const notes: string[] = [];
    for (const lr of await this.limitRanges(attrs.namespace!)) {
      for (const item of lr.spec?.limits ?? []) {
        if (item.type !== 'Container') continue;
        for (const c of pod.spec?.containers ?? []) applyDefaults(c, 'container', item, notes);
        for (const c of pod.spec?.initContainers ?? []) applyDefaults(c, 'init container', item, notes);
      }
    }
    if (notes.length > 0) {
      // Kubernetes derives the QoS class after mutating admission; Kite's pod strategy ran first.
      if (pod.status?.qosClass) pod.status.qosClass = podQOSClass(pod.spec);
      const meta = (pod.metadata ??= {});
      meta.annotations = { ...meta.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
    }
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    if (!this.applies(attrs)) return;
    const pod = attrs.object as Pod;
    const errors: string[] = [];
    for (const lr of await this.limitRanges(attrs.namespace!)) {
      for (const item of lr.spec?.limits ?? []) {
        if (item.type === 'Container') {
          for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
            errors.push(...checkItem(item, 'Container', asList(c.resources?.requests), asList(c.resources?.limits)));
          }
        } else if (item.type === 'Pod') {
          const { requests, limits } = podRequestsAndLimits(pod);
          errors.push(...checkItem(item, 'Pod', requests, limits));
        }
      }
    }
    if (errors.length === 0) return;
    const message = errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
    throw newForbidden({ group: '', resource: 'pods' }, attrs.name ?? pod.metadata?.name ?? '', message);
  }
}

/** SetDefaults_LimitRangeItem for Container items: default ← max, defaultRequest ← min, then ← default. */
function effectiveDefaults(item: LimitRangeItem): { limits: ResourceList; requests: ResourceList } {
  const limits = { ...asList(item.max), ...asList(item.default) };
  const requests = { ...asList(item.min), ...limits, ...asList(item.defaultRequest) };
  return { limits, requests };
}

/** mergeContainerResources: the item's defaults for what the container leaves unset. */
function applyDefaults(c: Container, containerType: string, item: LimitRangeItem, notes: string[]): void {
  const { limits, requests } = effectiveDefaults(item);
  const resources = (c.resources ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [name, q] of Object.entries(limits)) {
    if (resources.limits?.[name] !== undefined) continue;
    resources.limits = { ...resources.limits, [name]: q };
    setLimits.push(name);
  }
  for (const [name, q] of Object.entries(requests)) {
    if (resources.requests?.[name] !== undefined) continue;
    resources.requests = { ...resources.requests, [name]: q };
    setRequests.push(name);
  }
  if (setRequests.length > 0) notes.push(`${setRequests.sort().join(', ')} request for ${containerType} ${c.name}`);
  if (setLimits.length > 0) notes.push(`${setLimits.sort().join(', ')} limit for ${containerType} ${c.name}`);
}
