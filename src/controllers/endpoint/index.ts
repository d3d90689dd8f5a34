// The Endpoints controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { EndpointsController } from './endpoints-controller.js';

export const endpointsController: ControllerDescriptor = {
  name: 'endpoint',
  create: (ctx) => new EndpointsController(ctx),
};
