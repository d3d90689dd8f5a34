import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtobuf } from './decode.js';
import { body, entry, type Field } from './test-support.js';

const CORE = { group: '', version: 'v1', kind: 'ConfigMap' };
const badRequest = (err: unknown) => (err as { code?: number }).code === 400;

/** ObjectMeta as Go's protobuf encoder writes it: every non-pointer field, empty or not. */
const meta = (name: string, more: Field[] = []): Field => [1, [[1, name], [2, ''], [3, ''], [4, ''], [5, ''], [6, ''], [7, 0], [8, []], ...more]];

describe('decodeProtobuf', () => {
  it('decodes a ConfigMap as kubectl create configmap sends it', () => {
    const obj = decodeProtobuf(
      body('v1', 'ConfigMap', [
        meta('settings', [entry(11, 'app', 'web')]),
        entry(2, 'color', 'blue'),
        entry(2, 'size', ''),
        entry(3, 'blob', new Uint8Array([0, 1, 254, 255])),
        [4, false],
      ]),
      CORE,
    );
    assert.deepEqual(obj, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', labels: { app: 'web' } },
      data: { color: 'blue', size: '' },
      binaryData: { blob: 'AAH+/w==' },
      immutable: false,
    });
  });

  it('decodes a Secret: bytes as base64, an absent pointer left out, empty maps left out', () => {
    const obj = decodeProtobuf(body('v1', 'Secret', [meta('creds'), entry(2, 'password', Buffer.from('s3cr3t\n')), [3, 'Opaque']]), CORE);
    assert.deepEqual(obj, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: 'czNjcjN0Cg==' }, type: 'Opaque' });
  });

  it('decodes a Deployment: IntOrString, Quantities, pointers set to zero, structs always written', () => {
    const container: Field[] = [
      [1, 'web'],
      [2, 'nginx:1.27'],
      [3, 'nginx'],
      [6, [[3, 8080], [4, 'TCP']]],
      [8, [entry(1, 'cpu', [[1, '500m']]), entry(2, 'memory', [[1, '128Mi']])]],
      [16, false],
    ];
    const obj = decodeProtobuf(
      body('apps/v1', 'Deployment', [
        meta('web'),
        [2, [
          [1, 0],
          [2, [entry(1, 'app', 'web')]],
          [3, [[1, [[1, '']]], [2, [[2, container], [3, 'Always']]]]],
          [4, [[1, 'RollingUpdate'], [2, [[1, [[1, 0], [2, 0]]], [2, [[1, 1], [3, '25%']]]]]]],
          [5, 0],
          [7, false],
        ]],
        [3, []],
      ]),
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    );
    assert.deepEqual(obj, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: {},
          spec: {
            containers: [{
              name: 'web',
              image: 'nginx:1.27',
              command: ['nginx'],
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: { limits: { cpu: '500m' }, requests: { memory: '128Mi' } },
            }],
            restartPolicy: 'Always',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      },
      status: {},
    });
  });

  it('decodes a Pod with times, inline volume sources, FieldsV1 and a pointer Quantity', () => {
    const obj = decodeProtobuf(
      body('v1', 'Pod', [
        meta('p', [
          [9, [[1, 1714557600], [2, 999_000_000]]],
          [10, 30],
          [17, [[1, 'kubectl'], [2, 'Update'], [3, 'v1'], [4, [[1, 1714557600]]], [6, 'FieldsV1'], [7, [[1, '{"f:spec":{}}']]]]],
        ]),
        [2, [[1, [[1, 'scratch'], [2, [[2, [[1, 'Memory'], [2, [[1, '1Gi']]]]]]]]], [2, [[1, 'c'], [2, 'busybox']]]]],
        [3, [[1, 'Running'], [2, [[1, 'Ready'], [2, 'True'], [3, []], [4, [[1, 1714557601]]]]], [7, [[1, 0]]]]],
      ]),
      CORE,
    );
    assert.deepEqual(obj, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        deletionTimestamp: '2024-05-01T10:00:00Z',
        deletionGracePeriodSeconds: 30,
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
      },
      spec: {
        volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }],
        containers: [{ name: 'c', image: 'busybox', resources: {} }],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T10:00:01Z' }],
        startTime: '1970-01-01T00:00:00Z',
      },
    });
  });

  it('writes MicroTime with microseconds', () => {
    const obj = decodeProtobuf(
      body('coordination.k8s.io/v1', 'Lease', [meta('l'), [2, [[1, 'me'], [2, 15], [4, [[1, 1714557600], [2, 123_456_789]]], [5, 0]]]]),
      { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
    );
    assert.deepEqual(obj['spec'], { holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: '2024-05-01T10:00:00.123456Z', leaseTransitions: 0 });
  });

  it('decodes a CustomResourceDefinition: $ref and x-kubernetes names, schemas or booleans or arrays, embedded JSON', () => {
    const replicas: Field[] = [[5, 'integer'], [11, { double: 1 }], [8, [[1, '1']]], [20, [[1, '1']]], [20, [[1, '3']]]];
    const spec: Field[] = [
      [5, 'object'],
      entry(29, 'replicas', replicas),
      entry(29, 'tags', [[5, 'array'], [24, [[1, [[5, 'string']]]]]]),
      entry(29, 'labels', [[5, 'object'], [30, [[1, true], [2, [[5, 'string']]]]]]),
      entry(29, 'ref', [[3, '#/definitions/x']]),
      entry(32, 'tags', [[2, 'labels']]),
      [30, [[1, false]]],
      [38, true],
    ];
    const version: Field[] = [[1, 'v1'], [2, true], [3, true], [4, [[1, [[5, 'object'], entry(29, 'spec', spec)]]]]];
    const obj = decodeProtobuf(
      body('apiextensions.k8s.io/v1', 'CustomResourceDefinition', [
        meta('widgets.example.com'),
        [2, [[1, 'example.com'], [3, [[1, 'widgets'], [2, 'widget'], [4, 'Widget']]], [4, 'Namespaced'], [7, version]]],
      ]),
      { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' },
    );
    assert.deepEqual(obj['spec'], {
      group: 'example.com',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      scope: 'Namespaced',
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer', minimum: 1, default: 1, enum: [1, 3] },
                  tags: { type: 'array', items: { type: 'string' } },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                  ref: { $ref: '#/definitions/x' },
                },
                dependencies: { tags: ['labels'] },
                additionalProperties: false,
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        },
      }],
    });
    assert.deepEqual(obj['status'], { acceptedNames: { plural: '', kind: '' } }, 'a struct is written even when absent');
  });

  it('takes apiVersion and kind from the endpoint when the envelope leaves them out, and meta kinds from every group', () => {
    assert.deepEqual(decodeProtobuf(body('', '', [meta('x')]), CORE), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    const opts = decodeProtobuf(body('apps/v1', 'DeleteOptions', [[1, 0], [4, 'Foreground']]), { group: 'apps', version: 'v1', kind: 'DeleteOptions' });
    assert.deepEqual(opts, { apiVersion: 'apps/v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground' });
  });

  it('reads map entries without a value as the zero value, and keeps a "__proto__" key as data', () => {
    const quota = decodeProtobuf(body('v1', 'ResourceQuota', [meta('q'), [2, [[1, [[1, 'pods']]]]]]), CORE);
    assert.deepEqual(quota['spec'], { hard: { pods: '0' } });
    const cm = decodeProtobuf(body('v1', 'ConfigMap', [meta('x'), entry(2, '__proto__', 'v'), [2, [[1, 'k']]]]), CORE);
    assert.deepEqual(cm['data'], JSON.parse('{"__proto__":"v","k":""}'));
  });

  it('ignores unknown fields', () => {
    const obj = decodeProtobuf(body('v1', 'ConfigMap', [meta('x'), [99, 'future'], [98, 7]]), CORE);
    assert.deepEqual(obj, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  });

  it('answers malformed bodies, unknown kinds and encodings with 400', () => {
    assert.throws(() => decodeProtobuf(Buffer.from('{"kind":"ConfigMap"}'), CORE), badRequest);
    const good = body('v1', 'ConfigMap', [meta('x')]);
    assert.throws(() => decodeProtobuf(good.subarray(0, good.length - 3), CORE), badRequest, 'truncated');
    assert.throws(() => decodeProtobuf(Buffer.concat([good, Buffer.from([0x0f])]), CORE), badRequest, 'an invalid wire type');
    assert.throws(() => decodeProtobuf(body('v1', 'Pony', [meta('x')]), CORE), /no kind "Pony" is registered for version "v1"/);
    assert.throws(() => decodeProtobuf(body('example.com/v1', 'Widget', [meta('x')]), CORE), badRequest);
    assert.throws(() => decodeProtobuf(body('v1', 'ConfigMap', [meta('x')], [[3, 'gzip']]), CORE), badRequest);
    let schema: Field[] = [[5, 'object']];
    for (let i = 0; i < 200; i++) schema = [[28, schema]];
    const deep = body('apiextensions.k8s.io/v1', 'CustomResourceDefinition', [[2, [[7, [[4, [[1, schema]]]]]]]]);
    assert.throws(() => decodeProtobuf(deep, { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }), /maximum nesting depth/);
  });
});
