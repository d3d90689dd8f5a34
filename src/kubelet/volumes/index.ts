// The kubelet's volumes: the VolumeManager, its errors, the atomic writer and the mounter.

export { VolumeManager, type VolumeManagerOptions } from './manager.js';
export { FAILED_MOUNT, VolumeError, isVolumeError } from './errors.js';
export { writeAtomically, validatePayloadPath, type FileProjection, type Payload } from './atomic-writer.js';
export { SystemMounter, plainDirectoryMounter, type Mounter } from './mounter.js';
export { checkHostPathType } from './plugins/host-path.js';
