// The root CA publisher's registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { RootCaCertPublisher } from './publisher.js';

export const rootCaCertPublisherController: ControllerDescriptor = {
  name: 'root-ca-cert-publisher',
  create: (ctx) => new RootCaCertPublisher(ctx),
};
