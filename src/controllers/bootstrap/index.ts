// The bootstrap token controllers' registration.

import type { ControllerDescriptor } from '../framework/registry.js';
import { TokenCleaner } from './tokencleaner.js';

export const tokenCleanerController: ControllerDescriptor = { name: 'tokencleaner', create: (ctx) => new TokenCleaner(ctx) };
