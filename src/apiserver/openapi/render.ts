// Renders the neutral operation model (operations.ts) and the definitions as OpenAPI 3.0 (the
// per-group-version documents of /openapi/v3) and Swagger 2.0 (/openapi/v2).

import { refName } from './definitions.js';
import type { Operation, Param, PathItem, Payload } from './operations.js';
import { SCHEMA_REF_PREFIX, type Schema } from './types.js';

type Json = Record<string, unknown>;

// --- OpenAPI 3 --------------------------------------------------------------------------------

function v3Param(p: Param): Json {
  const out: Json = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

function v3Payload(payload: Payload): Json {
  return 'ref' in payload ? { $ref: SCHEMA_REF_PREFIX + payload.ref } : { type: payload.type };
}

function extensions(o: Operation, out: Json): void {
  if (o.action) out['x-kubernetes-action'] = o.action;
  if (o.gvk.kind) out['x-kubernetes-group-version-kind'] = { group: o.gvk.group, kind: o.gvk.kind, version: o.gvk.version };
}

function v3Operation(o: Operation): Json {
  const out: Json = { description: o.description, operationId: o.operationId };
  if (o.params.length > 0) out.parameters = o.params.map(v3Param);
  if (o.body) {
    const content: Json = {};
    for (const type of o.body.contentTypes) content[type] = { schema: v3Payload(o.body.payload) };
    out.requestBody = o.body.required ? { content, required: true } : { content };
  }
  const responses: Json = {};
  for (const r of o.responses) {
    const response: Json = {};
    if (r.payload && r.contentTypes.length > 0) {
      const content: Json = {};
      for (const type of r.contentTypes) content[type] = { schema: v3Payload(r.payload) };
      response.content = content;
    }
    response.description = r.description;
    responses[r.code] = response;
  }
  out.responses = responses;
  out.tags = [o.tag];
  extensions(o, out);
  return out;
}

export function v3Paths(items: PathItem[]): Json {
  const paths: Json = {};
  for (const item of [...items].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))) {
    const out: Json = {};
    for (const o of [...item.operations].sort((x, y) => x.method.localeCompare(y.method))) out[o.method] = v3Operation(o);
    if (item.params.length > 0) out.parameters = item.params.map(v3Param);
    paths[item.path] = out;
  }
  return paths;
}

// --- Swagger 2 --------------------------------------------------------------------------------

/** A definition rewritten for Swagger 2.0: #/definitions/ refs, no oneOf, $ref with siblings instead of allOf. */
export function v2Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(v2Schema);
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Schema;
  const out: Json = {};
  if (s.allOf?.length === 1 && typeof s.allOf[0]?.$ref === 'string' && Object.keys(s.allOf[0]).length === 1) {
    out.$ref = v2Ref(s.allOf[0].$ref);
  }
  for (const [key, value] of Object.entries(s)) {
    if (key === 'allOf' && out.$ref !== undefined) continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = v2Ref(value);
    else if (key === 'oneOf' && (s['x-kubernetes-int-or-string'] || s.format === 'int-or-string')) continue;
    else if (key === 'x-kubernetes-group-version-kind') out[key] = value;
    else out[key] = v2Schema(value);
  }
  if (s.oneOf && (s['x-kubernetes-int-or-string'] || s.format === 'int-or-string')) {
    out.type = 'string';
    if (!out.format) out.format = 'int-or-string';
  }
  return out;
}

function v2Ref(ref: string): string {
  const name = refName(ref);
  return name === undefined ? ref : `#/definitions/${name}`;
}

function v2Param(p: Param): Json {
  const out: Json = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.type = p.type;
  out.uniqueItems = true;
  return out;
}

function v2Payload(payload: Payload): Json {
  return 'ref' in payload ? { $ref: `#/definitions/${payload.ref}` } : { type: payload.type };
}

function v2Operation(o: Operation): Json {
  const out: Json = { description: o.description, operationId: o.operationId };
  if (o.body) out.consumes = o.body.contentTypes;
  const produces = [...new Set(o.responses.flatMap((r) => r.contentTypes))];
  if (produces.length > 0) out.produces = produces;
  out.schemes = ['https'];
  const params: Json[] = [];
  if (o.body) {
    const body: Json = { in: 'body', name: 'body', schema: v2Payload(o.body.payload) };
    if (o.body.required) body.required = true;
    params.push(body);
  }
  params.push(...o.params.map(v2Param));
  if (params.length > 0) out.parameters = params;
  const responses: Json = {};
  for (const r of o.responses) {
    const response: Json = { description: r.description };
    if (r.payload && r.contentTypes.length > 0) response.schema = v2Payload(r.payload);
    responses[r.code] = response;
  }
  out.responses = responses;
  out.tags = [o.tag];
  extensions(o, out);
  return out;
}

export function v2Paths(items: PathItem[]): Json {
  const paths: Json = {};
  for (const item of [...items].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))) {
    const out: Json = {};
    for (const o of [...item.operations].sort((x, y) => x.method.localeCompare(y.method))) out[o.method] = v2Operation(o);
    if (item.params.length > 0) out.parameters = item.params.map(v2Param);
    paths[item.path] = out;
  }
  return paths;
}
