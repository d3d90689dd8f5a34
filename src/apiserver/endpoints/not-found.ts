// kube-apiserver's answer for a path it does not serve, as a Status.

import { newNotFound } from '../../api/status-errors.js';
import type { StatusError } from '../../api/status.js';

export function notFoundPath(): StatusError {
  const err = newNotFound({ group: '', resource: '' }, '');
  err.status.message = 'the server could not find the requested resource';
  return err;
}
