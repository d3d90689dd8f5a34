// OpenAPI for the API server: /openapi/v2 and /openapi/v3 documents built from the generated
// definitions of the built-in kinds plus the served resources, and strict field validation.

export type { Definitions, GroupVersionKind, OpenApiResource, Schema } from './types.js';
export { DEFINITIONS_FILE, OpenApiDefinitions, loadDefinitions, loadDefinitionsFrom, packageRoot } from './definitions.js';
export { OpenApi, createOpenApi, customResourceDefinitionName, type OpenApiOptions, type OpenApiPayload } from './openapi.js';
export { serveOpenApi, acceptsJson, type OpenApiHttpRequest, type OpenApiHttpResponse } from './http.js';
export { MAX_UNKNOWN_FIELDS, schemaAtPath, strictDecodingErrorMessage, unknownFieldMessage } from './unknown-fields.js';

import { loadDefinitions } from './definitions.js';
import { findUnknownFields as find } from './unknown-fields.js';

/**
 * Unknown fields of `object` against a built-in definition, e.g.
 * findUnknownFields('io.k8s.api.core.v1.Pod', pod) → ['spec.containers[0].imagee'].
 */
export function findUnknownFields(kindDefinitionName: string, object: unknown): string[] {
  return find(loadDefinitions(), kindDefinitionName, object);
}
