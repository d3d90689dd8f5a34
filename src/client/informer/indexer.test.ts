import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { Indexer, NAMESPACE_INDEX, fieldIndexFunc, metaNamespaceKeyFunc, namespaceIndexFunc } from './indexer.js';
import { DeletedFinalStateUnknown } from './tombstone.js';

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
}
const pod = (ns: string, name: string, node?: string): Pod => ({ metadata: { namespace: ns, name }, spec: node ? { nodeName: node } : {} });

it('keys objects by namespace/name (and tombstones by their key)', () => {
  assert.equal(metaNamespaceKeyFunc(pod('a', 'x')), 'a/x');
  assert.equal(metaNamespaceKeyFunc({ metadata: { name: 'n1' } }), 'n1');
  assert.equal(metaNamespaceKeyFunc(new DeletedFinalStateUnknown('a/x', pod('a', 'x'))), 'a/x');
});

it('keeps indexes by namespace and by spec.nodeName in step with adds, updates and deletes', () => {
  const idx = new Indexer<Pod>(metaNamespaceKeyFunc, { [NAMESPACE_INDEX]: namespaceIndexFunc, node: fieldIndexFunc('spec.nodeName') });
  idx.add(pod('a', 'p1', 'n1'));
  idx.add(pod('a', 'p2'));
  idx.add(pod('b', 'p3', 'n1'));
  const names = (ps: Pod[]) => ps.map((p) => p.metadata?.name).sort();
  assert.deepEqual(names(idx.byIndex(NAMESPACE_INDEX, 'a')), ['p1', 'p2']);
  assert.deepEqual(names(idx.byIndex('node', 'n1')), ['p1', 'p3']);
  assert.deepEqual(idx.listIndexFuncValues('node'), ['n1'], 'unscheduled pods are not indexed');

  idx.update(pod('a', 'p2', 'n2')); // scheduled
  idx.update(pod('a', 'p1', 'n2')); // moved
  assert.deepEqual(names(idx.byIndex('node', 'n1')), ['p3']);
  assert.deepEqual(names(idx.byIndex('node', 'n2')), ['p1', 'p2']);
  assert.deepEqual(names(idx.index('node', pod('z', 'q', 'n2'))), ['p1', 'p2']);

  idx.delete(pod('b', 'p3'));
  assert.deepEqual(idx.byIndex('node', 'n1'), []);
  assert.deepEqual(idx.listIndexFuncValues('node').sort(), ['n2'], 'empty index values are dropped');
  assert.deepEqual(idx.indexKeys(NAMESPACE_INDEX, 'a').sort(), ['a/p1', 'a/p2']);
  assert.equal(idx.size, 2);
  assert.throws(() => idx.byIndex('nope', 'x'), /does not exist/);
});

it('replaces its content and files existing objects under indexes added later', () => {
  const idx = new Indexer<Pod>();
  idx.add(pod('a', 'p1', 'n1'));
  idx.replace([pod('a', 'p2', 'n1'), pod('b', 'p3', 'n2')]);
  assert.deepEqual(idx.listKeys().sort(), ['a/p2', 'b/p3']);
  idx.addIndexers({ node: fieldIndexFunc('spec.nodeName') });
  assert.deepEqual(idx.indexKeys('node', 'n1'), ['a/p2']);
  assert.throws(() => idx.addIndexers({ node: fieldIndexFunc('x') }), /already exists/);
  assert.equal(idx.getByKey('b/p3')?.spec?.nodeName, 'n2');
  assert.equal(idx.get(pod('a', 'p1')), undefined);
});

it('indexes array values and skips non-scalar ones', () => {
  const byFinalizer = fieldIndexFunc<KubeObject>('metadata.finalizers');
  assert.deepEqual(byFinalizer({ metadata: { finalizers: ['a', 'b'] } }), ['a', 'b']);
  assert.deepEqual(byFinalizer({ metadata: {} }), []);
  assert.deepEqual(fieldIndexFunc<KubeObject>('metadata')({ metadata: {} }), []);
});
