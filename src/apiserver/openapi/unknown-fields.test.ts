import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUnknownFields, schemaAtPath, strictDecodingErrorMessage, unknownFieldMessage } from './index.js';
import { loadDefinitions } from './definitions.js';

const POD = 'io.k8s.api.core.v1.Pod';

test('a valid object has no unknown fields', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      labels: { app: 'web', 'example.com/anything': 'x' },
      annotations: { a: 'b' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u' }],
      managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {} } } } }],
    },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { limits: { cpu: '500m', memory: 1024 }, requests: { cpu: 0.5 } },
          livenessProbe: { httpGet: { path: '/', port: 'http' } },
          env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        },
      ],
      nodeSelector: { disk: 'ssd' },
      affinity: null,
    },
    status: { phase: 'Running', startTime: '2025-01-01T00:00:00Z' },
  };
  assert.deepEqual(findUnknownFields(POD, pod), []);
});

test('unknown fields are reported with kube-apiserver paths, in document order', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    foo: 1,
    metadata: { name: 'p', labelz: { a: 'b' } },
    spec: {
      containers: [{ name: 'a', image: 'x' }, { name: 'b', imagee: 'x', ports: [{ containerPort: 1, hostPortt: 2 }] }],
      volumes: [{ name: 'v', emptyDir: { medium: '', sizeLimitt: '1Gi' } }],
    },
  };
  assert.deepEqual(findUnknownFields(POD, pod), [
    'foo',
    'metadata.labelz',
    'spec.containers[1].imagee',
    'spec.containers[1].ports[0].hostPortt',
    'spec.volumes[0].emptyDir.sizeLimitt',
  ]);
  assert.equal(
    strictDecodingErrorMessage(['spec.containers[1].imagee', 'foo']),
    'strict decoding error: unknown field "spec.containers[1].imagee", unknown field "foo"',
  );
  assert.equal(unknownFieldMessage('spec.foo'), 'unknown field "spec.foo"');
});

test('maps, int-or-string, free-form and preserve-unknown-fields values accept anything', () => {
  const deployment = {
    spec: {
      selector: { matchLabels: { app: 'x' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c' }] } },
    },
  };
  assert.deepEqual(findUnknownFields('io.k8s.api.apps.v1.Deployment', deployment), []);
  const revision = { data: { anything: { goes: [1, 2] } }, revision: 1, metadata: { name: 'r' } };
  assert.deepEqual(findUnknownFields('io.k8s.api.apps.v1.ControllerRevision', revision), []);
  const crd = {
    spec: {
      group: 'g',
      names: { kind: 'K', plural: 'ks' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
              properties: { spec: { type: 'object', 'x-kubernetes-int-or-string': true, bogus: 1 } },
              default: { any: 'thing' },
              items: [{ type: 'string' }],
            },
          },
        },
      ],
    },
  };
  assert.deepEqual(findUnknownFields('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition', crd), [
    'spec.versions[0].schema.openAPIV3Schema.properties.spec.bogus',
  ]);
});

test('type mismatches and unknown definitions are not unknown fields', () => {
  assert.deepEqual(findUnknownFields(POD, { spec: 'oops', metadata: [1] }), []);
  assert.deepEqual(findUnknownFields('io.k8s.api.nope.v1.Nope', { a: 1 }), []);
});

test('schemaAtPath walks properties, list items and map values', () => {
  const defs = loadDefinitions();
  const containers = schemaAtPath(defs, POD, ['spec', 'containers'])!;
  assert.equal(containers.type, 'array');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  const image = schemaAtPath(defs, POD, ['spec', 'containers', 0, 'image'])!;
  assert.equal(image.type, 'string');
  assert.match(image.description!, /Container image name/);
  const spec = schemaAtPath(defs, POD, ['spec'])!;
  assert.ok(spec.properties?.containers);
  assert.match(spec.description!, /Specification of the desired behavior of the pod/);
  const limit = schemaAtPath(defs, POD, ['spec', 'containers', '*', 'resources', 'limits', 'cpu'])!;
  assert.equal(limit['x-kubernetes-int-or-string'], true);
  assert.equal(schemaAtPath(defs, POD, ['spec', 'nope']), undefined);
});
