import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenApi } from './openapi.js';
import { serveOpenApi } from './http.js';
import { testResources } from './test-support.js';

const api = createOpenApi(testResources, { version: 'v1.32.0' });
type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> }; openapi: string };
const v3 = (gv: string): Doc => JSON.parse(api.openApiV3Document(gv)!.body.toString()) as Doc;

test('the v3 index lists every group version with a hash of its document', () => {
  const index = JSON.parse(api.openApiV3Index().body.toString()) as { paths: Record<string, { serverRelativeURL: string }> };
  assert.deepEqual(Object.keys(index.paths), ['api/v1', 'apis/apps/v1', 'apis/rbac.authorization.k8s.io/v1', 'apis/stable.example.com/v1']);
  for (const [gv, { serverRelativeURL }] of Object.entries(index.paths)) {
    const doc = api.openApiV3Document(gv)!;
    assert.equal(serverRelativeURL, `/openapi/v3/${gv}?hash=${doc.hash}`);
    assert.match(doc.hash, /^[0-9A-F]{128}$/);
  }
  assert.equal(api.openApiV3Document('apis/nope/v1'), undefined);
});

test('v3 documents have kube-apiserver paths with actions and group/version/kind', () => {
  const core = v3('api/v1');
  assert.equal(core.openapi, '3.0.0');
  for (const path of [
    '/api/v1/',
    '/api/v1/namespaces/{namespace}/pods',
    '/api/v1/namespaces/{namespace}/pods/{name}',
    '/api/v1/namespaces/{namespace}/pods/{name}/status',
    '/api/v1/namespaces/{namespace}/pods/{name}/log',
    '/api/v1/namespaces/{namespace}/pods/{name}/exec',
    '/api/v1/namespaces/{namespace}/pods/{name}/binding',
    '/api/v1/pods',
    '/api/v1/watch/namespaces/{namespace}/pods',
    '/api/v1/watch/namespaces/{namespace}/pods/{name}',
    '/api/v1/watch/pods',
    '/api/v1/namespaces',
    '/api/v1/namespaces/{name}',
    '/api/v1/namespaces/{name}/finalize',
  ]) {
    assert.ok(core.paths[path], path);
  }
  const pod = { group: '', kind: 'Pod', version: 'v1' };
  const item = core.paths['/api/v1/namespaces/{namespace}/pods/{name}']!;
  assert.equal(item.get['x-kubernetes-action'], 'get');
  assert.equal(item.put['x-kubernetes-action'], 'put');
  assert.equal(item.patch['x-kubernetes-action'], 'patch');
  assert.equal(item.delete['x-kubernetes-action'], 'delete');
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], pod);
  assert.equal(item.get.operationId, 'readCoreV1NamespacedPod');
  assert.deepEqual(item.parameters.map((p: { name: string }) => p.name), ['name', 'namespace', 'pretty']);
  const collection = core.paths['/api/v1/namespaces/{namespace}/pods']!;
  assert.equal(collection.get['x-kubernetes-action'], 'list');
  assert.equal(collection.post['x-kubernetes-action'], 'post');
  assert.equal(collection.delete['x-kubernetes-action'], 'deletecollection');
  assert.equal(collection.post.requestBody.content['*/*'].schema.$ref, '#/components/schemas/io.k8s.api.core.v1.Pod');
  assert.equal(collection.get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.core.v1.PodList');
  assert.equal(core.paths['/api/v1/watch/namespaces/{namespace}/pods/{name}']!.get['x-kubernetes-action'], 'watch');
  assert.equal(core.paths['/api/v1/namespaces/{name}']!.get.operationId, 'readCoreV1Namespace');
  const apps = v3('apis/apps/v1');
  const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!;
  assert.deepEqual(scale.put['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
  assert.equal(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments']!.get.operationId, 'listAppsV1NamespacedDeployment');
  const rbac = v3('apis/rbac.authorization.k8s.io/v1');
  assert.equal(rbac.paths['/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}']!.get.operationId, 'readRbacAuthorizationV1ClusterRole');
});

test('every mutating operation declares fieldValidation, dryRun and fieldManager', () => {
  for (const gv of api.groupVersionPaths()) {
    let checked = 0;
    for (const [path, item] of Object.entries(v3(gv).paths)) {
      for (const method of ['post', 'put', 'patch']) {
        const o = item[method];
        if (!o || o['x-kubernetes-action'] === 'connect') continue;
        const names = (o.parameters as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name);
        for (const want of ['fieldValidation', 'dryRun', 'fieldManager']) assert.ok(names.includes(want), `${method} ${path} lacks ${want}`);
        checked++;
      }
    }
    assert.ok(checked > 0, gv);
  }
  const patch = v3('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch;
  assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
  assert.ok(patch.requestBody.content['application/apply-patch+yaml']);
  assert.ok(patch.parameters.some((p: { name: string }) => p.name === 'force'));
});

test('components hold what the served kinds reach, with patch strategies', () => {
  const schemas = v3('api/v1').components.schemas;
  for (const name of [
    'io.k8s.api.core.v1.Pod',
    'io.k8s.api.core.v1.PodList',
    'io.k8s.api.core.v1.Container',
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
    'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
    'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
    'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
    'io.k8s.apimachinery.pkg.api.resource.Quantity',
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    'io.k8s.api.policy.v1.Eviction',
  ]) {
    assert.ok(schemas[name], name);
  }
  assert.equal(schemas['io.k8s.api.apps.v1.Deployment'], undefined);
  assert.equal(schemas['io.k8s.api.core.v1.PodSpec'].properties.containers['x-kubernetes-patch-merge-key'], 'name');
  assert.deepEqual(schemas['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
});

test('custom resources get their schema, a list schema and no strategic merge patch', () => {
  const doc = v3('apis/stable.example.com/v1');
  const schema = doc.components.schemas['com.example.stable.v1.CronTab'];
  assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
  assert.ok(schema.properties.metadata);
  assert.ok(doc.components.schemas['com.example.stable.v1.CronTabList']);
  const patch = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}']!.patch;
  assert.equal(patch.requestBody.content['application/strategic-merge-patch+json'], undefined);
  assert.ok(patch.requestBody.content['application/merge-patch+json']);
  assert.deepEqual(api.findUnknownFields({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'x' },
    spec: { cronSpec: '* * * * *', extra: { anything: 1 }, image: 'x' },
  }), ['spec.image']);
});

test('the v2 document is Swagger 2.0 with #/definitions refs and no oneOf', () => {
  const doc = JSON.parse(api.openApiV2().body.toString()) as { swagger: string; info: { version: string }; paths: Record<string, any>; definitions: Record<string, any> };
  assert.equal(doc.swagger, '2.0');
  assert.equal(doc.info.version, 'v1.32.0');
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  assert.ok(patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.deepEqual(patch.parameters.find((p: { in: string }) => p.in === 'body').schema, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' });
  const podSpec = doc.definitions['io.k8s.api.core.v1.PodSpec'];
  assert.equal(podSpec.properties.containers.items.$ref, '#/definitions/io.k8s.api.core.v1.Container');
  assert.equal(podSpec.properties.affinity.$ref, '#/definitions/io.k8s.api.core.v1.Affinity');
  const intOrString = doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
  assert.equal(intOrString.oneOf, undefined);
  assert.equal(intOrString.type, 'string');
  assert.equal(intOrString.format, 'int-or-string');
  assert.doesNotMatch(api.openApiV2().body.toString(), /#\/components\/schemas\//);
});

test('HTTP: negotiation, ETags and hash-addressed caching', () => {
  const now = new Date('2025-01-02T03:04:05Z');
  const get = (path: string, extra: Partial<Parameters<typeof serveOpenApi>[1]> = {}) => serveOpenApi(api, { method: 'GET', path, now, ...extra })!;
  assert.equal(serveOpenApi(api, { method: 'GET', path: '/api/v1', now }), undefined);

  const index = get('/openapi/v3', { accept: 'application/json, */*' });
  assert.equal(index.status, 200);
  assert.equal(index.headers['Content-Type'], 'application/json');
  assert.equal(get('/openapi/v3', { ifNoneMatch: index.headers.ETag! }).status, 304);

  const doc = api.openApiV3Document('apis/apps/v1')!;
  const hashed = get('/openapi/v3/apis/apps/v1', { query: `?hash=${doc.hash}&timeout=32s`, accept: 'application/json' });
  assert.equal(hashed.status, 200);
  assert.equal(hashed.headers['Cache-Control'], 'public, immutable');
  assert.equal(hashed.headers.Expires, 'Fri, 02 Jan 2026 03:04:05 GMT');
  assert.equal(hashed.headers.ETag, `"${doc.hash}"`);
  assert.deepEqual(hashed.body, doc.body);
  const stale = get('/openapi/v3/apis/apps/v1', { query: 'hash=ABC' });
  assert.equal(stale.status, 301);
  assert.equal(stale.headers.Location, `/openapi/v3/apis/apps/v1?hash=${doc.hash}`);
  assert.equal(get('/openapi/v3/apis/nope/v1').status, 404);
  assert.equal(get('/openapi/v3/apis/apps/v1', { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' }).status, 406);
  assert.equal(serveOpenApi(api, { method: 'HEAD', path: '/openapi/v3/api/v1', now })!.body, undefined);
  assert.equal(serveOpenApi(api, { method: 'POST', path: '/openapi/v2', now })!.status, 405);

  // kubectl asks for /openapi/v2 only as protobuf; JSON is served to clients that accept it
  assert.equal(get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' }).status, 406);
  const v2 = get('/openapi/v2', { accept: 'application/json' });
  assert.equal(v2.status, 200);
  assert.equal(JSON.parse(v2.body!.toString()).swagger, '2.0');
});
