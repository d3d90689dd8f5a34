// The OpenAPI documents of a set of served resources: the /openapi/v3 index, one OpenAPI 3.0
// document per group version (/openapi/v3/api/v1, /openapi/v3/apis/apps/v1, ...) and the Swagger
// 2.0 document of /openapi/v2, each built once and kept serialized with its content hash.
// Build a new OpenApi when the served resources change (a CRD is added); documents are immutable.

import { createHash } from 'node:crypto';
import { loadDefinitions, type OpenApiDefinitions } from './definitions.js';
import {
  API_RESOURCE_LIST,
  DELETE_OPTIONS,
  META,
  PATCH,
  STATUS,
  WATCH_EVENT,
  groupVersionPath,
  groupVersionRootPath,
  resourcePaths,
  type PathItem,
  type ResourceSchemas,
} from './operations.js';
import { v2Paths, v2Schema, v3Paths } from './render.js';
import { findUnknownFields } from './unknown-fields.js';
import { SCHEMA_REF_PREFIX, type Definitions, type GroupVersionKind, type OpenApiResource, type Schema } from './types.js';

export interface OpenApiOptions {
  /** Defaults to the built-in definitions (generated/openapi-definitions.json). */
  definitions?: OpenApiDefinitions;
  /** info.version of the v2 document, e.g. 'v1.32.0'; v3 documents say 'unversioned' as kube-apiserver's do. */
  version?: string;
}

/** A serialized document with its content hash (SHA-512, upper-case hex, as kube-apiserver computes it). */
export interface OpenApiPayload {
  body: Buffer;
  hash: string;
  /** the hash quoted, for the ETag header */
  etag: string;
  contentType: 'application/json';
}

interface GroupVersionEntry {
  group: string;
  version: string;
  resources: OpenApiResource[];
}

const SUBRESOURCE_DEFINITIONS: Record<string, string> = {
  scale: 'io.k8s.api.autoscaling.v1.Scale',
  binding: 'io.k8s.api.core.v1.Binding',
  eviction: 'io.k8s.api.policy.v1.Eviction',
  token: 'io.k8s.api.authentication.v1.TokenRequest',
};

function payload(value: unknown): OpenApiPayload {
  const body = Buffer.from(JSON.stringify(value));
  const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  return { body, hash, etag: `"${hash}"`, contentType: 'application/json' };
}

/** kube-apiserver's name for a custom resource's schema: stable.example.com/v1 CronTab → com.example.stable.v1.CronTab. */
export function customResourceDefinitionName(gvk: GroupVersionKind): string {
  return `${gvk.group.split('.').reverse().join('.')}.${gvk.version}.${gvk.kind}`;
}

