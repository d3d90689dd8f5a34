// The TTL-after-finished controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { TtlAfterFinishedController } from './ttlafterfinished-controller.js';

export const ttlAfterFinishedController: ControllerDescriptor = {
  name: 'ttl-after-finished',
  create: (ctx) => new TtlAfterFinishedController(ctx),
};
