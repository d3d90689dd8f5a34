// PATCH bodies applied to the current object, by Content-Type: JSON Patch, JSON merge patch and
// strategic merge patch (with the kind's patch strategies from its OpenAPI schema). Patch
// failures become the Status Kubernetes answers with.

import type { KubeObject } from '../../api/object.js';
import { failureStatus, StatusError } from '../../api/status.js';
import { newBadRequest } from '../../api/status-errors.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { findDuplicateKeys } from './decode.js';
import type { JsonValue } from '../patch/json-value.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { PatchError } from '../patch/patch-error.js';
import type { PatchMeta } from '../patch/patch-meta.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

export function applyPatch(type: string, current: KubeObject, body: Buffer, meta: PatchMeta): KubeObject {
  let patch: JsonValue;
  const text = body.toString('utf8');
  findDuplicateKeys(text); // refuses hostile nesting before the recursive patch code sees it
  try {
    patch = JSON.parse(text) as JsonValue;
  } catch (err) {
    throw newBadRequest(`error decoding patch: ${(err as Error).message}`);
  }
  const doc = structuredClone(current) as unknown as JsonValue;
  try {
    let result: JsonValue;
    if (type === 'application/json-patch+json') result = applyJsonPatch(doc, patch);
    else if (type === 'application/merge-patch+json') result = applyMergePatch(doc, patch);
    else result = applyStrategicMergePatch(doc, patch, meta);
    if (result === null || typeof result !== 'object' || Array.isArray(result)) {
      throw newBadRequest('the patch did not produce an object');
    }
    return result as unknown as KubeObject;
  } catch (err) {
    if (err instanceof PatchError) {
      // Kubernetes answers the remaining strategic-merge errors as 500s; they are the client's
      // malformed patch, so Kite answers 400.
      const message = err.message.length > 1024 ? `${err.message.slice(0, 1021)}...` : err.message;
      if (err.code >= 500) throw newBadRequest(message);
      throw new StatusError(failureStatus(err.code, err.reason, message));
    }
    throw err;
  }
}
