import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { parseSelector } from '../../api/labels/index.js';
import { Indexer, NAMESPACE_INDEX, namespaceIndexFunc, type Indexers } from './indexer.js';
import { Lister } from './lister.js';

const obj = (ns: string, name: string, labels: Record<string, string> = {}): KubeObject => ({ metadata: { namespace: ns, name, labels } });

it('lists by label selector (text, set or Selector), within a namespace or across all', () => {
  const variants: Indexers<KubeObject>[] = [{}, { [NAMESPACE_INDEX]: namespaceIndexFunc }];
  for (const indexers of variants) {
    const idx = new Indexer<KubeObject>(undefined, indexers);
    idx.replace([obj('a', 'web-1', { app: 'web' }), obj('a', 'db', { app: 'db' }), obj('b', 'web-2', { app: 'web', tier: 'front' })]);
    const lister = new Lister(idx);
    const names = (os: KubeObject[]) => os.map((o) => o.metadata?.name).sort();
    assert.deepEqual(names(lister.list()), ['db', 'web-1', 'web-2']);
    assert.deepEqual(names(lister.list('app=web')), ['web-1', 'web-2']);
    assert.deepEqual(names(lister.list({ app: 'web', tier: 'front' })), ['web-2']);
    assert.deepEqual(names(lister.list(parseSelector('app in (db)'))), ['db']);
    assert.deepEqual(names(lister.namespace('a').list('app')), ['db', 'web-1']);
    assert.equal(lister.namespace('b').get('web-2')?.metadata?.name, 'web-2');
    assert.equal(lister.namespace('a').get('web-2'), undefined);
  }
});
