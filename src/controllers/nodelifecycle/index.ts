// The node lifecycle and taint eviction controllers' registrations.

import type { ControllerDescriptor } from '../framework/registry.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

export const nodeLifecycleController: ControllerDescriptor = {
  name: 'nodelifecycle',
  create: (ctx) => new NodeLifecycleController(ctx),
};

export const taintEvictionController: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  create: (ctx) => new TaintEvictionController(ctx),
};
