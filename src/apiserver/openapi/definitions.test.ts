import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadDefinitions, packageRoot } from './definitions.js';

const defs = loadDefinitions();
const get = (name: string) => {
  const d = defs.get(name);
  assert.ok(d, `definition ${name}`);
  return d;
};

test('the generator is deterministic: regenerating changes nothing', () => {
  const root = packageRoot();
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'gen-openapi.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

test('definitions use Kubernetes names', () => {
  for (const name of [
    'io.k8s.api.core.v1.Pod',
    'io.k8s.api.apps.v1.Deployment',
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
    'io.k8s.apimachinery.pkg.api.resource.Quantity',
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    'io.k8s.apimachinery.pkg.runtime.RawExtension',
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    'io.k8s.api.rbac.v1.ClusterRole',
    'io.k8s.api.flowcontrol.v1.FlowSchema',
  ]) {
    get(name);
  }
});

test('PodSpec.containers is a list of Container merged by name', () => {
  const containers = get('io.k8s.api.core.v1.PodSpec').properties!.containers!;
  assert.equal(containers.type, 'array');
  assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.deepEqual(get('io.k8s.api.core.v1.PodSpec').required, ['containers']);
  const container = get('io.k8s.api.core.v1.Container').properties!;
  assert.equal(container.ports!['x-kubernetes-patch-merge-key'], 'containerPort');
  assert.equal(container.env!['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(container.volumeMounts!['x-kubernetes-patch-merge-key'], 'mountPath');
  assert.equal(get('io.k8s.api.core.v1.PodSpec').properties!.volumes!['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.equal(get('io.k8s.api.apps.v1.DeploymentSpec').properties!.strategy!['x-kubernetes-patch-strategy'], 'retainKeys');
  const meta = get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties!;
  assert.equal(meta.finalizers!['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(meta.ownerReferences!['x-kubernetes-patch-merge-key'], 'uid');
  assert.equal(get('io.k8s.api.core.v1.PodStatus').properties!.conditions!['x-kubernetes-patch-merge-key'], 'type');
  assert.equal(get('io.k8s.api.core.v1.ServiceSpec').properties!.ports!['x-kubernetes-patch-merge-key'], 'port');
  assert.equal(get('io.k8s.api.core.v1.PodSpec').properties!.nodeSelector!['x-kubernetes-map-type'], 'atomic');
});

test('Quantity and IntOrString are int-or-string; Time is a date-time string', () => {
  const quantity = get('io.k8s.apimachinery.pkg.api.resource.Quantity');
  assert.equal(quantity['x-kubernetes-int-or-string'], true);
  assert.match(quantity.description!, /fixed-point representation of a number/);
  const intOrString = get('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(intOrString['x-kubernetes-int-or-string'], true);
  assert.equal(intOrString.format, 'int-or-string');
  assert.deepEqual(get('io.k8s.api.core.v1.ServicePort').properties!.targetPort!.allOf, [
    { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
  ]);
  assert.deepEqual(get('io.k8s.api.core.v1.ResourceRequirements').properties!.limits!.additionalProperties, {
    $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
  });
  const time = get('io.k8s.apimachinery.pkg.apis.meta.v1.Time');
  assert.equal(time.type, 'string');
  assert.equal(time.format, 'date-time');
  assert.equal(get('io.k8s.apimachinery.pkg.runtime.RawExtension')['x-kubernetes-preserve-unknown-fields'], true);
});

test('numbers are integers except the float fields', () => {
  assert.equal(get('io.k8s.api.apps.v1.DeploymentSpec').properties!.replicas!.type, 'integer');
  const props = get('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps').properties!;
  assert.equal(props.maximum!.type, 'number');
  assert.equal(props.maxLength!.type, 'integer');
  assert.equal(props['x-kubernetes-preserve-unknown-fields']!.type, 'boolean');
});

test('ObjectMeta carries descriptions from the JSDoc', () => {
  const meta = get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.match(meta.description!, /^ObjectMeta is metadata that all persisted resources must have/);
  assert.match(meta.properties!.labels!.description!, /Map of string keys and values/);
  assert.deepEqual(meta.properties!.labels!.additionalProperties, { type: 'string' });
  assert.match(meta.properties!.creationTimestamp!.description!, /\n\nPopulated by the system/);
});

test('top-level kinds carry x-kubernetes-group-version-kind', () => {
  assert.deepEqual(get('io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind'], [
    { group: 'apps', kind: 'Deployment', version: 'v1' },
  ]);
  assert.deepEqual(get('io.k8s.api.core.v1.Pod')['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(get('io.k8s.api.rbac.v1.Role')['x-kubernetes-group-version-kind'], [
    { group: 'rbac.authorization.k8s.io', kind: 'Role', version: 'v1' },
  ]);
  assert.equal(get('io.k8s.api.core.v1.PodSpec')['x-kubernetes-group-version-kind'], undefined);
  const deleteOptions = get('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')['x-kubernetes-group-version-kind']!;
  assert.ok(deleteOptions.some((g) => g.group === 'apps' && g.version === 'v1'));
  assert.equal(defs.nameOfKind({ group: 'apps', version: 'v1', kind: 'Deployment' }), 'io.k8s.api.apps.v1.Deployment');
  assert.equal(defs.nameOfKind({ group: '', version: 'v1', kind: 'PodList' }), 'io.k8s.api.core.v1.PodList');
  assert.equal(defs.nameOfKind({ group: 'apps', version: 'v1', kind: 'DeleteOptions' }), undefined);
});

test('every $ref resolves', () => {
  const dangling: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && !defs.has(String(x).replace('#/components/schemas/', ''))) dangling.push(String(x));
        else visit(x);
      }
    }
  };
  for (const name of defs.names()) visit(defs.get(name));
  assert.deepEqual(dangling, []);
});
