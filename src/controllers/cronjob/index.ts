// The CronJob controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { CronJobController } from './cronjob-controller.js';

export const cronJobController: ControllerDescriptor = {
  name: 'cronjob',
  create: (ctx) => new CronJobController(ctx),
};
