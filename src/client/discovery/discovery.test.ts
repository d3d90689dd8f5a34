// Discovery: aggregated documents when the server offers them, the plain ones otherwise (with
// failing groups reported), and the resource mapper over the result.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Requester, RequestOptions } from '../rest/request.js';
import { ResourceMapper, discoverResources } from './discovery.js';

function requester(docs: Record<string, unknown>): Requester & { paths: string[] } {
  const paths: string[] = [];
  return {
    namespace: 'default',
    paths,
    async request<T>(o: RequestOptions): Promise<T> {
      paths.push(o.path);
      const doc = docs[o.path];
      if (doc instanceof Error) throw doc;
      if (doc === undefined) throw new Error(`no ${o.path}`);
      return doc as T;
    },
    stream: () => Promise.reject(new Error('no streams')),
  };
}

describe('discoverResources', () => {
  it('reads aggregated discovery in two requests', async () => {
    const r = requester({
      '/api': { kind: 'APIGroupDiscoveryList', items: [{ metadata: {}, versions: [{ version: 'v1', resources: [{ resource: 'pods', responseKind: { kind: 'Pod' }, scope: 'Namespaced', verbs: ['list', 'watch', 'delete'] }] }] }] },
      '/apis': {
        kind: 'APIGroupDiscoveryList',
        items: [
          {
            metadata: { name: 'example.com' },
            versions: [
              { version: 'v2', resources: [{ resource: 'widgets', responseKind: { kind: 'Widget' }, scope: 'Namespaced', verbs: ['get', 'delete'] }] },
              { version: 'v1', resources: [{ resource: 'widgets', responseKind: { kind: 'Widget' }, scope: 'Namespaced', verbs: ['get'] }] },
            ],
          },
        ],
      },
    });
    const result = await discoverResources(r);
    assert.deepEqual(r.paths, ['/api', '/apis']);
    const mapper = new ResourceMapper(result);
    assert.equal(mapper.resourceFor('v1', 'Pod')?.resource, 'pods');
    assert.equal(mapper.resourceFor('example.com/v1', 'Widget')?.version, 'v1');
    assert.equal(mapper.resourceFor('example.com/v9', 'Widget')?.version, 'v2', 'an unserved version maps to the preferred one');
    assert.deepEqual(mapper.preferred(['delete']).map((d) => `${d.group}/${d.version}/${d.resource}`), ['/v1/pods', 'example.com/v2/widgets']);
  });

  it('falls back to the plain documents and reports groups that fail', async () => {
    const r = requester({
      '/api': { kind: 'APIVersions', versions: ['v1'] },
      '/api/v1': { resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['delete'] }, { name: 'pods/status', kind: 'Pod', namespaced: true }] },
      '/apis': { groups: [{ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { version: 'v1beta1' } }] },
      '/apis/metrics.k8s.io/v1beta1': new Error('the server is currently unable to handle the request'),
    });
    const result = await discoverResources(r);
    assert.deepEqual(result.resources.map((x) => x.resource), ['configmaps']);
    assert.equal(result.failed.get('metrics.k8s.io/v1beta1'), 'the server is currently unable to handle the request');
  });
});
