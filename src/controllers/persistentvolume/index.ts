// The PersistentVolume binder's registration (kube-controller-manager's "persistentvolume-binder").

import type { ControllerDescriptor } from '../framework/registry.js';
import { PersistentVolumeController } from './pv-controller.js';

export const persistentVolumeBinderController: ControllerDescriptor = {
  name: 'persistentvolume-binder',
  create: (ctx) => new PersistentVolumeController(ctx),
};
