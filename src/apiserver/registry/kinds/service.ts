// core/v1 services: names, proxy and status subresources, kubectl's service table, field
// selectors, and the service strategy: Kubernetes' defaults (type, session affinity, port
// protocol and targetPort, traffic policies, IP families) and validation of ports, type and the
// clusterIP format; on update, allocated values a client left out are kept and those a type change
// makes moot are dropped. Allocation itself is the API server's (apiserver/allocators).

import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy, TableColumn } from '../resource.js';
import {
  ageColumn,
  define,
  dnsLabel,
  dnsSubdomain,
  formatLabels,
  ipFamilyOf,
  isValidPortNum,
  keepStatus,
  labelMap,
  portNumOrName,
  proxySubresource,
  resetStatus,
  statusSubresource,
  validIP,
  wide,
} from './util.js';
import type { Writable } from './util.js';

export type ServiceObj = Writable<Service>;

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const LB_WIDTH = 16;

// ---- table ----------------------------------------------------------------------------------

function lbIngress(svc: Service, wideOutput: boolean): string {
  const set = new Set<string>();
  for (const i of svc.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  let r = [...set].sort().join(',');
  if (!wideOutput && r.length > LB_WIDTH) r = r.slice(0, LB_WIDTH - 3) + '...';
  return r;
}

/** printers.go getServiceExternalIP (the non-wide form). */
export function serviceExternalIP(svc: Service): string {
  const ext = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length > 0 ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = lbIngress(svc, false);
      if (ext.length > 0) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** printers.go makePortString: "80/TCP,443:30443/TCP". */
export function servicePorts(ports: readonly ServicePort[] | undefined): string {
  const s = (ports ?? []).map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
  return s || '<none>';
}

const columns: TableColumn<ServiceObj>[] = [
  { name: 'Type', type: 'string', description: 'type determines how the Service is exposed.', cell: (s) => s.spec?.type ?? '' },
  { name: 'Cluster-IP', type: 'string', description: 'clusterIP is the IP address of the service.', cell: (s) => s.spec?.clusterIPs?.[0] ?? '<none>' },
  { name: 'External-IP', type: 'string', description: 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.', cell: serviceExternalIP },
  { name: 'Port(s)', type: 'string', description: 'The list of ports that are exposed by this service.', cell: (s) => servicePorts(s.spec?.ports) },
  ageColumn(),
  wide('Selector', (s) => formatLabels(s.spec?.selector), { description: 'Route service traffic to pods with label keys and values matching this selector.' }),
];

// ---- strategy -------------------------------------------------------------------------------

const externallyAccessible = (s: ServiceObj): boolean =>
  s.spec?.type === 'LoadBalancer' || s.spec?.type === 'NodePort' || (s.spec?.type === 'ClusterIP' && (s.spec.externalIPs?.length ?? 0) > 0);

function defaults(svc: ServiceObj): void {
  const spec = (svc.spec ??= {});
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = (spec.sessionAffinityConfig ??= {});
    const ip = (cfg.clientIP ??= {});
    ip.timeoutSeconds ??= 10800;
  }
  spec.type ||= 'ClusterIP';
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(svc) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (!spec.internalTrafficPolicy && spec.type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

/** Keeps clusterIP and clusterIPs in step (NormalizeClusterIPs) and fills the IP families. */
function normalizeClusterIPs(svc: ServiceObj, old: ServiceObj | undefined): void {
  const spec = (svc.spec ??= {});
  if (!old) {
    if (spec.clusterIP && (spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [spec.clusterIP];
  } else {
    const o = old.spec ?? {};
    const singularChanged = spec.clusterIP !== o.clusterIP;
    const pluralChanged = JSON.stringify(spec.clusterIPs ?? []) !== JSON.stringify(o.clusterIPs ?? []);
    if (singularChanged && !pluralChanged) {
      if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
      else delete spec.clusterIPs;
    }
  }
  if (spec.type === 'ExternalName') return;
  if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = 'SingleStack';
  if (!spec.ipFamilies || spec.ipFamilies.length === 0) {
    const first = spec.clusterIPs?.[0];
    const family = first && first !== 'None' ? ipFamilyOf(first) : undefined;
    spec.ipFamilies = [family ?? 'IPv4'];
  }
}

const needsClusterIP = (s: ServiceObj): boolean => (s.spec?.type ?? 'ClusterIP') !== 'ExternalName';
const needsNodePort = (s: ServiceObj): boolean => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer';
const needsHealthCheckNodePort = (s: ServiceObj): boolean => s.spec?.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';
const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === (b ?? [])[i]);
const nodePortsOf = (s: ServiceObj): Set<number> => new Set((s.spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0));

/**
 * patchAllocatedValues: an update that leaves out what the allocators filled in (clusterIP(s),
 * node ports by port name, the health check node port) keeps the old values, so a PUT of the
 * object as first written (kubectl replace) is not a change of immutable fields.
 */
function patchAllocatedValues(svc: ServiceObj, old: ServiceObj): void {
  const spec = (svc.spec ??= {});
  const o = old.spec ?? {};
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP && o.clusterIP) spec.clusterIP = o.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && (o.clusterIPs ?? []).length > 0) spec.clusterIPs = [...(o.clusterIPs ?? [])];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const newPorts = nodePortsOf(svc);
    const byName = new Map((o.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const was = byName.get(p.name ?? '') ?? 0;
      // A node port the new object uses for another port is not patched in twice.
      if (was && !newPorts.has(was)) p.nodePort = was;
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(svc) && !spec.healthCheckNodePort && o.healthCheckNodePort) {
    spec.healthCheckNodePort = o.healthCheckNodePort;
  }
}

/**
 * dropTypeDependentFields: on a type change, the fields the old type needed and the new one does
 * not are cleared if the user left them as they were (they are released after the update).
 */
function dropTypeDependentFields(svc: ServiceObj, old: ServiceObj): void {
  const spec = (svc.spec ??= {});
  const o = old.spec ?? {};
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (spec.clusterIP === o.clusterIP && sameList(spec.clusterIPs, o.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(spec.ipFamilies, o.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === o.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc)) {
    const before = nodePortsOf(old);
    if ([...nodePortsOf(svc)].every((p) => before.has(p))) for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(svc) && spec.healthCheckNodePort === o.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (spec.type !== 'LoadBalancer') delete spec.allocateLoadBalancerNodePorts;
  if (needsNodePort(old) && !externallyAccessible(svc) && spec.externalTrafficPolicy === o.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
}

function validatePorts(svc: ServiceObj): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  const pp = field.path('spec', 'ports');
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(field.required(pp, ''));
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const p = pp.index(i);
    if (ports.length > 1 && !port.name) errs.push(field.required(p.child('name'), ''));
    else if (port.name) {
      errs.push(...dnsLabel(port.name, p.child('name')));
      if (names.has(port.name)) errs.push(field.duplicate(p.child('name'), port.name));
      names.add(port.name);
    }
    for (const m of isValidPortNum(port.port)) errs.push(field.invalid(p.child('port'), port.port, m));
    if (!port.protocol) errs.push(field.required(p.child('protocol'), ''));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(p.child('protocol'), port.protocol, PROTOCOLS));
    errs.push(...portNumOrName(port.targetPort, p.child('targetPort')));
    if (port.nodePort) {
      if (spec.type === 'ClusterIP') errs.push(field.forbidden(p.child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
      else for (const m of isValidPortNum(port.nodePort)) errs.push(field.invalid(p.child('nodePort'), port.nodePort, m));
    }
    const key = `${port.protocol ?? ''}/${port.port}`;
    if (seen.has(key)) errs.push(field.duplicate(p, { protocol: port.protocol, port: port.port }));
    seen.add(key);
  });
  return errs;
}

function validateClusterIPs(svc: ServiceObj): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const ips = spec.clusterIPs ?? [];
  const p = field.path('spec', 'clusterIPs');
  if (spec.type === 'ExternalName') {
    if (spec.clusterIP || ips.length > 0) errs.push(field.forbidden(p, 'may not be set for ExternalName services'));
    return errs;
  }
  if (spec.clusterIP && ips.length > 0 && ips[0] !== spec.clusterIP) {
    errs.push(field.invalid(p, ips, 'first value must match `clusterIP`'));
  }
  ips.forEach((ip, i) => {
    if (ip === 'None') {
      if (i !== 0 || ips.length > 1) errs.push(field.invalid(p.index(i), ip, "must be a valid IP address or 'None' when it is the only value"));
      return;
    }
    errs.push(...validIP(ip, p.index(i)));
  });
  if (ips.length > 2) errs.push(field.invalid(p, ips, 'may only hold up to 2 values'));
  if (ips[0] === 'None' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    errs.push(field.invalid(field.path('spec', 'clusterIPs').index(0), 'None', `may not be "None" for ${spec.type} services`));
  }
  return errs;
}

function validateService(svc: ServiceObj): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const sp = field.path('spec');
  if (!spec.type) errs.push(field.required(sp.child('type'), ''));
  else if (!TYPES.includes(spec.type)) errs.push(field.notSupported(sp.child('type'), spec.type, TYPES));
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(field.required(sp.child('externalName'), ''));
    else errs.push(...dnsSubdomain(spec.externalName.replace(/\.$/, ''), sp.child('externalName')));
  }
  if (spec.sessionAffinity && !AFFINITIES.includes(spec.sessionAffinity)) {
    errs.push(field.notSupported(sp.child('sessionAffinity'), spec.sessionAffinity, AFFINITIES));
  }
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && timeout !== undefined && (timeout <= 0 || timeout > 86400)) {
    errs.push(field.invalid(sp.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds'), timeout, 'must be greater than 0 and less than 86400'));
  }
  errs.push(...validatePorts(svc));
  errs.push(...validateClusterIPs(svc));
  (spec.externalIPs ?? []).forEach((ip, i) => errs.push(...validIP(ip, sp.child('externalIPs').index(i))));
  errs.push(...labelMap(spec.selector, sp.child('selector')));
  if (spec.externalTrafficPolicy && !TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) {
    errs.push(field.notSupported(sp.child('externalTrafficPolicy'), spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.internalTrafficPolicy && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(field.notSupported(sp.child('internalTrafficPolicy'), spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.ipFamilyPolicy && !FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(field.notSupported(sp.child('ipFamilyPolicy'), spec.ipFamilyPolicy, FAMILY_POLICIES));
  }
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(field.notSupported(sp.child('ipFamilies').index(i), f, ['IPv4', 'IPv6']));
  });
  return errs;
}

export const serviceStrategy: Strategy<ServiceObj> = {
  defaults,
  prepareForCreate(svc) {
    resetStatus(svc);
    normalizeClusterIPs(svc, undefined);
  },
  prepareForUpdate(svc, old) {
    keepStatus(svc, old);
    patchAllocatedValues(svc, old);
    dropTypeDependentFields(svc, old);
    normalizeClusterIPs(svc, old);
  },
  validate: validateService,
  validateUpdate(svc, old) {
    const errs = validateService(svc);
    const before = old.spec?.clusterIPs ?? [];
    const after = svc.spec?.clusterIPs ?? [];
    const externalName = old.spec?.type === 'ExternalName' || svc.spec?.type === 'ExternalName';
    if (!externalName && before.length > 0 && before[0] !== after[0]) {
      errs.push(field.invalid(field.path('spec', 'clusterIPs').index(0), after[0] ?? '', 'may not change once set'));
    }
    return errs;
  },
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
};

export const services = define<ServiceObj>({
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  strategy: serviceStrategy,
  hasStatus: true,
  columns,
  fields: {
    'spec.clusterIP': (s) => s.spec?.clusterIP ?? '',
    'spec.type': (s) => s.spec?.type ?? '',
  },
  subresources: [proxySubresource('ServiceProxyOptions'), statusSubresource('Service')],
});
