// The local-path provisioner: hostPath PersistentVolumes on the node for `local-path` claims.

export { LocalPathProvisioner, type LocalPathProvisionerOptions } from './provisioner.js';
export { LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER, SELECTED_NODE_ANNOTATION, type BindingMode } from './volume.js';
