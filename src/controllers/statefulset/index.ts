// The StatefulSet controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { StatefulSetController } from './statefulset-controller.js';

export const statefulSetController: ControllerDescriptor = {
  name: 'statefulset',
  create: (ctx) => new StatefulSetController(ctx, ctx.settings.concurrentStatefulSetSyncs),
};
