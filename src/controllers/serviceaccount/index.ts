// The ServiceAccount controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { ServiceAccountController } from './serviceaccount-controller.js';

export const serviceAccountController: ControllerDescriptor = {
  name: 'serviceaccount',
  create: (ctx) => new ServiceAccountController(ctx),
};
