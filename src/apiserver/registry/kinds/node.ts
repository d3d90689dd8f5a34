// core/v1 nodes: cluster-scoped, proxy and status subresources, kubectl's node table (STATUS
// from the Ready condition plus SchedulingDisabled, ROLES from node-role labels) and the node
// strategy: status is kept from create (the kubelet registers with it) but not from updates.

import type { Node } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy, TableColumn } from '../resource.js';
import { ageColumn, define, keepStatus, proxySubresource, qualifiedName, statusSubresource, wide } from './util.js';
import type { Writable } from './util.js';

export type NodeObj = Writable<Node>;

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

export function nodeStatusText(node: Node): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v) roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const address = (node: Node, type: string): string => (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';

const columns: TableColumn<NodeObj>[] = [
  { name: 'Status', type: 'string', description: 'The status of the node', cell: nodeStatusText },
  { name: 'Roles', type: 'string', description: 'The roles of the node', cell: nodeRoles },
  ageColumn(),
  { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', cell: (n) => n.status?.nodeInfo?.kubeletVersion ?? '' },
  wide('Internal-IP', (n) => address(n, 'InternalIP'), { description: 'List of addresses reachable to the node.' }),
  wide('External-IP', (n) => address(n, 'ExternalIP'), { description: 'List of addresses reachable to the node.' }),
  wide('OS-Image', (n) => n.status?.nodeInfo?.osImage || '<unknown>', { description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).' }),
  wide('Kernel-Version', (n) => n.status?.nodeInfo?.kernelVersion || '<unknown>', { description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)." }),
  wide('Container-Runtime', (n) => n.status?.nodeInfo?.containerRuntimeVersion || '<unknown>', {
    description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
  }),
];

function validateNode(node: NodeObj): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (node.spec?.taints ?? []).forEach((t, i) => {
    const p = field.path('spec', 'taints').index(i);
    errs.push(...qualifiedName(t.key ?? '', p.child('key')));
    if (!t.effect) errs.push(field.required(p.child('effect'), ''));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(field.notSupported(p.child('effect'), t.effect, TAINT_EFFECTS));
    const key = `${t.key}:${t.effect}`;
    if (seen.has(key)) errs.push(field.duplicate(p, `${t.key}=${t.value ?? ''}:${t.effect}`));
    seen.add(key);
  });
  return errs;
}

export const nodeStrategy: Strategy<NodeObj> = {
  defaults(node) {
    const status = node.status;
    if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
  },
  prepareForUpdate: keepStatus,
  validate: validateNode,
  validateUpdate(node, old) {
    const errs = validateNode(node);
    const before = old.spec?.podCIDRs ?? [];
    const after = node.spec?.podCIDRs ?? [];
    if (before.length > 0 && (after.length < before.length || before.some((c, i) => after[i] !== c))) {
      errs.push(field.forbidden(field.path('spec', 'podCIDRs'), 'node updates may not change podCIDR except from "" to valid'));
    }
    if (old.spec?.providerID && node.spec?.providerID !== old.spec.providerID) {
      errs.push(field.forbidden(field.path('spec', 'providerID'), 'node updates may not change providerID except from "" to valid'));
    }
    return errs;
  },
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const nodes = define<NodeObj>({
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  strategy: nodeStrategy,
  hasStatus: true,
  columns,
  fields: { 'spec.unschedulable': (n) => String(n.spec?.unschedulable === true) },
  subresources: [proxySubresource('NodeProxyOptions'), statusSubresource('Node')],
});
