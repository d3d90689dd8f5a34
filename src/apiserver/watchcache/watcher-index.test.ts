import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CacheWatcher } from './cache-watcher.js';
import { WatcherIndex } from './watcher-index.js';

const watcher = (key: string, recursive = true) =>
  new CacheWatcher(
    { key, recursive, progressNotify: false, after: 0, maxBacklog: 10 },
    { onEnd: () => undefined, onRequestProgress: () => undefined },
  );

it('finds the watchers whose key covers an event key, and only those', () => {
  const index = new WatcherIndex();
  const all = watcher('/registry/pods/');
  const ns = watcher('/registry/pods/a/');
  const other = watcher('/registry/pods/b/');
  const one = watcher('/registry/pods/a/x', false);
  const odd = watcher('/registry/pods/a/x'); // recursive on a non-"/" prefix: x, xy, …
  for (const w of [all, ns, other, one, odd]) index.add(w);
  const covering = (key: string) => new Set(index.covering(key, '/registry/pods/'.length - 1));
  assert.deepEqual(covering('/registry/pods/a/x'), new Set([all, ns, one, odd]));
  assert.deepEqual(covering('/registry/pods/a/xy'), new Set([all, ns, odd]));
  assert.deepEqual(covering('/registry/pods/b/x'), new Set([all, other]));
  assert.equal(index.size, 5);
  index.remove(ns);
  index.remove(ns);
  index.remove(odd);
  assert.equal(index.size, 3);
  assert.deepEqual(covering('/registry/pods/a/x'), new Set([all, one]));
  assert.equal([...index.all()].length, 3);
});
