// A ClusterLookup that remembers answers for a while — the kubelet's TTL-based ("Cache") strategy
// for ConfigMaps and Secrets — so that re-mounting volumes and resolving environments on every pod
// sync does not GET each object every time. Absent objects are remembered too; token requests are
// passed through (the volume manager caches tokens by their lifetime).

import type { Clock } from '../../util/clock.js';
import type { ClusterLookup } from './lookup.js';

interface Entry {
  at: number;
  value: Promise<unknown>;
}

export function cachedLookup(inner: ClusterLookup, options: { clock: Clock; ttlMs: number }): ClusterLookup & { invalidate(): void } {
  const cache = new Map<string, Entry>();
  const remember = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const now = options.clock.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < options.ttlMs) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now, value });
    // A failed read is not remembered.
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  };
  return {
    getConfigMap: (ns, name) => remember(`cm/${ns}/${name}`, () => inner.getConfigMap(ns, name)),
    getSecret: (ns, name) => remember(`secret/${ns}/${name}`, () => inner.getSecret(ns, name)),
    getPersistentVolumeClaim: (ns, name) => remember(`pvc/${ns}/${name}`, () => inner.getPersistentVolumeClaim(ns, name)),
    getPersistentVolume: (name) => remember(`pv/${name}`, () => inner.getPersistentVolume(name)),
    requestServiceAccountToken: (ns, sa, spec) => inner.requestServiceAccountToken(ns, sa, spec),
    invalidate: () => cache.clear(),
  };
}
