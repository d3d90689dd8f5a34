// The local-path provisioner: hostPath PersistentVolumes on the node for claims the PV controller
// hands to `rancher.io/local-path`.

export { LocalPathProvisioner, type LocalPathProvisionerOptions } from './provisioner.js';
export { LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER, defaultStorageClass } from './volume.js';
