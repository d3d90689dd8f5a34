// The Deployment controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { DeploymentController } from './deployment-controller.js';

export const deploymentController: ControllerDescriptor = {
  name: 'deployment',
  create: (ctx) => new DeploymentController(ctx),
};
