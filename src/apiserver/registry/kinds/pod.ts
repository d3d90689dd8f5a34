// core/v1 pods: names, subresources, field selectors, kubectl's pod table (READY, STATUS computed
// as printers.go does, RESTARTS with the last restart's age), and the pod strategy: defaults,
// status reset with the QoS class on create, spec immutability on update, the status and
// ephemeralcontainers endpoints.

import type { ContainerStatus, Pod, PodSpec, PodStatus, Toleration } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy, TableColumn } from '../resource.js';
import { parseTime, since } from './duration.js';
import { defaultPodSpec, podQOSClass, validatePodSpec } from './pod-spec.js';
import { ageColumn, deepEqual, define, keepStatus, proxySubresource, statusSubresource, wide } from './util.js';
import type { Writable } from './util.js';

export type PodObj = Writable<Pod>;

// ---- the STATUS column ----------------------------------------------------------------------

function hasPodReadyCondition(status: PodStatus | undefined): boolean {
  return (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** What printPod computes for a pod: READY, STATUS, restarts and the last restart time. */
export function podSummary(pod: Pod): { ready: string; status: string; restarts: number; lastRestart?: number } {
  const spec = pod.spec;
  const status = pod.status;
  let restarts = 0;
  const total = spec?.containers?.length ?? 0;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  const noteRestart = (cs: ContainerStatus): void => {
    const t = parseTime(cs.lastState?.terminated?.finishedAt);
    if (t !== undefined && (lastRestart === undefined || t > lastRestart)) lastRestart = t;
  };

  let reason = status?.phase ?? '';
  if (status?.reason) reason = status.reason;

  let initializing = false;
  const initStatuses = status?.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    noteRestart(c);
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses = status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      noteRestart(c);
      const waiting = c.state?.waiting;
      const term = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // Back to "Running" when a container still runs after another completed.
    if (reason === 'Completed' && hasRunning) reason = hasPodReadyCondition(status) ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp && status?.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp) reason = 'Terminating';

  return { ready: `${readyContainers}/${total}`, status: reason, restarts, lastRestart };
}

function restartsCell(pod: Pod, now: number): string {
  const s = podSummary(pod);
  if (s.lastRestart === undefined) return String(s.restarts);
  return `${s.restarts} (${since(new Date(s.lastRestart).toISOString(), now)} ago)`;
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let trueConditions = 0;
  for (const g of gates) {
    const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
    if (c?.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

const columns: TableColumn<PodObj>[] = [
  { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', cell: (p) => podSummary(p).ready },
  { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', cell: (p) => podSummary(p).status },
  {
    name: 'Restarts',
    type: 'string',
    description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    cell: restartsCell,
  },
  ageColumn(),
  wide('IP', (p) => p.status?.podIPs?.[0]?.ip || '<none>', { description: 'podIP address allocated to the pod.' }),
  wide('Node', (p) => p.spec?.nodeName || '<none>', { description: 'NodeName indicates in which node this pod is scheduled.' }),
  wide('Nominated Node', (p) => p.status?.nominatedNodeName || '<none>', { description: 'nominatedNodeName is set only when this pod preempts other pods on the node.' }),
  wide('Readiness Gates', readinessGates, { description: 'If specified, all readiness gates will be evaluated for pod readiness.' }),
];

// ---- strategy -------------------------------------------------------------------------------

const UPDATABLE_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];
export const POD_UPDATE_FORBIDDEN_MESSAGE = `pod updates may not change fields other than ${UPDATABLE_FIELDS.join(',')}`;

const sameToleration = (a: Toleration, b: Toleration): boolean =>
  deepEqual({ ...a, tolerationSeconds: undefined }, { ...b, tolerationSeconds: undefined });

function validatePodSpecUpdate(spec: PodSpec | undefined, old: PodSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const sp = field.path('spec');
  if (!spec || !old) return errs;
  if ((spec.containers?.length ?? 0) !== (old.containers?.length ?? 0)) {
    return [field.forbidden(sp.child('containers'), 'pod updates may not add or remove containers')];
  }
  // activeDeadlineSeconds may be set or lowered, never raised or removed.
  if (spec.activeDeadlineSeconds !== undefined) {
    if (old.activeDeadlineSeconds !== undefined && old.activeDeadlineSeconds < spec.activeDeadlineSeconds) {
      errs.push(field.invalid(sp.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (old.activeDeadlineSeconds !== undefined) {
    errs.push(field.invalid(sp.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }
  // Existing tolerations stay (only tolerationSeconds may change); new ones may be added.
  const tolerations = spec.tolerations ?? [];
  (old.tolerations ?? []).forEach((t, i) => {
    if (!tolerations.some((n) => sameToleration(n, t))) {
      errs.push(field.forbidden(sp.child('tolerations').index(i), 'existing toleration can not be modified except its tolerationSeconds'));
    }
  });
  // Munge the updatable fields from the new spec into a copy of the old one and compare.
  const munged = structuredClone(spec);
  munged.containers = (munged.containers ?? []).map((c, i) => ({ ...c, image: old.containers?.[i]?.image }) as typeof c);
  if (munged.initContainers && old.initContainers && munged.initContainers.length === old.initContainers.length) {
    munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: old.initContainers?.[i]?.image }) as typeof c);
  }
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  munged.tolerations = old.tolerations;
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && spec.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  // Scheduling gates may only be removed.
  if ((spec.schedulingGates ?? []).every((g) => (old.schedulingGates ?? []).some((o) => o.name === g.name))) {
    munged.schedulingGates = old.schedulingGates;
  }
  // Ephemeral containers change only through their subresource.
  if (!deepEqual(munged, old)) errs.push(field.forbidden(sp, POD_UPDATE_FORBIDDEN_MESSAGE));
  return errs;
}

function applySchedulingGatedCondition(pod: PodObj): void {
  if ((pod.spec?.schedulingGates ?? []).length === 0) return;
  const status = (pod.status ??= {});
  const conditions = (status.conditions ??= []);
  if (conditions.some((c) => c.type === 'PodScheduled')) return;
  conditions.push({
    type: 'PodScheduled',
    status: 'False',
    reason: 'SchedulingGated',
    message: 'Scheduling is blocked due to non-empty scheduling gates',
  });
}

export const podStrategy: Strategy<PodObj> = {
  tracksGeneration: false,
  /** Graceful deletion as Kubernetes' pod strategy decides it: an unscheduled or finished pod goes
   *  at once; one on a node waits for its kubelet, up to the grace period. */
  gracePeriodSeconds(pod, requested) {
    if (!pod.spec?.nodeName) return 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    return Math.max(0, requested ?? pod.spec.terminationGracePeriodSeconds ?? 30);
  },
  defaults(pod) {
    if (pod.spec) defaultPodSpec(pod.spec, true);
  },
  prepareForCreate(pod) {
    pod.status = { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
    applySchedulingGatedCondition(pod);
  },
  prepareForUpdate: keepStatus,
  validate(pod) {
    return validatePodSpec(pod.spec, field.path('spec'));
  },
  validateUpdate(pod, old) {
    return [...validateMirrorAnnotationUpdate(pod, old), ...validatePodSpec(pod.spec, field.path('spec')), ...validatePodSpecUpdate(pod.spec, old.spec)];
  },
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** ValidatePodSpecificAnnotationUpdates: a pod cannot become, or stop being, a kubelet's mirror pod. */
function validateMirrorAnnotationUpdate(pod: PodObj, old: PodObj): FieldError[] {
  const errs: FieldError[] = [];
  const now = pod.metadata?.annotations ?? {};
  const before = old.metadata?.annotations ?? {};
  const p = field.path('metadata', 'annotations');
  for (const [k, v] of Object.entries(before)) {
    if (now[k] !== v && k.startsWith(MIRROR_POD_ANNOTATION)) errs.push(field.forbidden(p.key(k), 'may not remove or update mirror pod annotation'));
  }
  for (const k of Object.keys(now)) {
    if (!(k in before) && k.startsWith(MIRROR_POD_ANNOTATION)) errs.push(field.forbidden(p.key(k), 'may not add mirror pod annotation'));
  }
  return errs;
}

/** pods/status: the spec and owner references stay as stored. */
export const podStatusStrategy: Strategy<PodObj> = {
  prepareForUpdate(pod, old) {
    pod.spec = structuredClone(old.spec);
    const meta = (pod.metadata ??= {});
    if (old.metadata?.ownerReferences) meta.ownerReferences = structuredClone(old.metadata.ownerReferences);
    else delete meta.ownerReferences;
  },
  validateUpdate(pod, old) {
    const errs: FieldError[] = validateMirrorAnnotationUpdate(pod, old);
    const phase = pod.status?.phase;
    const phases = ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'];
    if (phase && !phases.includes(phase)) errs.push(field.notSupported(field.path('status', 'phase'), phase, phases));
    const oldPhase = old.status?.phase;
    if ((oldPhase === 'Succeeded' || oldPhase === 'Failed') && phase !== oldPhase) {
      errs.push(field.forbidden(field.path('status', 'phase'), `cannot transition from terminal phase ${oldPhase} to ${phase ?? ''}`));
    }
    return errs;
  },
};

/** pods/ephemeralcontainers: only spec.ephemeralContainers changes, and only by additions. */
export const podEphemeralContainersStrategy: Strategy<PodObj> = {
  prepareForUpdate(pod, old) {
    const eph = pod.spec?.ephemeralContainers;
    pod.spec = structuredClone(old.spec);
    pod.status = structuredClone(old.status);
    if (pod.spec) {
      if (eph) pod.spec.ephemeralContainers = eph;
      else delete pod.spec.ephemeralContainers;
    }
  },
  validateUpdate(pod, old) {
    const errs: FieldError[] = [];
    const p = field.path('spec', 'ephemeralContainers');
    const now = pod.spec?.ephemeralContainers ?? [];
    const names = new Set<string>([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name));
    (old.spec?.ephemeralContainers ?? []).forEach((c, i) => {
      const same = now.find((n) => n.name === c.name);
      if (!same || !deepEqual(same, c)) errs.push(field.forbidden(p.index(i), `existing ephemeral containers "${c.name}" may not be changed`));
    });
    now.forEach((c, i) => {
      if (!c.name) errs.push(field.required(p.index(i).child('name'), ''));
      else if (names.has(c.name)) errs.push(field.duplicate(p.index(i).child('name'), c.name));
      names.add(c.name);
      if (!c.image) errs.push(field.required(p.index(i).child('image'), ''));
    });
    return errs;
  },
};

export const pods = define<PodObj>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  strategy: podStrategy,
  hasStatus: true,
  columns,
  fields: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (p) => String(p.spec?.hostNetwork === true),
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': (p) => p.status?.podIPs?.[0]?.ip ?? p.status?.podIP ?? '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
  subresources: [
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'binding', kind: 'Binding', verbs: ['create'] },
    { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'], strategy: podEphemeralContainersStrategy },
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    proxySubresource('PodProxyOptions'),
    statusSubresource('Pod', podStatusStrategy),
  ],
});
