// OpenAPI for the running server: the documents of src/apiserver/openapi built from the catalog
// (rebuilt when the served resources change), served over HTTP, and the per-kind schema lookups
// requests need — unknown fields for fieldValidation, patch strategies for strategic merge patch.

import { createOpenApi, serveOpenApi, type OpenApi } from '../openapi/index.js';
import { NO_PATCH_META, type PatchMeta } from '../patch/patch-meta.js';
import { patchMetaFromSchemas, type SchemaNode } from '../patch/schema-patch-meta.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import { verbsOf, type ResourceDefinition } from '../registry/resource.js';
import type { ApiRequest, ApiResponse } from './http.js';

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
    if (!answer) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    res.writeHead(answer.status, answer.headers);
    if (answer.body) res.end(answer.body);
    else res.end();
  }

  unknownFields(def: ResourceDefinition, obj: unknown): string[] {
    const api = this.openApi;
    if (!api.definitionNameOf({ group: def.group, version: def.version, kind: def.kind })) return [];
    return api.findUnknownFields({ group: def.group, version: def.version, kind: def.kind }, obj);
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
