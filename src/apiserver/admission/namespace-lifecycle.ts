// NamespaceLifecycle admission, as kube-apiserver's: nothing is created in a namespace that does
// not exist or is terminating, and the system namespaces cannot be deleted. Like Kubernetes' it
// decides in the mutating phase, first of all plugins, so later ones (ServiceAccount's lookups)
// never run for a namespace that is not there.

import type { KubeObject } from '../../api/object.js';
import { newForbidden, newNotFound } from '../../api/status-errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

interface Namespace extends KubeObject {
  status?: { phase?: string };
}

/** The namespaces whose deletion is refused. */
export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';

  constructor(private readonly getNamespace: (name: string) => Promise<Namespace | undefined>) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    const { resource } = attrs;
    if (attrs.operation === 'DELETE' && resource.group === '' && resource.resource === 'namespaces') {
      if (attrs.name && IMMORTAL_NAMESPACES.includes(attrs.name)) {
        throw newForbidden({ group: '', resource: 'namespaces' }, attrs.name, 'this namespace may not be deleted');
      }
      return;
    }
    if (attrs.operation !== 'CREATE' || !resource.namespaced || !attrs.namespace) return;
    const ns = await this.getNamespace(attrs.namespace);
    if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, attrs.namespace);
    if (ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
      throw newForbidden(
        { group: resource.group, resource: resource.resource },
        attrs.name ?? '',
        `unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
      );
    }
  }
}
