// OpenAPI for the running server: the documents of src/apiserver/openapi built from the catalog
// (rebuilt when the served resources change), served over HTTP, and the per-kind schema lookups
// requests need — unknown fields for fieldValidation, patch strategies for strategic merge patch.

import { createOpenApi, serveOpenApi, type OpenApi } from '../openapi/index.js';
import { checkTypes } from '../openapi/decode-types.js';
import { customResourceOpenApiSchema, isCustomResource } from '../crd/index.js';
import { newBadRequest, newMethodNotSupported, newNotAcceptable } from '../../api/status-errors.js';
import { NO_PATCH_META, type PatchMeta } from '../patch/patch-meta.js';
import { patchMetaFromSchemas, type SchemaNode } from '../patch/schema-patch-meta.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import { verbsOf, type ResourceDefinition } from '../registry/resource.js';
import type { ApiRequest, ApiResponse } from './http.js';
import { notFoundPath } from './not-found.js';

export class OpenApiService {
  private api?: OpenApi;
  private readonly patchMetas = new Map<ResourceDefinition, PatchMeta>();

  constructor(
    private readonly catalog: ResourceCatalog,
    private readonly now: () => number,
  ) {
    catalog.onChange(() => {
      this.api = undefined;
      this.patchMetas.clear();
    });
  }

  private get openApi(): OpenApi {
    this.api ??= createOpenApi(
      this.catalog.all().map((def) => ({
        group: def.group,
        version: def.version,
        kind: def.kind,
        resource: def.resource,
        namespaced: def.namespaced,
        verbs: [...verbsOf(def)],
        subresources: (def.subresources ?? []).map((s) => s.name),
        schema: customResourceOpenApiSchema(def),
      })),
    );
    return this.api;
  }

  serve(req: ApiRequest, res: ApiResponse, path: string, query: URLSearchParams): void {
    const answer = serveOpenApi(this.openApi, {
      method: req.method ?? 'GET',
      path,
      query,
      accept: req.headers.accept,
      ifNoneMatch: req.headers['if-none-match'] as string | undefined,
      now: new Date(this.now()),
    });
    if (!answer || answer.status === 404) throw notFoundPath();
    if (answer.status === 406) throw newNotAcceptable(['application/json']);
    if (answer.status === 405) throw newMethodNotSupported({ group: '', resource: 'openapi' }, (req.method ?? 'GET').toLowerCase());
    res.writeHead(answer.status, answer.headers);
    if (answer.body) res.end(answer.body);
    else res.end();
  }

  unknownFields(def: ResourceDefinition, obj: unknown): string[] {
    const api = this.openApi;
    if (!api.definitionNameOf({ group: def.group, version: def.version, kind: def.kind })) return [];
    return api.findUnknownFields({ group: def.group, version: def.version, kind: def.kind }, obj);
  }

  /** Refuses a value of the wrong JSON type for its kind's schema (400, as Go's typed decoding
   *  does) and drops nulls; a no-op for kinds without a built-in schema. */
  checkTypes(def: ResourceDefinition, obj: unknown): void {
    // Custom objects decode untyped; their schema validation answers with 422s instead.
    if (isCustomResource(def)) return;
    const api = this.openApi;
    const name = api.definitionNameOf({ group: def.group, version: def.version, kind: def.kind });
    if (!name) return;
    const error = checkTypes(api.definitions, name, def.kind, obj);
    if (error) throw newBadRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${error}`);
  }

  patchMeta(def: ResourceDefinition): PatchMeta {
    let meta = this.patchMetas.get(def);
    if (!meta) {
      const api = this.openApi;
      const name = api.definitionNameOf({ group: def.group, version: def.version, kind: def.kind });
      meta = name
        ? patchMetaFromSchemas(api.definitions.definitions as unknown as Record<string, SchemaNode>, name)
        : NO_PATCH_META;
      this.patchMetas.set(def, meta);
    }
    return meta;
  }
}
