// PATCH bodies applied to the current object, by Content-Type: JSON Patch, JSON merge patch and
// strategic merge patch (with the kind's patch strategies from its OpenAPI schema). Patch
// failures become the Status Kubernetes answers with.

import type { KubeObject } from '../../api/object.js';
import { failureStatus, StatusError } from '../../api/status.js';
import { newBadRequest } from '../../api/status-errors.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import type { JsonValue } from '../patch/json-value.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { PatchError } from '../patch/patch-error.js';
import type { PatchMeta } from '../patch/patch-meta.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

export function applyPatch(type: string, current: KubeObject, body: Buffer, meta: PatchMeta): KubeObject {
  let patch: JsonValue;
  try {
    patch = JSON.parse(body.toString('utf8')) as JsonValue;
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
    if (err instanceof PatchError) throw new StatusError(failureStatus(err.code, err.reason, err.message));
    throw err;
  }
}
