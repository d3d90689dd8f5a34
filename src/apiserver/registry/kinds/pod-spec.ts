// PodSpec defaulting and validation shared by pods and every pod template (workloads, jobs):
// Kubernetes' SetDefaults_PodSpec/Container/Volume/Probe and the core of ValidatePodSpec, with
// Kubernetes' messages and field paths; also the QoS class a new pod gets.

import type { Container, PodSpec, PodTemplateSpec, Probe, ResourceRequirements, Volume } from 'kubernetes-types/core/v1.js';
import type { FieldError, FieldPath } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import { quantityValue } from './quantity.js';
import { dnsLabel, dnsSubdomain, isValidPortName, isValidPortNum, labelMap, nonNegative, portNumOrName } from './util.js';

const DEFAULT_MODE = 0o644;

// ---- defaults -------------------------------------------------------------------------------

/** The tag of an image reference, "latest" when it has neither tag nor digest (ParseImageName). */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ||= '/';
    p.httpGet.scheme ||= 'HTTP';
  }
  if (p.grpc) p.grpc.service ??= '';
}

function defaultResources(r: ResourceRequirements | undefined): void {
  if (!r?.limits) return;
  // Requests default to limits for every resource with a limit and no request.
  r.requests ??= {};
  for (const [name, q] of Object.entries(r.limits)) if (!(name in r.requests)) r.requests[name] = q;
}

/** SetDefaults_Container, plus (for pods only) host ports and requests from limits. */
export function defaultContainer(c: Container, pod: { hostNetwork: boolean } | undefined): void {
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  if (!c.imagePullPolicy && c.image !== undefined) c.imagePullPolicy = imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent';
  for (const port of c.ports ?? []) {
    port.protocol ||= 'TCP';
    if (pod?.hostNetwork && !port.hostPort) port.hostPort = port.containerPort;
  }
  for (const env of c.env ?? []) {
    const ref = env.valueFrom?.fieldRef;
    if (ref) ref.apiVersion ||= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (pod) defaultResources(c.resources);
}

function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (v.secret) v.secret.defaultMode ??= DEFAULT_MODE;
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_MODE;
  if (v.downwardAPI) v.downwardAPI.defaultMode ??= DEFAULT_MODE;
  if (v.projected) v.projected.defaultMode ??= DEFAULT_MODE;
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.iscsi) v.iscsi.iscsiInterface ??= 'default';
}

/**
 * SetDefaults_PodSpec and the defaults of everything nested in it; with isPod, also what
 * SetDefaults_Pod adds for pods only (enableServiceLinks, host ports, requests from limits).
 */
export function defaultPodSpec(spec: PodSpec, isPod = false): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ||= 'default-scheduler';
  if (isPod) spec.enableServiceLinks ??= true;
  // serviceAccount is the deprecated alias of serviceAccountName.
  if (spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  const pod = isPod ? { hostNetwork: spec.hostNetwork === true } : undefined;
  for (const c of spec.initContainers ?? []) defaultContainer(c, pod);
  for (const c of spec.containers ?? []) defaultContainer(c, pod);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as Container, pod && { hostNetwork: false });
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Defaults of a pod template (workloads): the pod spec's. */
export function defaultPodTemplate(t: PodTemplateSpec | undefined): void {
  if (t?.spec) defaultPodSpec(t.spec);
}

// ---- QoS ------------------------------------------------------------------------------------

