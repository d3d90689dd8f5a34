// What the kubelet's per-pod building blocks read from the cluster.

export { staticLookup, TokenRequestUnsupportedError, type ClusterLookup, type ConfigLookup, type IssuedToken, type StaticObjects } from './lookup.js';
export { restLookup } from './rest-lookup.js';
export { cachedLookup } from './cached-lookup.js';
