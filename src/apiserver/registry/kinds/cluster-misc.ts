// The smaller built-in kinds: coordination.k8s.io/v1 leases, policy/v1 poddisruptionbudgets,
// scheduling.k8s.io/v1 priorityclasses and autoscaling/v2 horizontalpodautoscalers — names,
// columns and small strategies with Kubernetes' defaults and key validation.

import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { FieldError, FieldPath } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import { validateLabelSelector } from '../../../api/validation/labels.js';
import type { Strategy } from '../resource.js';
import { ageColumn, define, immutable, intOrString, keepStatus, nonNegative, statusSubresource } from './util.js';

// ---- leases ---------------------------------------------------------------------------------

function validateLease(l: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const p = field.path('spec');
  const d = l.spec?.leaseDurationSeconds;
  if (d !== undefined && d <= 0) errs.push(field.invalid(p.child('leaseDurationSeconds'), d, 'must be greater than 0'));
  errs.push(...nonNegative(l.spec?.leaseTransitions, p.child('leaseTransitions')));
  return errs;
}

export const leases = define<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  singular: 'lease',
  namespaced: true,
  strategy: { validate: validateLease, validateUpdate: validateLease, allowCreateOnUpdate: true, allowUnconditionalUpdate: false },
  columns: [{ name: 'Holder', type: 'string', description: 'holderIdentity contains the identity of the holder of a current lease.', cell: (l) => l.spec?.holderIdentity ?? '' }, ageColumn()],
});

// ---- poddisruptionbudgets -------------------------------------------------------------------

function intOrPercent(v: number | string | undefined, p: FieldPath): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return nonNegative(v, p);
  const m = /^(\d+)%$/.exec(v);
  if (!m) return [field.invalid(p, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  return Number(m[1]) > 100 ? [field.invalid(p, v, 'must not be greater than 100%')] : [];
}

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function validatePDB(pdb: PodDisruptionBudget): FieldError[] {
  const errs: FieldError[] = [];
  const p = field.path('spec');
  const spec = pdb.spec ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(field.invalid(p.child('minAvailable'), spec.minAvailable, 'minAvailable and maxUnavailable cannot be both set'));
  }
  errs.push(...intOrPercent(spec.minAvailable, p.child('minAvailable')));
  errs.push(...intOrPercent(spec.maxUnavailable, p.child('maxUnavailable')));
  errs.push(...validateLabelSelector(spec.selector, {}, p.child('selector')));
  const uhp = spec.unhealthyPodEvictionPolicy;
  if (uhp !== undefined && !EVICTION_POLICIES.includes(uhp)) errs.push(field.notSupported(p.child('unhealthyPodEvictionPolicy'), uhp, EVICTION_POLICIES));
  return errs;
}

