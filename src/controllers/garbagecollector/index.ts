// The garbage collector's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { GarbageCollector } from './garbage-collector.js';

export const garbageCollectorController: ControllerDescriptor = {
  name: 'garbagecollector',
  create: (ctx) => new GarbageCollector(ctx),
};
