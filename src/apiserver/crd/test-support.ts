// Fixtures for the CRD tests: the CronTab CRD of the Kubernetes documentation (with printer
// columns, a status subresource, a selectable field, defaults and validation) and a second CRD.

import type { CustomResourceDefinition, JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';

/** kubernetes-types leaves out the x-kubernetes-* fields of JSONSchemaProps. */
const schema = (s: Record<string, unknown>): JSONSchemaProps => s as JSONSchemaProps;

export function cronTabCRD(overrides: { scope?: 'Namespaced' | 'Cluster'; group?: string } = {}): CustomResourceDefinition {
  const group = overrides.group ?? 'stable.example.com';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `crontabs.${group}` },
    spec: {
      group,
      scope: overrides.scope ?? 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Spec', type: 'string', description: 'The cron spec defining the interval a CronJob is run', jsonPath: '.spec.cronSpec' },
            { name: 'Replicas', type: 'integer', description: 'The number of jobs launched by the CronJob', jsonPath: '.spec.replicas' },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          selectableFields: [{ jsonPath: '.spec.color' }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'CronTab runs an image on a schedule.',
              properties: {
                spec: {
                  type: 'object',
                  description: 'The desired schedule.',
                  required: ['cronSpec'],
                  properties: {
                    cronSpec: { type: 'string', description: 'The cron schedule.', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                    image: { type: 'string', description: 'The image to run.' },
                    replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1, description: 'How many copies run.' },
                    color: { type: 'string', enum: ['red', 'green', 'blue'] },
                    extra: schema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }),
                  },
                },
                status: {
                  type: 'object',
                  properties: {
                    replicas: { type: 'integer' },
                    conditions: {
                      type: 'array',
                      items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } },
                    },
                  },
                },
              },
            },
          },
        },
        {
          name: 'v1beta1',
          served: true,
          storage: false,
          schema: { openAPIV3Schema: schema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) },
        },
      ],
    },
  };
}

export function cronTab(name: string, spec: Record<string, unknown>, namespace = 'default'): Record<string, unknown> {
  return { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name, namespace }, spec };
}
