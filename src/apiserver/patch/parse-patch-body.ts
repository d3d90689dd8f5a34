// parsePatchBody: decodes a PATCH request body; text that is not JSON is a 400 as in Kubernetes.

import type { JsonValue } from './json-value.js';
import { badRequest } from './patch-error.js';

export function parsePatchBody(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}
