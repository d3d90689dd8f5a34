// The resource endpoints: one request (already authenticated and authorized) against one served
// resource, dispatched by verb to the generic REST store — get, list, watch, create, update,
// patch, delete, deletecollection, the status subresource, and the handlers of scale, binding,
// eviction and serviceaccounts/token.

import type { KubeObject } from '../../api/object.js';
import {
  newBadRequest,
  newMethodNotSupported,
  newNotFound,
  newUnsupportedMediaType,
} from '../../api/status-errors.js';
import type { DeleteOptions, RestStore } from '../registry/rest-store.js';
import { apiVersionOf, verbsOf, type ResourceDefinition, type Strategy, type Verb } from '../registry/resource.js';
import { assertAcceptable } from './accept.js';
import { decodeBody, mediaType } from './decode.js';
import { readBody, writeJson, type ApiRequest, type ApiResponse } from './http.js';
import type { RequestInfo } from './request-info.js';
import { buildPredicate } from './predicate.js';
import { toTable, wantsTable, type IncludeObject } from './table.js';
import { serveWatch } from './watch.js';
import { handleScale } from './scale.js';
import { handleBinding } from './pod-binding.js';
import { handleEviction } from './pod-eviction.js';
import { handleTokenRequest } from './serviceaccount-token.js';
import { applyPatch, PATCH_TYPES } from './patch.js';
import { checkFields, type FieldValidation } from './field-validation.js';
import type { ResourceContext } from './context.js';


type Obj = KubeObject & Record<string, unknown>;

