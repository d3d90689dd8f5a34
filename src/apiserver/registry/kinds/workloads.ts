// apps/v1 deployments, replicasets, statefulsets, daemonsets and controllerrevisions, and core/v1
// replicationcontrollers: names (all in category "all" but controllerrevisions), scale and status
// subresources, kubectl's tables, and the workload strategies: Kubernetes' defaults, selector
// required and matching the template labels, selector immutable, templates validated as pods.

import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { FieldError, FieldPath } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { LabelSelector } from '../../../api/labels/types.js';
import { validateLabelSelector } from '../../../api/validation/labels.js';
import type { KubeObject } from '../../../api/object.js';
import type { Strategy, TableColumn } from '../resource.js';
import { defaultPodTemplate, validatePodTemplate } from './pod-spec.js';
import {
  ageColumn,
  containerCells,
  deepEqual,
  define,
  formatLabelSelector,
  formatLabels,
  immutable,
  keepAllButStatus,
  keepStatus,
  nonNegative,
  scaleSubresource,
  selectorIsEmpty,
  selectorMatches,
  selectorString,
  statusSubresource,
  wide,
} from './util.js';
import type { Writable } from './util.js';

export type DeploymentObj = Writable<Deployment>;
export type ReplicaSetObj = Writable<ReplicaSet>;
export type StatefulSetObj = Writable<StatefulSet>;
export type DaemonSetObj = Writable<DaemonSet>;
export type RCObj = Writable<ReplicationController>;

const ALWAYS = ['Always'];
const SELECTOR_MISMATCH = '`selector` does not match template `labels`';
const sp = (): FieldPath => field.path('spec');

interface TemplateSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { name: string; image?: string }[] } };
}

/** ValidateLabelSelector, required, non-empty, and matching the template's labels. */
export function validateSelectorAndTemplate(spec: TemplateSpec | undefined, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = sp();
  const sel = spec?.selector;
  if (!sel) errs.push(field.required(p.child('selector'), ''));
  else {
    errs.push(...validateLabelSelector(sel, {}, p.child('selector')));
    if (selectorIsEmpty(sel)) errs.push(field.invalid(p.child('selector'), sel, `empty selector is invalid for ${kind}`));
  }
  const labels = spec?.template?.metadata?.labels;
  if (sel && !selectorIsEmpty(sel) && !selectorMatches(sel, labels)) {
    errs.push(field.invalid(p.child('template', 'metadata', 'labels'), labels ?? {}, SELECTOR_MISMATCH));
  }
  errs.push(...nonNegative(spec?.replicas, p.child('replicas')));
  return errs;
}

function workloadStrategy<T extends KubeObject & { spec?: unknown; status?: unknown }>(opts: {
  kind: string;
  /** The status a new object starts with (Go's non-omitempty fields at zero). */
  initialStatus?: Record<string, number>;
  defaults: (obj: T) => void;
  validate: (obj: T) => FieldError[];
  validateUpdate?: (obj: T, old: T) => FieldError[];
  generationChanged?: (obj: T, old: T) => boolean;
}): Strategy<T> {
  return {
    defaults: opts.defaults,
    prepareForCreate(obj) {
      obj.status = { ...(opts.initialStatus ?? {}) };
    },
    prepareForUpdate: keepStatus,
    validate: opts.validate,
    validateUpdate: (obj, old) => [
      ...opts.validate(obj),
      ...immutable((obj.spec as TemplateSpec | undefined)?.selector, (old.spec as TemplateSpec | undefined)?.selector, sp().child('selector')),
      ...(opts.validateUpdate?.(obj, old) ?? []),
    ],
    generationChanged: opts.generationChanged,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  };
}

/** Status endpoint of an apps workload: spec and labels stay as stored. */
function appsStatusStrategy<T extends KubeObject>(): Strategy<T> {
  return {
    prepareForUpdate(obj, old) {
      keepAllButStatus(obj, old);
      const meta = (obj.metadata ??= {});
      if (old.metadata?.labels) meta.labels = { ...old.metadata.labels };
      else delete meta.labels;
    },
  };
}

