// The certificate controllers' registrations (kube-controller-manager's csrapproving and csrsigning).

import type { ControllerDescriptor } from '../framework/registry.js';
import { CsrApprover } from './approver.js';
import { CsrSigner } from './signer.js';

export const csrApprovingController: ControllerDescriptor = { name: 'csrapproving', create: (ctx) => new CsrApprover(ctx) };
export const csrSigningController: ControllerDescriptor = { name: 'csrsigning', create: (ctx) => new CsrSigner(ctx) };
