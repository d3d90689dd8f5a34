// Storage errors → Kubernetes Status errors, as kube-apiserver's storage/errors package maps them
// for each verb.

import {
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newInternalError,
  newNotFound,
  newRequestEntityTooLarge,
  newResourceExpired,
  newServiceUnavailable,
  newTooLargeResourceVersion,
} from '../../api/status-errors.js';
import type { StatusError } from '../../api/status.js';
import { isStorageError } from '../../storage/errors.js';

export interface ErrorTarget {
  group: string;
  resource: string;
  name?: string;
}

/** Maps a thrown storage error onto a StatusError; anything else passes through unchanged. */
export function interpretStorageError(err: unknown, target: ErrorTarget): unknown {
  if (!isStorageError(err)) return err;
  const qr = { group: target.group, resource: target.resource };
  const name = target.name ?? '';
  switch (err.code) {
    case 'KeyNotFound':
      return newNotFound(qr, name);
    case 'KeyExists':
      return newAlreadyExists(qr, name);
    case 'ResourceVersionConflicts':
      return newConflict(qr, name, 'the object has been modified; please apply your changes to the latest version and try again');
    case 'InvalidObj':
      return newConflict(qr, name, err.message);
    case 'Expired':
      return newResourceExpired(err.message);
    case 'TooLargeResourceVersion':
      return newTooLargeResourceVersion(err.requested ?? '', err.revision ?? '', 1);
    case 'RequestTooLarge':
      return newRequestEntityTooLarge(err.message);
    case 'InvalidArgument':
      return newBadRequest(err.message);
    case 'Unreachable':
    case 'Closed':
      return newServiceUnavailable(err.message);
    default:
      return newInternalError(err);
  }
}

/** Throws the Status form of `err` (for use in catch blocks). */
export function rethrowAsStatus(err: unknown, target: ErrorTarget): never {
  throw interpretStorageError(err, target) as StatusError | Error;
}
