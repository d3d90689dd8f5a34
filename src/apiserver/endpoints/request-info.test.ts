import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseRequestInfo } from './request-info.js';

const info = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return parseRequestInfo(method, u.pathname, u.searchParams);
};

it('parses core and group resource paths as kube-apiserver does', () => {
  assert.deepEqual(
    { ...info('GET', '/api/v1/namespaces/default/pods/web') },
    { isResourceRequest: true, path: '/api/v1/namespaces/default/pods/web', verb: 'get', apiPrefix: 'api', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', name: 'web' },
  );
  const deploy = info('PATCH', '/apis/apps/v1/namespaces/ns1/deployments/d/scale');
  assert.equal(deploy.verb, 'patch');
  assert.equal(deploy.apiGroup, 'apps');
  assert.equal(deploy.subresource, 'scale');
  assert.equal(info('GET', '/api/v1/pods').verb, 'list');
  assert.equal(info('GET', '/api/v1/pods?watch=true').verb, 'watch');
  assert.equal(info('GET', '/api/v1/watch/namespaces/a/pods').verb, 'watch');
  assert.equal(info('DELETE', '/api/v1/namespaces/a/pods').verb, 'deletecollection');
  assert.equal(info('DELETE', '/api/v1/namespaces/a/pods/p').verb, 'delete');
});

it('treats /namespaces/{name} as the namespace object, with subresources', () => {
  const ns = info('GET', '/api/v1/namespaces/kube-system');
  assert.equal(ns.resource, 'namespaces');
  assert.equal(ns.name, 'kube-system');
  assert.equal(ns.namespace, undefined);
  const fin = info('PUT', '/api/v1/namespaces/x/finalize');
  assert.equal(fin.name, 'x');
  assert.equal(fin.subresource, 'finalize');
  assert.equal(fin.verb, 'update');
});

it('leaves discovery and other paths as non-resource requests', () => {
  for (const p of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/healthz', '/openapi/v3']) {
    assert.equal(info('GET', p).isResourceRequest, false, p);
  }
});

it('refuses a malformed escape in the path with 400', () => {
  assert.throws(() => info('GET', '/api/v1/namespaces/default/configmaps/%zz'), (err: unknown) => (err as { code?: number }).code === 400);
});

it('gives unknown HTTP methods no Kubernetes verb', () => {
  assert.match(info('WATCH', '/api/v1/pods').verb, /^unsupported method/);
  assert.match(info('LIST', '/api/v1/pods').verb, /^unsupported method/);
});
