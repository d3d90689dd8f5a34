// The API server's watch cache (kube-apiserver's cacher): a Store wrapper that serves lists and
// watches of registered resources from memory. See caching-store.ts.

export { CachingStore, defaultKeyOf, type CachingStoreOptions } from './caching-store.js';
export type { CacherStats } from './cacher.js';
