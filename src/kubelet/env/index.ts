// The kubelet's container environment: resolveContainerEnv, $(VAR) expansion, the downward API's
// field and resource values (shared with downwardAPI volumes) and ContainerConfigError.

export { ContainerConfigError, CREATE_CONTAINER_CONFIG_ERROR, isContainerConfigError } from './errors.js';
export { expand, expandCommandOnlyStatic, expandContainerCommand, mappingFor, type Mapping } from './expansion.js';
export { formatMap, podFieldValue, type PodAddresses } from './field-ref.js';
export { containerResourceValue, limitsWithAllocatable, type ResourceList } from './resource-ref.js';
export { resolveContainerEnv, type EnvContext } from './resolve.js';
export { serviceEnvMap, serviceEnvVars } from './service-env.js';
