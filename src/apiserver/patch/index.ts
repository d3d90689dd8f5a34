// The PATCH algorithms of kube-apiserver as pure functions over JSON values: JSON Patch (RFC 6902),
// JSON Merge Patch (RFC 7386) and strategic merge patch, with the errors Kubernetes answers with.

export type { JsonObject, JsonPrimitive, JsonValue } from './json-value.js';
export { PatchError, type PatchErrorKind } from './patch-error.js';
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export {
  type FieldPatchMeta,
  NO_PATCH_META,
  type PatchMeta,
  type PatchStrategy,
  lookupPatchMeta,
  parsePatchStrategy,
  patchMetaFromPaths,
} from './patch-meta.js';
export { type SchemaNode, patchMetaFromSchemas } from './schema-patch-meta.js';
export { parsePatchBody } from './parse-patch-body.js';
