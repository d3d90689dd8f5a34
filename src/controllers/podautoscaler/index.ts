// The HorizontalPodAutoscaler controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { HorizontalPodAutoscalerController } from './hpa-controller.js';

export const horizontalPodAutoscalerController: ControllerDescriptor = {
  name: 'horizontalpodautoscaling',
  create: (ctx) => new HorizontalPodAutoscalerController(ctx),
};
