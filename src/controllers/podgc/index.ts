// Pod GC's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { PodGcController } from './podgc-controller.js';

export const podGcController: ControllerDescriptor = {
  name: 'podgc',
  create: (ctx) => new PodGcController(ctx),
};
