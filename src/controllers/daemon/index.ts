// The DaemonSet controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { DaemonSetController } from './daemonset-controller.js';

export const daemonSetController: ControllerDescriptor = {
  name: 'daemonset',
  create: (ctx) => new DaemonSetController(ctx, ctx.settings.concurrentDaemonSetSyncs),
};
