// The namespace controller's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { NamespaceController } from './namespace-controller.js';

export const namespaceController: ControllerDescriptor = {
  name: 'namespace',
  create: (ctx) => new NamespaceController(ctx),
};