export async function handleResource(
  req: ApiRequest,
  res: ApiResponse,
  info: RequestInfo,
  query: URLSearchParams,
  store: RestStore<Obj>,
  ctx: ResourceContext,
): Promise<void> {
  const def = store.def as unknown as ResourceDefinition;
  assertAcceptable(req.headers.accept);
  const ns = def.namespaced ? info.namespace : undefined;
  if (def.namespaced && !ns && info.verb !== 'list' && info.verb !== 'watch') {
    throw newBadRequest('the server could not find the requested resource: a namespace is required');
  }
  if (!def.namespaced && info.namespace) throw newNotFound({ group: def.group, resource: def.resource }, info.name ?? '');
  const sub = info.subresource;
  const allowed = sub ? def.subresources?.find((s) => s.name === sub)?.verbs : verbsOf(def);
  if (allowed && !allowed.includes(info.verb as Verb)) {
    throw newMethodNotSupported({ group: def.group, resource: sub ? `${def.resource}/${sub}` : def.resource }, info.verb);
  }
  if (!info.name && (info.verb === 'get' || info.verb === 'update' || info.verb === 'patch' || info.verb === 'delete')) {
    throw newMethodNotSupported({ group: def.group, resource: def.resource }, info.verb);
  }
  const dryRun = parseDryRun(query);
  const write = { dryRun, user: ctx.user };
  const name = info.name as string;
  if (sub === 'scale' && def.subresources?.some((s) => s.name === 'scale')) {
    return handleScale(req, res, info.verb, def, store as unknown as RestStore<KubeObject>, ns, name, write);
  }
  const now = () => new Date(Math.floor(ctx.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  if (def.group === '' && def.resource === 'pods' && sub === 'binding') {
    return handleBinding(req, res, store as unknown as RestStore<KubeObject>, ns, name, now, dryRun);
  }
  if (def.group === '' && def.resource === 'pods' && sub === 'eviction') {
    const budgets = ctx.storeFor('policy', 'v1', 'poddisruptionbudgets');
    return handleEviction(req, res, store as unknown as RestStore<KubeObject>, budgets, ns, name, now, dryRun);
  }
  if (def.group === '' && def.resource === 'serviceaccounts' && sub === 'token' && ctx.tokenRequests) {
    return handleTokenRequest(req, res, ns as string, name, ctx.tokenRequests);
  }
  // Subresources served by the generic store are those with their own update strategy (status,
  // finalize, …); the others (scale, binding, eviction, log, exec, …) have handlers of their own.
  const subStrategy = sub ? (def.subresources?.find((s) => s.name === sub)?.strategy as Strategy<Obj> | undefined) : undefined;
  if (sub && !subStrategy) throw newNotFound({ group: def.group, resource: def.resource }, info.name ?? '');

  switch (info.verb) {
    case 'get': {
      const obj = await store.get(ns, name, query.get('resourceVersion') ?? undefined);
      return respondObject(req, res, 200, def, obj, query, ctx);
    }
    case 'list': {
      const predicate = buildPredicate(def, query);
      const limitText = query.get('limit');
      if (limitText && !/^\d+$/.test(limitText)) throw newBadRequest(`invalid limit: ${limitText}`);
      // limit is an int64; anything beyond what one page could ever hold means "everything".
      const limit = limitText ? Math.min(Number(limitText), 2 ** 31 - 1) : undefined;
      const rvMatch = query.get('resourceVersionMatch') ?? undefined;
      if (rvMatch && rvMatch !== 'NotOlderThan' && rvMatch !== 'Exact') {
        throw newBadRequest(`resourceVersionMatch: Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan"`);
      }
      if (query.get('continue') && query.get('resourceVersion')) {
        throw newBadRequest('specifying resource version is not allowed when using continue');
      }
      const result = await store.list(ns, {
        predicate,
        limit,
        continue: query.get('continue') ?? undefined,
        resourceVersion: query.get('resourceVersion') ?? undefined,
        resourceVersionMatch: rvMatch as 'NotOlderThan' | 'Exact' | undefined,
      });
      if (wantsTable(req.headers.accept)) {
        return writeJson(
          res,
          200,
          toTable(def, result.items, {
            now: ctx.clock.now(),
            include: includeObject(query),
            resourceVersion: result.resourceVersion,
            continue: result.continue,
            remainingItemCount: result.remainingItemCount,
          }),
        );
      }
      const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
      if (result.continue) metadata.continue = result.continue;
      if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
      return writeJson(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata, items: result.items.map((o) => withTypeMeta(def, o)) });
    }
    case 'watch':
      return serveWatch(req, res, store, ns, query, ctx);
    case 'create': {
      if (info.name && !sub) throw newMethodNotSupported({ group: def.group, resource: def.resource }, 'create');
      const obj = await decodeObject(req, def, query, res, ctx);
      const created = await store.create(ns, obj, write);
      return respondObject(req, res, 201, def, created, query, ctx);
    }
    case 'update': {
      const obj = await decodeObject(req, def, query, res, ctx);
      const { object, created } = await store.update(ns, name, () => obj, {
        ...write,
        subresource: subStrategy,
        subresourceName: sub,
      });
      return respondObject(req, res, created ? 201 : 200, def, object, query, ctx);
    }
    case 'patch': {
      const type = mediaType(req.headers['content-type']);
      if (!PATCH_TYPES.includes(type)) throw newUnsupportedMediaType(PATCH_TYPES);
      const body = await readBody(req);
      const { object } = await store.update(
        ns,
        name,
        (current) => {
          if (!current) throw newNotFound({ group: def.group, resource: def.resource }, name);
          const patched = applyPatch(type, current, body, ctx.patchMeta(def)) as Obj;
          ctx.checkTypes(def, patched);
          checkFields(fieldValidation(query), ctx.unknownFields(def, patched), [], res);
          return patched;
        },
        { ...write, subresource: subStrategy, subresourceName: sub },
      );
      return respondObject(req, res, 200, def, object, query, ctx);
    }
    case 'delete': {
      const options = await deleteOptions(req, query, def);
      const result = await store.delete(ns, name, { ...options, ...write });
      if (!result.deleted) return respondObject(req, res, 200, def, result.object, query, ctx);
      return writeJson(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, group: def.group, kind: def.resource, uid: result.object.metadata?.uid },
      });
    }
    case 'deletecollection': {
      const options = await deleteOptions(req, query, def);
      const predicate = buildPredicate(def, query);
      const { items } = await store.list(ns, { predicate });
      const deleted: Obj[] = [];
      for (const item of items) {
        try {
          const r = await store.delete(item.metadata?.namespace, item.metadata?.name as string, { ...options, ...write });
          deleted.push(withTypeMeta(def, r.object));
        } catch (err) {
          if ((err as { code?: number }).code !== 404) throw err;
        }
      }
      return writeJson(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: {}, items: deleted });
    }
    default:
      throw newMethodNotSupported({ group: def.group, resource: def.resource }, info.verb);
  }
}

