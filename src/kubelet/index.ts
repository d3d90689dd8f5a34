// The kubelet: node registration and heartbeat, pod workers, pod status and termination over a
// ContainerRuntime. `startKubelet` is the entry point processes use.

export { startKubelet, type KubeletOptions, type KubeletEvictionOptions, type RunningKubelet } from './start.js';
export { DEFAULT_EVICTION_HARD, parseEvictionHard, type Threshold as EvictionThreshold } from './eviction/thresholds.js';
export { DEFAULT_PRESSURE_TRANSITION_MS } from './eviction/pressure.js';
export { parseGracePeriods, parseMinimumReclaims, thresholdConfig, type SignalGracePeriods, type SignalMinimumReclaims } from './eviction/config.js';
export { Kubelet, type KubeletCoreOptions } from './kubelet.js';
export { DEFAULT_TIMINGS, resolveTimings, type KubeletTimings } from './timings.js';
export { KUBELET_VERSION } from './node-object.js';
export { restKubeletApi, type KubeletApi } from './kubelet-api.js';
export { basicPodHelpers, ContainerReasonError, type PodHelpers, type ContainerRunConfig } from './seams.js';
export { PodLookup, type ContainerLocation } from './pod-lookup.js';
