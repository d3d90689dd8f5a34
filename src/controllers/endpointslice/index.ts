// The EndpointSlice controllers' registrations.

import type { ControllerDescriptor } from '../framework/registry.js';
import { EndpointSliceController } from './endpointslice-controller.js';
import { EndpointSliceMirroringController } from './mirroring-controller.js';

export const endpointSliceController: ControllerDescriptor = {
  name: 'endpointslice',
  create: (ctx) => new EndpointSliceController(ctx),
};

export const endpointSliceMirroringController: ControllerDescriptor = {
  name: 'endpointslicemirroring',
  create: (ctx) => new EndpointSliceMirroringController(ctx),
};
