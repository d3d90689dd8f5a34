// The Job controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { JobController } from './job-controller.js';

export const jobController: ControllerDescriptor = {
  name: 'job',
  create: (ctx) => new JobController(ctx),
};
