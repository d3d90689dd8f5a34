// Kite's controller manager (kube-controller-manager): the entry point the CLI calls, the
// controller framework, and the registry of controllers.

export { startControllerManager, type RunningControllerManager, type StartControllerManagerOptions } from './start.js';
export { QueueController, splitKey, type Controller, type QueueControllerOptions } from './framework/controller.js';
export type { ControllerContext } from './framework/context.js';
export { selectControllers, type ControllerDescriptor } from './framework/registry.js';
export { DEFAULT_CONTROLLER_SETTINGS, type ControllerSettings } from './framework/settings.js';
export { ControllerMetrics } from './framework/metrics.js';
export { CONTROLLERS } from './registry.js';