function customResourceSchemas(r: OpenApiResource, schema: Schema): Definitions {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const name = customResourceDefinitionName(gvk);
  const properties: Record<string, Schema> = {
    apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
    metadata: { allOf: [{ $ref: `${SCHEMA_REF_PREFIX}${META}.ObjectMeta` }], description: "Standard object's metadata." },
    ...(schema.properties ?? {}),
  };
  const kind: Schema = { ...schema, type: 'object', properties, 'x-kubernetes-group-version-kind': [gvk] };
  const list: Schema = {
    description: `${r.kind}List is a list of ${r.kind}`,
    type: 'object',
    properties: {
      apiVersion: properties.apiVersion!,
      items: { type: 'array', items: { $ref: SCHEMA_REF_PREFIX + name }, description: `List of ${r.resource}.` },
      kind: properties.kind!,
      metadata: { allOf: [{ $ref: `${SCHEMA_REF_PREFIX}${META}.ListMeta` }], description: 'Standard list metadata.' },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${r.kind}List` }],
  };
  return { [name]: kind, [`${name}List`]: list };
}

export class OpenApi {
  readonly definitions: OpenApiDefinitions;
  private readonly version: string;
  private readonly groupVersions = new Map<string, GroupVersionEntry>();
  private readonly v3Cache = new Map<string, OpenApiPayload>();
  private index: OpenApiPayload | undefined;
  private v2: OpenApiPayload | undefined;

  constructor(resources: readonly OpenApiResource[], options: OpenApiOptions = {}) {
    let definitions = options.definitions ?? loadDefinitions();
    const extra: Definitions = {};
    for (const r of resources) if (r.schema) Object.assign(extra, customResourceSchemas(r, r.schema));
    this.definitions = definitions = definitions.with(extra);
    this.version = options.version ?? 'unversioned';
    for (const r of [...resources].sort((x, y) => x.resource.localeCompare(y.resource))) {
      const path = groupVersionPath(r.group, r.version);
      let entry = this.groupVersions.get(path);
      if (!entry) {
        entry = { group: r.group, version: r.version, resources: [] };
        this.groupVersions.set(path, entry);
      }
      entry.resources.push(r);
    }
  }

  /** The group-version paths served, sorted: ['api/v1', 'apis/apps/v1', ...]. */
  groupVersionPaths(): string[] {
    return [...this.groupVersions.keys()].sort();
  }

  /** The definition name of a served or built-in kind. */
  definitionNameOf(gvk: GroupVersionKind): string | undefined {
    const custom = customResourceDefinitionName(gvk);
    if (gvk.group !== '' && this.definitions.has(custom) && !this.definitions.nameOfKind(gvk)) return custom;
    return this.definitions.nameOfKind(gvk);
  }

  private schemasOf(r: OpenApiResource): ResourceSchemas {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    if (r.schema) {
      const name = customResourceDefinitionName(gvk);
      return { kind: name, list: `${name}List`, strategicMerge: false };
    }
    const kind = this.definitions.nameOfKind(gvk);
    const list = this.definitions.nameOfKind({ ...gvk, kind: `${r.kind}List` });
    const out: ResourceSchemas = { strategicMerge: kind !== undefined };
    if (kind) out.kind = kind;
    if (list) out.list = list;
    return out;
  }

  private pathsOf(entry: GroupVersionEntry): { paths: PathItem[]; roots: string[] } {
    const paths: PathItem[] = [groupVersionRootPath(entry.group, entry.version)];
    const roots = [STATUS, DELETE_OPTIONS, WATCH_EVENT, PATCH, API_RESOURCE_LIST];
    for (const r of entry.resources) {
      const schemas = this.schemasOf(r);
      paths.push(...resourcePaths(r, schemas));
      if (schemas.kind) roots.push(schemas.kind);
      if (schemas.list) roots.push(schemas.list);
      for (const sub of r.subresources ?? []) {
        const def = SUBRESOURCE_DEFINITIONS[sub];
        if (def) roots.push(def);
      }
    }
    return { paths, roots };
  }

  /** The OpenAPI 3.0 document of one group version ("api/v1", "apis/apps/v1"), or undefined if not served. */
  v3DocumentObject(groupVersion: string): Record<string, unknown> | undefined {
    const entry = this.groupVersions.get(groupVersion.replace(/^\/+|\/+$/g, ''));
    if (!entry) return undefined;
    const { paths, roots } = this.pathsOf(entry);
    const schemas: Record<string, Schema> = {};
    for (const name of this.definitions.reachable(roots)) schemas[name] = this.definitions.get(name)!;
    return {
      components: { schemas },
      info: { title: 'Kubernetes', version: 'unversioned' },
      openapi: '3.0.0',
      paths: v3Paths(paths),
    };
  }

  /** /openapi/v3/<groupVersion>, serialized and cached. */
  openApiV3Document(groupVersion: string): OpenApiPayload | undefined {
    const key = groupVersion.replace(/^\/+|\/+$/g, '');
    const cached = this.v3Cache.get(key);
    if (cached) return cached;
    const doc = this.v3DocumentObject(key);
    if (!doc) return undefined;
    const p = payload(doc);
    this.v3Cache.set(key, p);
    return p;
  }

  /** /openapi/v3: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}, ...}}. */
  openApiV3Index(): OpenApiPayload {
    if (this.index) return this.index;
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of this.groupVersionPaths()) {
      const doc = this.openApiV3Document(gv)!;
      paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${doc.hash}` };
    }
    this.index = payload({ paths });
    return this.index;
  }

  /** The Swagger 2.0 document of every served group version (JSON; kubectl itself reads /openapi/v2 only as protobuf). */
  v2DocumentObject(): Record<string, unknown> {
    const allPaths: PathItem[] = [];
    const roots = new Set<string>();
    for (const gv of this.groupVersionPaths()) {
      const { paths, roots: r } = this.pathsOf(this.groupVersions.get(gv)!);
      allPaths.push(...paths);
      for (const name of r) roots.add(name);
    }
    const definitions: Record<string, unknown> = {};
    for (const name of this.definitions.reachable(roots)) definitions[name] = v2Schema(this.definitions.get(name));
    return {
      definitions,
      info: { title: 'Kubernetes', version: this.version },
      paths: v2Paths(allPaths),
      swagger: '2.0',
    };
  }

  openApiV2(): OpenApiPayload {
    this.v2 ??= payload(this.v2DocumentObject());
    return this.v2;
  }

  /**
   * Unknown fields of `object` for strict field validation, e.g. ['spec.containers[0].imagee'];
   * `kind` is a definition name or a group/version/kind. Unknown kinds have no unknown fields.
   */
  findUnknownFields(kind: string | GroupVersionKind, object: unknown): string[] {
    const name = typeof kind === 'string' ? kind : this.definitionNameOf(kind);
    return name ? findUnknownFields(this.definitions, name, object) : [];
  }
}

export function createOpenApi(resources: readonly OpenApiResource[], options?: OpenApiOptions): OpenApi {
  return new OpenApi(resources, options);
}
