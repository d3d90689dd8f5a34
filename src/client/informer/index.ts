// Shared informers: the reflector (list, then watch; relist on 410), the cache with indexes, event
// handlers, listers and the per-process informer factory.

export { DeletedFinalStateUnknown, isTombstone, objectOf } from './tombstone.js';
export {
  Indexer,
  NAMESPACE_INDEX,
  fieldIndexFunc,
  metaNamespaceKeyFunc,
  namespaceIndexFunc,
  type IndexFunc,
  type Indexers,
  type KeyFunc,
} from './indexer.js';
export { filteringHandler, type HandlerRegistration, type ResourceEventHandler } from './handlers.js';
export { Lister, NamespaceLister, type ListerSelector } from './lister.js';
export { Reflector, isExpiredError, type ListerWatcher, type ReflectorOptions, type ReflectorSink, type ReflectorStats } from './reflector.js';
export { SharedIndexInformer, type SharedInformerOptions, type WaitForSyncOptions } from './shared-informer.js';
export {
  SharedInformerFactory,
  resourceKey,
  type InformerOptions,
  type ResourceSource,
  type SharedInformerFactoryOptions,
} from './factory.js';
