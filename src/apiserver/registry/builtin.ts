// The built-in kinds the API server serves, in the order discovery lists them: the core group's
// resources alphabetically, then the groups in kube-apiserver's priority order (apps,
// events.k8s.io, autoscaling, batch, certificates.k8s.io, policy, rbac, storage.k8s.io, apiextensions.k8s.io,
// scheduling.k8s.io, coordination.k8s.io, discovery.k8s.io), each group's resources
// alphabetically. Also the name syntax each kind's metadata.name must follow.

import type { NameValidator } from '../../api/validation/generic.js';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, validatePathSegmentName } from '../../api/validation/generic.js';
import { customresourcedefinitions } from './kinds/apiextensions.js';
import { cronjobs, jobs } from './kinds/batch.js';
import { certificatesigningrequests } from './kinds/certificates.js';
import { horizontalpodautoscalers, leases, poddisruptionbudgets, priorityclasses } from './kinds/cluster-misc.js';
import { horizontalpodautoscalersV1 } from './kinds/hpa-v1.js';
import { configmaps, secrets } from './kinds/config.js';
import { limitranges, resourcequotas, serviceaccounts } from './kinds/core-misc.js';
import { endpoints, endpointslices } from './kinds/endpoints.js';
import { coreEvents, eventsEvents } from './kinds/events.js';
import { namespaces } from './kinds/namespace.js';
import { nodes } from './kinds/node.js';
import { pods } from './kinds/pod.js';
import { clusterrolebindings, clusterroles, rolebindings, roles } from './kinds/rbac.js';
import { services } from './kinds/service.js';
import { persistentvolumeclaims, persistentvolumes } from './kinds/storage.js';
import { storageclasses } from './kinds/storage-class.js';
import { controllerrevisions, daemonsets, deployments, replicasets, replicationcontrollers, statefulsets } from './kinds/workloads.js';
import type { ResourceDefinition } from './resource.js';

/** Every built-in resource, in discovery order. Fresh objects on each call. */
export function builtinResources(): ResourceDefinition[] {
  return [
    // core/v1
    configmaps,
    endpoints,
    coreEvents,
    limitranges,
    namespaces,
    nodes,
    persistentvolumeclaims,
    persistentvolumes,
    pods,
    replicationcontrollers,
    resourcequotas,
    secrets,
    serviceaccounts,
    services,
    // apps/v1
    controllerrevisions,
    daemonsets,
    deployments,
    replicasets,
    statefulsets,
    // events.k8s.io/v1
    eventsEvents,
    // autoscaling/v2 (preferred), then autoscaling/v1 served from the same storage
    horizontalpodautoscalers,
    horizontalpodautoscalersV1,
    // batch/v1
    cronjobs,
    jobs,
    // certificates.k8s.io/v1
    certificatesigningrequests,
    // policy/v1
    poddisruptionbudgets,
    // rbac.authorization.k8s.io/v1
    clusterrolebindings,
    clusterroles,
    rolebindings,
    roles,
    // storage.k8s.io/v1
    storageclasses,
    // apiextensions.k8s.io/v1
    customresourcedefinitions,
    // scheduling.k8s.io/v1
    priorityclasses,
    // coordination.k8s.io/v1
    leases,
    // discovery.k8s.io/v1
    endpointslices,
  ].map((def) => ({ ...def, nameValidator: def.nameValidator ?? nameValidatorFor(def) }) as ResourceDefinition);
}

const NAME_VALIDATORS: Record<string, NameValidator> = {
  '/namespaces': nameIsDNSLabel,
  '/services': nameIsDNS1035Label,
  'rbac.authorization.k8s.io/roles': validatePathSegmentName,
  'rbac.authorization.k8s.io/clusterroles': validatePathSegmentName,
  'rbac.authorization.k8s.io/rolebindings': validatePathSegmentName,
  'rbac.authorization.k8s.io/clusterrolebindings': validatePathSegmentName,
};

/**
 * The syntax of metadata.name for a resource (ValidateObjectMeta's name validator): DNS labels
 * for namespaces, RFC 1035 labels for services, path segments for RBAC, DNS subdomains otherwise.
 */
export function nameValidatorFor(def: Pick<ResourceDefinition, 'group' | 'resource'>): NameValidator {
  return NAME_VALIDATORS[`${def.group}/${def.resource}`] ?? nameIsDNSSubdomain;
}
