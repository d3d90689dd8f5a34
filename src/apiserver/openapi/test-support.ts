// Served-resource lists for the OpenAPI tests.
import type { OpenApiResource } from './types.js';

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const testResources: OpenApiResource[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, verbs: ALL, subresources: ['status', 'log', 'exec', 'binding', 'eviction'] },
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false, verbs: ALL.filter((v) => v !== 'deletecollection'), subresources: ['status', 'finalize'] },
  { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, verbs: ALL },
  { group: '', version: 'v1', kind: 'Service', resource: 'services', namespaced: true, verbs: ALL, subresources: ['status', 'proxy'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true, verbs: ALL, subresources: ['status', 'scale'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', resource: 'clusterroles', namespaced: false, verbs: ALL },
  {
    group: 'stable.example.com',
    version: 'v1',
    kind: 'CronTab',
    resource: 'crontabs',
    namespaced: true,
    verbs: ALL,
    schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { cronSpec: { type: 'string' }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      },
    },
  },
];