function templateColumns<T extends { spec?: TemplateSpec }>(selector: (o: T) => string): TableColumn<T>[] {
  return [
    wide('Containers', (o) => containerCells(o.spec?.template?.spec?.containers).names, { description: 'Names of each container in the template.' }),
    wide('Images', (o) => containerCells(o.spec?.template?.spec?.containers).images, { description: 'Images referenced by each container in the template.' }),
    wide('Selector', selector, { description: 'A label query over pods that should match the replica count.' }),
  ];
}

const int = (name: string, description: string, cell: TableColumn<KubeObject>['cell']): TableColumn<KubeObject> => ({ name, type: 'integer', description, cell });

// ---- deployments ----------------------------------------------------------------------------

function validatePercentOrInt(v: number | string | undefined, p: FieldPath): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return nonNegative(v, p);
  const m = /^(\d+)%$/.exec(v);
  if (!m) return [field.invalid(p, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  if (Number(m[1]) > 100) return [field.invalid(p, v, 'must not be greater than 100%')];
  return [];
}

const isZero = (v: number | string | undefined): boolean => v === 0 || v === '0%' || v === undefined;

function validateDeployment(d: DeploymentObj): FieldError[] {
  const errs = validateSelectorAndTemplate(d.spec, 'deployment');
  const p = sp();
  errs.push(...validatePodTemplate(d.spec?.template, p, ALWAYS));
  if (d.spec?.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(field.forbidden(p.child('template', 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  const strategy = d.spec?.strategy;
  const stp = p.child('strategy');
  if (strategy?.type && strategy.type !== 'Recreate' && strategy.type !== 'RollingUpdate') {
    errs.push(field.notSupported(stp.child('type'), strategy.type, ['Recreate', 'RollingUpdate']));
  }
  if (strategy?.type === 'Recreate' && strategy.rollingUpdate) {
    errs.push(field.forbidden(stp.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
  }
  const ru = strategy?.rollingUpdate;
  if (ru) {
    errs.push(...validatePercentOrInt(ru.maxUnavailable, stp.child('rollingUpdate', 'maxUnavailable')));
    errs.push(...validatePercentOrInt(ru.maxSurge, stp.child('rollingUpdate', 'maxSurge')));
    if (isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
      errs.push(field.invalid(stp.child('rollingUpdate', 'maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  errs.push(...nonNegative(d.spec?.minReadySeconds, p.child('minReadySeconds')));
  errs.push(...nonNegative(d.spec?.revisionHistoryLimit, p.child('revisionHistoryLimit')));
  const pds = d.spec?.progressDeadlineSeconds;
  if (pds !== undefined) {
    errs.push(...nonNegative(pds, p.child('progressDeadlineSeconds')));
    if (pds <= (d.spec?.minReadySeconds ?? 0)) errs.push(field.invalid(p.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export const deploymentStrategy = workloadStrategy<DeploymentObj>({
  kind: 'Deployment',
  defaults(d) {
    const spec = (d.spec ??= { selector: undefined as unknown as LabelSelector, template: {} });
    spec.replicas ??= 1;
    const strategy = (spec.strategy ??= {});
    strategy.type ||= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate ??= {});
      ru.maxUnavailable ??= '25%';
      ru.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultPodTemplate(spec.template);
  },
  validate: validateDeployment,
  // Annotation changes bump the generation too: they are copied to the replica sets.
  generationChanged: (d, old) => !deepEqual(d.spec, old.spec) || !deepEqual(d.metadata?.annotations, old.metadata?.annotations),
});

export const deployments = define<DeploymentObj>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  strategy: deploymentStrategy,
  hasStatus: true,
  columns: [
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', cell: (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'string', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', cell: (d) => d.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'string', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', cell: (d) => d.status?.availableReplicas ?? 0 },
    ageColumn(),
    ...templateColumns<DeploymentObj>((d) => selectorString(d.spec?.selector)),
  ],
  subresources: [scaleSubresource(), statusSubresource('Deployment', appsStatusStrategy())],
});

// ---- replicasets ----------------------------------------------------------------------------

function validateReplicaSet(rs: ReplicaSetObj): FieldError[] {
  const errs = validateSelectorAndTemplate(rs.spec, 'replicaset');
  errs.push(...validatePodTemplate(rs.spec?.template, sp(), ALWAYS));
  if (rs.spec?.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(field.forbidden(sp().child('template', 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  errs.push(...nonNegative(rs.spec?.minReadySeconds, sp().child('minReadySeconds')));
  return errs;
}

export const replicasets = define<ReplicaSetObj>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  strategy: workloadStrategy<ReplicaSetObj>({
    kind: 'ReplicaSet',
    initialStatus: { replicas: 0 },
    defaults(rs) {
      const spec = (rs.spec ??= { selector: undefined as unknown as LabelSelector });
      spec.replicas ??= 1;
      defaultPodTemplate(spec.template);
    },
    validate: validateReplicaSet,
  }),
  hasStatus: true,
  columns: [
    int('Desired', 'Replicas is the number of desired replicas.', (o) => (o as ReplicaSetObj).spec?.replicas ?? 0),
    int('Current', 'Replicas is the most recently observed number of replicas.', (o) => (o as ReplicaSetObj).status?.replicas ?? 0),
    int('Ready', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.', (o) => (o as ReplicaSetObj).status?.readyReplicas ?? 0),
    ageColumn(),
    ...templateColumns<ReplicaSetObj>((rs) => formatLabelSelector(rs.spec?.selector)),
  ] as TableColumn<ReplicaSetObj>[],
  fields: { 'status.replicas': (rs) => String(rs.status?.replicas ?? 0) },
  subresources: [scaleSubresource(), statusSubresource('ReplicaSet', appsStatusStrategy())],
});

// ---- statefulsets ---------------------------------------------------------------------------

const STS_UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function validateStatefulSet(s: StatefulSetObj): FieldError[] {
  const errs = validateSelectorAndTemplate(s.spec, 'statefulset');
  const p = sp();
  // The pods get a volume per claim template (Kubernetes leaves the template's pod spec
  // unvalidated for this; here it is validated with those volumes counted).
  const claimVolumes = (s.spec?.volumeClaimTemplates ?? []).map((c) => c.metadata?.name ?? '').filter(Boolean);
  errs.push(...validatePodTemplate(s.spec?.template, p, ALWAYS, claimVolumes));
  const pmp = s.spec?.podManagementPolicy;
  if (pmp && pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.notSupported(p.child('podManagementPolicy'), pmp, ['OrderedReady', 'Parallel']));
  const us = s.spec?.updateStrategy?.type;
  if (us && us !== 'OnDelete' && us !== 'RollingUpdate') errs.push(field.notSupported(p.child('updateStrategy', 'type'), us, ['OnDelete', 'RollingUpdate']));
  if (us === 'OnDelete' && s.spec?.updateStrategy?.rollingUpdate) {
    errs.push(field.invalid(p.child('updateStrategy', 'rollingUpdate'), s.spec.updateStrategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  }
  errs.push(...nonNegative(s.spec?.updateStrategy?.rollingUpdate?.partition, p.child('updateStrategy', 'rollingUpdate', 'partition')));
  errs.push(...nonNegative(s.spec?.minReadySeconds, p.child('minReadySeconds')));
  return errs;
}

export const statefulsets = define<StatefulSetObj>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  strategy: workloadStrategy<StatefulSetObj>({
    kind: 'StatefulSet',
    initialStatus: { replicas: 0, availableReplicas: 0 },
    defaults(s) {
      const spec = (s.spec ??= { selector: undefined as unknown as LabelSelector, serviceName: '', template: {} });
      spec.replicas ??= 1;
      spec.podManagementPolicy ||= 'OrderedReady';
      const us = (spec.updateStrategy ??= {});
      us.type ||= 'RollingUpdate';
      if (us.type === 'RollingUpdate') {
        const ru = (us.rollingUpdate ??= {});
        ru.partition ??= 0;
      }
      spec.revisionHistoryLimit ??= 10;
      const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
      retention.whenDeleted ||= 'Retain';
      retention.whenScaled ||= 'Retain';
      for (const pvc of spec.volumeClaimTemplates ?? []) {
        const ps = (pvc.spec ??= {});
        ps.volumeMode ||= 'Filesystem';
        (pvc as { status?: unknown }).status ??= { phase: 'Pending' };
      }
      defaultPodTemplate(spec.template);
    },
    validate: validateStatefulSet,
    validateUpdate(s, old) {
      const strip = (o: StatefulSetObj): Record<string, unknown> => {
        const copy: Record<string, unknown> = { ...(o.spec ?? {}) };
        for (const k of STS_UPDATABLE) delete copy[k];
        return copy;
      };
      if (!deepEqual(strip(s), strip(old))) {
        return [
          field.forbidden(
            sp(),
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
          ),
        ];
      }
      return [];
    },
  }),
  hasStatus: true,
  columns: [
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', cell: (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}` },
    ageColumn(),
    ...templateColumns<StatefulSetObj>(() => '').slice(0, 2),
  ],
  subresources: [scaleSubresource(), statusSubresource('StatefulSet', appsStatusStrategy())],
});

// ---- daemonsets -----------------------------------------------------------------------------

function validateDaemonSet(ds: DaemonSetObj): FieldError[] {
  const errs = validateSelectorAndTemplate(ds.spec, 'daemonset');
  const p = sp();
  errs.push(...validatePodTemplate(ds.spec?.template, p, ALWAYS));
  const us = ds.spec?.updateStrategy;
  if (us?.type && us.type !== 'OnDelete' && us.type !== 'RollingUpdate') errs.push(field.notSupported(p.child('updateStrategy', 'type'), us.type, ['OnDelete', 'RollingUpdate']));
  const ru = us?.rollingUpdate;
  if (ru) {
    const rp = p.child('updateStrategy', 'rollingUpdate');
    errs.push(...validatePercentOrInt(ru.maxUnavailable, rp.child('maxUnavailable')));
    errs.push(...validatePercentOrInt(ru.maxSurge, rp.child('maxSurge')));
    if (isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) errs.push(field.invalid(rp.child('maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...nonNegative(ds.spec?.minReadySeconds, p.child('minReadySeconds')));
  return errs;
}

export const daemonsets = define<DaemonSetObj>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  resource: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  strategy: workloadStrategy<DaemonSetObj>({
    kind: 'DaemonSet',
    initialStatus: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
    defaults(ds) {
      const spec = (ds.spec ??= { selector: undefined as unknown as LabelSelector, template: {} });
      const us = (spec.updateStrategy ??= {});
      us.type ||= 'RollingUpdate';
      if (us.type === 'RollingUpdate') {
        const ru = (us.rollingUpdate ??= {});
        ru.maxUnavailable ??= 1;
        ru.maxSurge ??= 0;
      }
      spec.revisionHistoryLimit ??= 10;
      defaultPodTemplate(spec.template);
    },
    validate: validateDaemonSet,
  }),
  hasStatus: true,
  columns: [
    int('Desired', 'The total number of nodes that should be running the daemon pod.', (o) => (o as DaemonSetObj).status?.desiredNumberScheduled ?? 0),
    int('Current', 'The number of nodes that are running at least 1 daemon pod.', (o) => (o as DaemonSetObj).status?.currentNumberScheduled ?? 0),
    int('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', (o) => (o as DaemonSetObj).status?.numberReady ?? 0),
    int('Up-to-date', 'The total number of nodes that are running updated daemon pod', (o) => (o as DaemonSetObj).status?.updatedNumberScheduled ?? 0),
    int('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', (o) => (o as DaemonSetObj).status?.numberAvailable ?? 0),
    { name: 'Node Selector', type: 'string', description: 'NodeSelector is a selector which must be true for the pod to fit on a node.', cell: (o) => formatLabels((o as DaemonSetObj).spec?.template?.spec?.nodeSelector) },
    ageColumn(),
    ...(templateColumns<DaemonSetObj>((ds) => formatLabelSelector(ds.spec?.selector)) as TableColumn<KubeObject>[]),
  ] as TableColumn<DaemonSetObj>[],
  subresources: [statusSubresource('DaemonSet', appsStatusStrategy())],
});

// ---- controllerrevisions --------------------------------------------------------------------

function controllerOf(cr: ControllerRevision): string {
  const ref = (cr.metadata?.ownerReferences ?? []).find((r) => r.controller);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
  const kind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${kind.toLowerCase()}/${ref.name}`;
}

export const controllerrevisions = define<ControllerRevision>({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  resource: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  strategy: {
    validate: (cr) => nonNegative(cr.revision, field.path('revision')),
    validateUpdate: (cr, old) => [...nonNegative(cr.revision, field.path('revision')), ...immutable(cr.data, old.data, field.path('data'))],
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  columns: [
    { name: 'Controller', type: 'string', description: 'Controller of the object', cell: controllerOf },
    { name: 'Revision', type: 'string', description: 'Revision indicates the revision of the state represented by Data.', cell: (cr) => cr.revision },
    ageColumn(),
  ],
});

// ---- replicationcontrollers -----------------------------------------------------------------

function validateRC(rc: RCObj): FieldError[] {
  const errs: FieldError[] = [];
  const p = sp();
  const sel = rc.spec?.selector ?? {};
  if (Object.keys(sel).length === 0) errs.push(field.required(p.child('selector'), ''));
  const labels = rc.spec?.template?.metadata?.labels ?? {};
  if (Object.keys(sel).length > 0 && !Object.entries(sel).every(([k, v]) => labels[k] === v)) {
    errs.push(field.invalid(p.child('template', 'metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  }
  errs.push(...nonNegative(rc.spec?.replicas, p.child('replicas')));
  errs.push(...nonNegative(rc.spec?.minReadySeconds, p.child('minReadySeconds')));
  errs.push(...validatePodTemplate(rc.spec?.template, p, ALWAYS));
  if (rc.spec?.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(field.forbidden(p.child('template', 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

export const replicationcontrollers = define<RCObj>({
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  resource: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  strategy: {
    defaults(rc) {
      const spec = (rc.spec ??= {});
      const labels = spec.template?.metadata?.labels;
      if (labels && Object.keys(spec.selector ?? {}).length === 0) spec.selector = { ...labels };
      const meta = (rc.metadata ??= {});
      if (labels && Object.keys(meta.labels ?? {}).length === 0) meta.labels = { ...labels };
      spec.replicas ??= 1;
      defaultPodTemplate(spec.template);
    },
    prepareForCreate(rc) {
      rc.status = { replicas: 0 };
    },
    prepareForUpdate: keepStatus,
    // core/v1 keeps the old default: a delete that names no policy orphans the pods.
    defaultGarbageCollectionPolicy: 'OrphanDependents',
    validate: validateRC,
    validateUpdate: validateRC,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  hasStatus: true,
  columns: [
    int('Desired', 'Replicas is the number of desired replicas.', (o) => (o as RCObj).spec?.replicas ?? 0),
    int('Current', 'Replicas is the most recently observed number of replicas.', (o) => (o as RCObj).status?.replicas ?? 0),
    int('Ready', 'The number of ready replicas for this replication controller.', (o) => (o as RCObj).status?.readyReplicas ?? 0),
    ageColumn(),
    wide('Containers', (o) => containerCells((o as RCObj).spec?.template?.spec?.containers).names, { description: 'Names of each container in the template.' }),
    wide('Images', (o) => containerCells((o as RCObj).spec?.template?.spec?.containers).images, { description: 'Images referenced by each container in the template.' }),
    wide('Selector', (o) => formatLabels((o as RCObj).spec?.selector), { description: 'Selector is a label query over pods that should match the Replicas count.' }),
  ] as TableColumn<RCObj>[],
  fields: { 'status.replicas': (rc) => String(rc.status?.replicas ?? 0) },
  subresources: [scaleSubresource(), statusSubresource('ReplicationController')],
});
