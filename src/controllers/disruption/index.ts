// The disruption (PodDisruptionBudget status) controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { DisruptionController } from './disruption-controller.js';

export const disruptionController: ControllerDescriptor = {
  name: 'disruption',
  create: (ctx) => new DisruptionController(ctx),
};
