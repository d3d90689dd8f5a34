// The ResourceQuota controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { ResourceQuotaController } from './resourcequota-controller.js';

export const resourceQuotaController: ControllerDescriptor = {
  name: 'resourcequota',
  create: (ctx) => new ResourceQuotaController(ctx),
};