function respondObject(
  req: ApiRequest,
  res: ApiResponse,
  code: number,
  def: ResourceDefinition,
  obj: KubeObject,
  query: URLSearchParams,
  ctx: ResourceContext,
): void {
  if (wantsTable(req.headers.accept)) {
    return writeJson(res, code, toTable(def, [obj], { now: ctx.clock.now(), include: includeObject(query) }));
  }
  writeJson(res, code, withTypeMeta(def, obj));
}

export function withTypeMeta<T extends KubeObject>(def: ResourceDefinition, obj: T): T {
  if (obj.kind === def.kind && obj.apiVersion === apiVersionOf(def)) return obj;
  return { ...obj, kind: def.kind, apiVersion: apiVersionOf(def) };
}

async function decodeObject(
  req: ApiRequest,
  def: ResourceDefinition,
  query: URLSearchParams,
  res: ApiResponse,
  ctx: ResourceContext,
): Promise<Obj> {
  const body = await readBody(req);
  const { value, duplicates } = decodeBody(body, req.headers['content-type'], def);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw newBadRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
  }
  const obj = value as Obj;
  const expected = apiVersionOf(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw newBadRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw newBadRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind})`);
  }
  obj.apiVersion = expected;
  obj.kind = def.kind;
  ctx.checkTypes(def, obj);
  checkFields(fieldValidation(query), ctx.unknownFields(def, obj), duplicates, res);
  return obj;
}

function fieldValidation(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation') ?? 'Warn';
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore') {
    throw newBadRequest(`fieldValidation parameter must be one of: Ignore, Strict, Warn; got ${v}`);
  }
  return v;
}

function parseDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw newBadRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

function includeObject(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

async function deleteOptions(req: ApiRequest, query: URLSearchParams, def: ResourceDefinition): Promise<DeleteOptions> {
  const options: DeleteOptions = {};
  const body = await readBody(req);
  if (body.length > 0) {
    const { value } = decodeBody(body, req.headers['content-type'] ?? 'application/json', { group: def.group, version: def.version, kind: 'DeleteOptions' });
    const o = (value ?? {}) as {
      gracePeriodSeconds?: number;
      propagationPolicy?: DeleteOptions['propagationPolicy'];
      orphanDependents?: boolean;
      preconditions?: DeleteOptions['preconditions'];
    };
    if (o.gracePeriodSeconds !== undefined) options.gracePeriodSeconds = o.gracePeriodSeconds;
    if (o.propagationPolicy) options.propagationPolicy = o.propagationPolicy;
    else if (o.orphanDependents !== undefined) options.propagationPolicy = o.orphanDependents ? 'Orphan' : 'Background';
    if (o.preconditions) options.preconditions = o.preconditions;
  }
  const grace = query.get('gracePeriodSeconds');
  if (grace !== null) {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw newBadRequest(`invalid gracePeriodSeconds: ${grace}`);
    options.gracePeriodSeconds = n;
  }
  const policy = query.get('propagationPolicy');
  if (policy) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw newBadRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
    }
    options.propagationPolicy = policy;
  }
  return options;
}
