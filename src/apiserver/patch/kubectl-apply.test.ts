// A second `kubectl apply` of a Deployment: the strategic merge patch kubectl 1.32 computes
// (three-way: last-applied, new config, live object) and the object the API server must produce.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { JsonObject } from './json-value.js';
import type { SchemaNode } from './schema-patch-meta.js';
import { patchMetaFromSchemas } from './schema-patch-meta.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const ref = (name: string): SchemaNode => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });
const mergeBy = (key: string, item: string, extra = ''): SchemaNode => ({
  type: 'array',
  items: ref(item),
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': `merge${extra}`,
});

// The parts of the apps/v1 OpenAPI v3 document that carry patch metadata on this path.
const SCHEMAS: Record<string, SchemaNode> = {
  'io.k8s.api.apps.v1.Deployment': {
    properties: { metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), spec: ref('io.k8s.api.apps.v1.DeploymentSpec') },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    properties: {
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
      finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
    },
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    properties: {
      template: ref('io.k8s.api.core.v1.PodTemplateSpec'),
      strategy: { ...ref('io.k8s.api.apps.v1.DeploymentStrategy'), 'x-kubernetes-patch-strategy': 'retainKeys' },
    },
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': { properties: { type: { type: 'string' }, rollingUpdate: { type: 'object' } } },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    properties: { metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), spec: ref('io.k8s.api.core.v1.PodSpec') },
  },
  'io.k8s.api.core.v1.PodSpec': {
    properties: {
      containers: mergeBy('name', 'io.k8s.api.core.v1.Container'),
      volumes: mergeBy('name', 'io.k8s.api.core.v1.Volume', ',retainKeys'),
    },
  },
  'io.k8s.api.core.v1.Container': {
    properties: {
      env: mergeBy('name', 'io.k8s.api.core.v1.EnvVar'),
      ports: mergeBy('containerPort', 'io.k8s.api.core.v1.ContainerPort'),
      volumeMounts: mergeBy('mountPath', 'io.k8s.api.core.v1.VolumeMount'),
    },
  },
  'io.k8s.api.core.v1.EnvVar': { properties: {} },
  'io.k8s.api.core.v1.ContainerPort': { properties: {} },
  'io.k8s.api.core.v1.VolumeMount': { properties: {} },
  'io.k8s.api.core.v1.Volume': { properties: {} },
};
const deploymentMeta = patchMetaFromSchemas(SCHEMAS, 'io.k8s.api.apps.v1.Deployment');

const LAST_APPLIED_V1 =
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web","tier":"frontend"},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.25","name":"web","ports":[{"containerPort":80}]},{"image":"busybox:1.36","name":"sidecar"}]}}}}\n';
const LAST_APPLIED_V2 =
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"MODE","value":"prod"}],"image":"nginx:1.27","name":"web","ports":[{"containerPort":80}]},{"image":"busybox:1.36","name":"sidecar"}]}}}}\n';

function container(name: string, image: string, extra: JsonObject = {}): JsonObject {
  return {
    name,
    image,
    ...extra,
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

/** The live object after the first apply: defaults filled in, status and server annotations set. */
function liveDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '6b9f0c1e-0000-4000-8000-000000000001',
      resourceVersion: '1234',
      generation: 1,
      labels: { app: 'web', tier: 'frontend' },
      annotations: {
        'deployment.kubernetes.io/revision': '1',
        'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED_V1,
      },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            container('web', 'nginx:1.25', { ports: [{ containerPort: 80, protocol: 'TCP' }] }),
            container('sidecar', 'busybox:1.36'),
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
    status: { replicas: 2, readyReplicas: 2, observedGeneration: 1 },
  };
}

/** What kubectl 1.32 sends for the second apply (new image and env var on "web", label "tier" removed). */
const SECOND_APPLY_PATCH: JsonObject = {
  metadata: {
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED_V2 },
    labels: { tier: null },
  },
  spec: {
    template: {
      spec: {
        '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
        containers: [{ env: [{ name: 'MODE', value: 'prod' }], image: 'nginx:1.27', name: 'web' }],
      },
    },
  },
};

describe('kubectl apply (second apply of a Deployment)', () => {
  it('updates the image, adds the env var, drops the label and keeps server-set fields', () => {
    const expected = liveDeployment() as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: { template: { spec: { containers: JsonObject[] } } };
    };
    delete expected.metadata.labels['tier'];
    expected.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = LAST_APPLIED_V2;
    expected.spec.template.spec.containers[0] = container('web', 'nginx:1.27', {
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      env: [{ name: 'MODE', value: 'prod' }],
    });

    const result = applyStrategicMergePatch(liveDeployment(), SECOND_APPLY_PATCH, deploymentMeta);
    assert.deepEqual(result, expected);
  });

  it('keeps the container order given by $setElementOrder', () => {
    const patch = structuredClone(SECOND_APPLY_PATCH) as { spec: { template: { spec: JsonObject } } };
    patch.spec.template.spec['$setElementOrder/containers'] = [{ name: 'sidecar' }, { name: 'web' }];
    const result = applyStrategicMergePatch(liveDeployment(), patch as JsonObject, deploymentMeta) as {
      spec: { template: { spec: { containers: { name: string }[] } } };
    };
    assert.deepEqual(result.spec.template.spec.containers.map((c) => c.name), ['sidecar', 'web']);
  });

  it('removes a container deleted from the config and a cleared rollingUpdate via $retainKeys', () => {
    const patch: JsonObject = {
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [{ name: 'sidecar', $patch: 'delete' }],
          },
        },
      },
    };
    const result = applyStrategicMergePatch(liveDeployment(), patch, deploymentMeta) as {
      spec: { strategy: JsonObject; template: { spec: { containers: { name: string }[] } } };
    };
    assert.deepEqual(result.spec.strategy, { type: 'Recreate' });
    assert.deepEqual(result.spec.template.spec.containers.map((c) => c.name), ['web']);
  });
});