const pdbStrategy: Strategy<PodDisruptionBudget> = {
  prepareForCreate(pdb) {
    (pdb as { status?: unknown }).status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  prepareForUpdate: keepStatus,
  validate: validatePDB,
  validateUpdate: validatePDB,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const poddisruptionbudgets = define<PodDisruptionBudget>({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  resource: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  strategy: pdbStrategy,
  hasStatus: true,
  columns: [
    { name: 'Min Available', type: 'string', description: 'The minimum number of pods that must be available.', cell: (d) => (d.spec?.minAvailable !== undefined ? intOrString(d.spec.minAvailable) : 'N/A') },
    { name: 'Max Unavailable', type: 'string', description: 'The maximum number of pods that may be unavailable.', cell: (d) => (d.spec?.maxUnavailable !== undefined ? intOrString(d.spec.maxUnavailable) : 'N/A') },
    { name: 'Allowed Disruptions', type: 'integer', description: 'Calculated number of pods that may be disrupted at this time.', cell: (d) => d.status?.disruptionsAllowed ?? 0 },
    ageColumn(),
  ],
  subresources: [statusSubresource('PodDisruptionBudget')],
});

// ---- priorityclasses ------------------------------------------------------------------------

const HIGHEST_USER_PRIORITY = 1000000000;
const SYSTEM_PREFIX = 'system-';
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata?.name ?? '';
  if (name.startsWith(SYSTEM_PREFIX)) {
    if (!['system-node-critical', 'system-cluster-critical'].includes(name)) {
      errs.push(field.forbidden(field.path('metadata', 'name'), `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only`));
    }
  } else if (pc.value > HIGHEST_USER_PRIORITY) {
    errs.push(field.forbidden(field.path('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  const pp = pc.preemptionPolicy;
  if (pp !== undefined && !PREEMPTION_POLICIES.includes(pp)) errs.push(field.notSupported(field.path('preemptionPolicy'), pp, PREEMPTION_POLICIES));
  return errs;
}

export const priorityclasses = define<PriorityClass>({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  resource: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  strategy: {
    defaults(pc) {
      pc.preemptionPolicy ||= 'PreemptLowerPriority';
    },
    validate: validatePriorityClass,
    validateUpdate: (pc, old) => [
      ...validatePriorityClass(pc),
      ...immutable(pc.value, old.value, field.path('value')),
      ...immutable(pc.preemptionPolicy, old.preemptionPolicy, field.path('preemptionPolicy')),
    ],
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  columns: [
    { name: 'Value', type: 'integer', description: 'value represents the integer value of this priority class.', cell: (pc) => pc.value },
    { name: 'Global-Default', type: 'boolean', description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.', cell: (pc) => pc.globalDefault === true },
    ageColumn(),
    { name: 'PreemptionPolicy', type: 'string', description: 'preemptionPolicy is the Policy for preempting pods with lower priority.', cell: (pc) => pc.preemptionPolicy ?? '' },
  ],
});

// ---- horizontalpodautoscalers ---------------------------------------------------------------

const MAX_SHOWN_METRICS = 2;

/** printers.go formatHPAMetrics (as of Kubernetes 1.31+: resource metrics are prefixed with their name, `cpu: 40%/50%`). */
export function formatHPAMetrics(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | undefined): string {
  if (!specs || specs.length === 0) return '<none>';
  const st = statuses ?? [];
  const list = specs.map((spec, i) => {
    const s = st[i];
    const q = (v: unknown): string => (v === undefined || v === null ? '<unknown>' : String(v));
    switch (spec.type) {
      case 'External': {
        const t = spec.external?.target;
        if (t?.averageValue !== undefined) return `${q(s?.external?.current?.averageValue)}/${String(t.averageValue)} (avg)`;
        return `${s?.external ? q(s.external.current?.value) : '<unknown>'}/${q(t?.value)}`;
      }
      case 'Pods':
        return `${s?.pods ? q(s.pods.current?.averageValue) : '<unknown>'}/${q(spec.pods?.target?.averageValue)}`;
      case 'Object': {
        const t = spec.object?.target;
        if (t?.averageValue !== undefined) return `${q(s?.object?.current?.averageValue)}/${String(t.averageValue)} (avg)`;
        return `${s?.object ? q(s.object.current?.value) : '<unknown>'}/${q(t?.value)}`;
      }
      case 'Resource':
      case 'ContainerResource': {
        const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
        const t = source?.target;
        const cur = spec.type === 'Resource' ? s?.resource?.current : s?.containerResource?.current;
        if (t?.averageValue !== undefined) return `${source?.name ?? ''}: ${cur ? q(cur.averageValue) : '<unknown>'}/${String(t.averageValue)}`;
        const current = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>';
        const target = t?.averageUtilization !== undefined ? `${t.averageUtilization}%` : '<auto>';
        return `${source?.name ?? ''}: ${current}/${target}`;
      }
      default:
        return '<unknown type>';
    }
  });
  if (list.length > MAX_SHOWN_METRICS) return `${list.slice(0, MAX_SHOWN_METRICS).join(', ')} + ${list.length - MAX_SHOWN_METRICS} more...`;
  return list.join(', ');
}

function validateHPA(hpa: HorizontalPodAutoscaler): FieldError[] {
  return validateHpaBounds(hpa.spec);
}

/** What every version of an HPA spec must hold: a target, and 1 ≤ minReplicas ≤ maxReplicas. */
export function validateHpaBounds(spec: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number } | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const p = field.path('spec');
  const ref = spec?.scaleTargetRef;
  if (!ref?.kind) errs.push(field.required(p.child('scaleTargetRef', 'kind'), ''));
  if (!ref?.name) errs.push(field.required(p.child('scaleTargetRef', 'name'), ''));
  const min = spec?.minReplicas;
  if (min !== undefined && min < 1) errs.push(field.invalid(p.child('minReplicas'), min, 'must be greater than or equal to 1'));
  const max = spec?.maxReplicas ?? 0;
  if (max < 1) errs.push(field.invalid(p.child('maxReplicas'), max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(field.invalid(p.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  return errs;
}

const hpaStrategy: Strategy<HorizontalPodAutoscaler> = {
  defaults(hpa) {
    if (hpa.spec) {
      hpa.spec.minReplicas ??= 1;
      if (!hpa.spec.metrics || hpa.spec.metrics.length === 0) {
        hpa.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      }
    }
  },
  prepareForCreate(hpa) {
    (hpa as { status?: unknown }).status = { currentReplicas: 0, desiredReplicas: 0 };
  },
  prepareForUpdate: keepStatus,
  validate: validateHPA,
  validateUpdate: validateHPA,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const horizontalpodautoscalers = define<HorizontalPodAutoscaler>({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  strategy: hpaStrategy,
  hasStatus: true,
  columns: [
    { name: 'Reference', type: 'string', description: 'scaleTargetRef points to the target resource to scale.', cell: (h) => `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}` },
    { name: 'Targets', type: 'string', description: 'metrics contains the specifications for which to use to calculate the desired replica count.', cell: (h) => formatHPAMetrics(h.spec?.metrics, h.status?.currentMetrics) },
    { name: 'MinPods', type: 'string', description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.', cell: (h) => (h.spec?.minReplicas !== undefined ? String(h.spec.minReplicas) : '<unset>') },
    { name: 'MaxPods', type: 'string', description: 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.', cell: (h) => h.spec?.maxReplicas ?? 0 },
    { name: 'Replicas', type: 'string', description: 'currentReplicas is current number of replicas of pods managed by this autoscaler.', cell: (h) => h.status?.currentReplicas ?? 0 },
    ageColumn(),
  ],
  subresources: [statusSubresource('HorizontalPodAutoscaler')],
});
