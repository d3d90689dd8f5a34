// Priority admission, as kube-apiserver's (plugin/pkg/admission/priority): a new pod's
// priorityClassName is resolved to spec.priority and spec.preemptionPolicy from its PriorityClass
// (or the global default class, or priority 0 when there is none); an unknown class, or a
// spec.priority that disagrees with the class, is refused. Only one PriorityClass may be the
// global default. The two system classes are created at start (ensureSystemPriorityClasses).

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { newForbidden } from '../../api/status-errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: 2000000000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

export interface PriorityClassSource {
  get(name: string): Promise<PriorityClass | undefined>;
  list(): Promise<PriorityClass[]>;
}

export class PriorityAdmission implements AdmissionPlugin {
  readonly name = 'Priority';

  constructor(private readonly classes: PriorityClassSource) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    const { resource } = attrs;
    if (attrs.operation !== 'CREATE' || attrs.subresource || resource.group !== '' || resource.resource !== 'pods' || !attrs.object) return;
    const pod = attrs.object as Pod;
    const spec = pod.spec;
    if (!spec) return;
    const qr = { group: '', resource: 'pods' };
    let value = 0;
    let policy: string | undefined;
    if (spec.priorityClassName) {
      const pc = await this.classes.get(spec.priorityClassName);
      if (!pc) throw newForbidden(qr, attrs.name ?? '', `no PriorityClass with name ${spec.priorityClassName} was found`);
      value = pc.value;
      policy = pc.preemptionPolicy;
    } else {
      const def = defaultClass(await this.classes.list());
      if (def) {
        spec.priorityClassName = def.metadata?.name ?? '';
        value = def.value;
        policy = def.preemptionPolicy;
      }
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
      throw newForbidden(qr, attrs.name ?? '', `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
    }
    spec.priority = value;
    if (!spec.preemptionPolicy) spec.preemptionPolicy = policy ?? 'PreemptLowerPriority';
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const { resource } = attrs;
    if (resource.group !== 'scheduling.k8s.io' || resource.resource !== 'priorityclasses') return;
    if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
    const pc = attrs.object as PriorityClass | undefined;
    if (!pc?.globalDefault) return;
    const other = (await this.classes.list()).find((c) => c.globalDefault && c.metadata?.name !== pc.metadata?.name);
    if (other) {
      throw newForbidden(
        { group: 'scheduling.k8s.io', resource: 'priorityclasses' },
        pc.metadata?.name ?? '',
        `PriorityClass ${other.metadata?.name} is already marked as default. Only one default can exist`,
      );
    }
  }
}

/** The global default class; with several (a race), the lowest value, as Kubernetes picks. */
function defaultClass(classes: PriorityClass[]): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const c of classes) if (c.globalDefault && (!best || c.value < best.value)) best = c;
  return best;
}
