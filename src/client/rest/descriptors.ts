// The built-in resources control loops and node agents use, as ResourceDescriptors: one place for
// their group, version, plural and kind, so a component names `PODS` instead of spelling it out.

import type { ResourceDescriptor } from './resource-client.js';

const core = (resource: string, kind: string, namespaced = true): ResourceDescriptor => ({ group: '', version: 'v1', resource, namespaced, kind });
const grouped = (group: string, version: string, resource: string, kind: string, namespaced = true): ResourceDescriptor => ({ group, version, resource, namespaced, kind });

export const PODS = core('pods', 'Pod');
export const NODES = core('nodes', 'Node', false);
export const NAMESPACES = core('namespaces', 'Namespace', false);
export const SERVICES = core('services', 'Service');
export const ENDPOINTS = core('endpoints', 'Endpoints');
export const CONFIGMAPS = core('configmaps', 'ConfigMap');
export const SECRETS = core('secrets', 'Secret');
export const SERVICEACCOUNTS = core('serviceaccounts', 'ServiceAccount');
export const EVENTS = core('events', 'Event');
export const REPLICATIONCONTROLLERS = core('replicationcontrollers', 'ReplicationController');
export const PERSISTENTVOLUMES = core('persistentvolumes', 'PersistentVolume', false);
export const PERSISTENTVOLUMECLAIMS = core('persistentvolumeclaims', 'PersistentVolumeClaim');
export const RESOURCEQUOTAS = core('resourcequotas', 'ResourceQuota');
export const LIMITRANGES = core('limitranges', 'LimitRange');

export const DEPLOYMENTS = grouped('apps', 'v1', 'deployments', 'Deployment');
export const REPLICASETS = grouped('apps', 'v1', 'replicasets', 'ReplicaSet');
export const STATEFULSETS = grouped('apps', 'v1', 'statefulsets', 'StatefulSet');
export const DAEMONSETS = grouped('apps', 'v1', 'daemonsets', 'DaemonSet');
export const CONTROLLERREVISIONS = grouped('apps', 'v1', 'controllerrevisions', 'ControllerRevision');
export const JOBS = grouped('batch', 'v1', 'jobs', 'Job');
export const CRONJOBS = grouped('batch', 'v1', 'cronjobs', 'CronJob');
export const LEASES = grouped('coordination.k8s.io', 'v1', 'leases', 'Lease');
export const ENDPOINTSLICES = grouped('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice');
export const PODDISRUPTIONBUDGETS = grouped('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget');
export const PRIORITYCLASSES = grouped('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false);
export const CUSTOMRESOURCEDEFINITIONS = grouped('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false);
export const STORAGECLASSES = grouped('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false);
export const CERTIFICATESIGNINGREQUESTS = grouped('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', false);
export const HORIZONTALPODAUTOSCALERS = grouped('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler');