/** qos.GetPodQOS: Guaranteed, Burstable or BestEffort from cpu/memory requests and limits. */
export function podQOSClass(spec: PodSpec | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const [name, q] of Object.entries(c.resources?.requests ?? {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const v = quantityValue(q) ?? 0;
      if (v > 0) requests.set(name, (requests.get(name) ?? 0) + v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(c.resources?.limits ?? {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const v = quantityValue(q) ?? 0;
      if (v > 0) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0) + v);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

// ---- validation -----------------------------------------------------------------------------

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['FallbackToLogsOnError', 'File'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

function validateVolumes(volumes: readonly Volume[], p: FieldPath): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const ip = p.index(i);
    if (!v.name) errs.push(field.required(ip.child('name'), ''));
    else {
      errs.push(...dnsLabel(v.name, ip.child('name')));
      if (names.has(v.name)) errs.push(field.duplicate(ip.child('name'), v.name));
      names.add(v.name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) errs.push(field.required(ip, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(field.forbidden(ip.child(sources[1]!), 'may not specify more than 1 volume type'));
  });
  return { errs, names };
}

function validateResources(r: ResourceRequirements | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!r) return errs;
  for (const [kind, list] of [['limits', r.limits], ['requests', r.requests]] as const) {
    for (const [name, q] of Object.entries(list ?? {})) {
      const v = quantityValue(q);
      if (v === undefined) errs.push(field.invalid(p.child(kind).key(name), q, 'must be a valid quantity'));
      else if (v < 0) errs.push(field.invalid(p.child(kind).key(name), q, 'must be greater than or equal to 0'));
    }
  }
  for (const [name, q] of Object.entries(r.requests ?? {})) {
    const lim = r.limits?.[name];
    if (lim === undefined) continue;
    const rv = quantityValue(q);
    const lv = quantityValue(lim);
    if (rv !== undefined && lv !== undefined && rv > lv) {
      errs.push(field.invalid(p.child('requests').key(name), String(q), `must be less than or equal to ${name} limit of ${String(lim)}`));
    }
  }
  return errs;
}

function validateProbe(probe: Probe | undefined, p: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs: FieldError[] = [];
  const handlers = (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const).filter((h) => probe[h] !== undefined);
  if (handlers.length === 0) errs.push(field.required(p, 'must specify a handler type'));
  else if (handlers.length > 1) errs.push(field.forbidden(p.child(handlers[1]!), 'may not specify more than 1 handler type'));
  if (probe.httpGet) errs.push(...portNumOrName(probe.httpGet.port, p.child('httpGet', 'port')));
  if (probe.tcpSocket) errs.push(...portNumOrName(probe.tcpSocket.port, p.child('tcpSocket', 'port')));
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...nonNegative(probe[k], p.child(k)));
  }
  return errs;
}

function validateContainer(c: Container, p: FieldPath, volumes: Set<string>, names: Set<string>, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(p.child('name'), ''));
  else {
    errs.push(...dnsLabel(c.name, p.child('name')));
    if (names.has(c.name)) errs.push(field.duplicate(p.child('name'), c.name));
    names.add(c.name);
  }
  if (!c.image) errs.push(field.required(p.child('image'), ''));
  else if (c.image.trim() !== c.image) errs.push(field.invalid(p.child('image'), c.image, 'must not have leading or trailing whitespace'));
  if (c.imagePullPolicy && !PULL_POLICIES.includes(c.imagePullPolicy)) {
    errs.push(field.notSupported(p.child('imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  }
  if (c.terminationMessagePolicy && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    errs.push(field.notSupported(p.child('terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  if (init && c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
    errs.push(field.notSupported(p.child('restartPolicy'), c.restartPolicy, ['Always']));
  } else if (!init && c.restartPolicy !== undefined) {
    errs.push(field.forbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
  }
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const pp = p.child('ports').index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      for (const m of msgs) errs.push(field.invalid(pp.child('name'), port.name, m));
      if (msgs.length === 0) {
        if (portNames.has(port.name)) errs.push(field.duplicate(pp.child('name'), port.name));
        portNames.add(port.name);
      }
    }
    if (!port.containerPort) errs.push(field.required(pp.child('containerPort'), ''));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(field.invalid(pp.child('containerPort'), port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(field.invalid(pp.child('hostPort'), port.hostPort, m));
    if (!port.protocol) errs.push(field.required(pp.child('protocol'), ''));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(pp.child('protocol'), port.protocol, PROTOCOLS));
  });
  (c.env ?? []).forEach((env, i) => {
    const ep = p.child('env').index(i);
    if (!env.name) errs.push(field.required(ep.child('name'), ''));
    else if (!/^[\x20-\x7e]+$/.test(env.name) || env.name.includes('=')) {
      errs.push(field.invalid(ep.child('name'), env.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
    }
    if (env.value !== undefined && env.value !== '' && env.valueFrom) {
      errs.push(field.invalid(ep.child('valueFrom'), '', 'may not be specified when `value` is not empty'));
    }
  });
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const mp = p.child('volumeMounts').index(i);
    if (!m.name) errs.push(field.required(mp.child('name'), ''));
    else if (!volumes.has(m.name)) errs.push(field.notFound(mp.child('name'), m.name));
    if (!m.mountPath) errs.push(field.required(mp.child('mountPath'), ''));
    else {
      if (mountPaths.has(m.mountPath)) errs.push(field.invalid(mp.child('mountPath'), m.mountPath, 'must be unique'));
      mountPaths.add(m.mountPath);
    }
  });
  errs.push(...validateResources(c.resources, p.child('resources')));
  if (!init || c.restartPolicy === 'Always') {
    errs.push(...validateProbe(c.livenessProbe, p.child('livenessProbe')));
    errs.push(...validateProbe(c.readinessProbe, p.child('readinessProbe')));
    errs.push(...validateProbe(c.startupProbe, p.child('startupProbe')));
  }
  return errs;
}

/** The core of ValidatePodSpec, at path p ("spec" or "spec.template.spec"). */
/** `claimVolumes`: volume names a controller adds to its pods (a StatefulSet's claim templates). */
export function validatePodSpec(spec: PodSpec | undefined, p: FieldPath, claimVolumes: readonly string[] = []): FieldError[] {
  if (!spec) return [field.required(p, '')];
  const errs: FieldError[] = [];
  const vol = validateVolumes(spec.volumes ?? [], p.child('volumes'));
  errs.push(...vol.errs);
  for (const name of claimVolumes) vol.names.add(name);
  const names = new Set<string>();
  (spec.initContainers ?? []).forEach((c, i) => errs.push(...validateContainer(c, p.child('initContainers').index(i), vol.names, names, true)));
  if (!spec.containers || spec.containers.length === 0) errs.push(field.required(p.child('containers'), ''));
  else spec.containers.forEach((c, i) => errs.push(...validateContainer(c, p.child('containers').index(i), vol.names, names, false)));
  if (spec.restartPolicy === undefined || spec.restartPolicy === '') errs.push(field.required(p.child('restartPolicy'), ''));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(field.notSupported(p.child('restartPolicy'), spec.restartPolicy, RESTART_POLICIES));
  if (spec.dnsPolicy && !DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(field.notSupported(p.child('dnsPolicy'), spec.dnsPolicy, DNS_POLICIES));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) {
    errs.push(field.required(p.child('dnsConfig'), "must provide `dnsConfig` when `dnsPolicy` is None"));
  }
  errs.push(...labelMap(spec.nodeSelector, p.child('nodeSelector')));
  if (spec.serviceAccountName) errs.push(...dnsSubdomain(spec.serviceAccountName, p.child('serviceAccountName')));
  if (spec.nodeName) errs.push(...dnsSubdomain(spec.nodeName, p.child('nodeName')));
  if (spec.hostname) errs.push(...dnsLabel(spec.hostname, p.child('hostname')));
  if (spec.subdomain) errs.push(...dnsLabel(spec.subdomain, p.child('subdomain')));
  if (spec.priorityClassName) errs.push(...dnsSubdomain(spec.priorityClassName, p.child('priorityClassName')));
  if (spec.activeDeadlineSeconds !== undefined && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > 2147483647)) {
    errs.push(field.invalid(p.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  (spec.tolerations ?? []).forEach((t, i) => {
    const tp = p.child('tolerations').index(i);
    const op = t.operator ?? 'Equal';
    if (!TOLERATION_OPERATORS.includes(op)) errs.push(field.notSupported(tp.child('operator'), op, TOLERATION_OPERATORS));
    if (op === 'Exists' && t.value) errs.push(field.invalid(tp.child('operator'), t.value, 'value must be empty when `operator` is \'Exists\''));
    if (!t.key && op !== 'Exists') errs.push(field.invalid(tp.child('operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(field.notSupported(tp.child('effect'), t.effect, TAINT_EFFECTS));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(field.invalid(tp.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
  });
  return errs;
}

/**
 * ValidatePodTemplateSpec for a workload: template labels, the pod spec, and the restart policies
 * the owning controller supports (p is the workload's spec path).
 */
export function validatePodTemplate(t: PodTemplateSpec | undefined, p: FieldPath, restartPolicies: readonly string[], claimVolumes: readonly string[] = []): FieldError[] {
  const tp = p.child('template');
  if (!t) return [field.required(tp, '')];
  const errs: FieldError[] = [];
  errs.push(...labelMap(t.metadata?.labels, tp.child('metadata', 'labels')));
  errs.push(...validatePodSpec(t.spec, tp.child('spec'), claimVolumes));
  const rp = t.spec?.restartPolicy;
  if (rp && RESTART_POLICIES.includes(rp) && !restartPolicies.includes(rp)) {
    errs.push(field.notSupported(tp.child('spec', 'restartPolicy'), rp, restartPolicies));
  }
  return errs;
}
