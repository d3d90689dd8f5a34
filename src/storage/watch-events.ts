// Backend changes -> object watch events, as Kubernetes' etcd3 watcher makes them: a put that
// created the key is ADDED, other puts MODIFIED, deletes DELETED (the last state, stamped with the
// deletion's revision); with a predicate, an object that starts matching is ADDED and one that
// stops matching is DELETED.

import type { KubeObject } from '../api/object.js';
import type { BackendEvent } from './backend.js';
import { decodeObject } from './codec.js';
import type { WatchEvent } from './interface.js';

export function translateEvent<T extends KubeObject>(
  event: BackendEvent,
  predicate: (obj: T) => boolean,
): WatchEvent<T> | undefined {
  const { key, revision } = event;
  const previous = () =>
    event.prevValue ? decodeObject<T>(key, event.prevValue, event.prevRevision ?? revision) : undefined;

  if (event.type === 'delete') {
    if (!event.prevValue) return undefined;
    const object = decodeObject<T>(key, event.prevValue, revision);
    return predicate(object) ? { type: 'DELETED', object, prevObject: previous(), revision } : undefined;
  }

  const object = decodeObject<T>(key, event.value ?? new Uint8Array(), revision);
  const prevObject = event.created ? undefined : previous();
  const matches = predicate(object);
  if (!prevObject) return matches ? { type: 'ADDED', object, revision } : undefined;
  const matched = predicate(prevObject);
  if (matches && matched) return { type: 'MODIFIED', object, prevObject, revision };
  if (matches) return { type: 'ADDED', object, revision };
  if (matched) {
    const last = decodeObject<T>(key, event.prevValue as Uint8Array, revision);
    return { type: 'DELETED', object: last, prevObject, revision };
  }
  return undefined;
}
