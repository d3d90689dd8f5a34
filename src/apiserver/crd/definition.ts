// A CustomResourceDefinition version → the ResourceDefinition the catalog serves: names from the
// CRD's accepted names, scope, all verbs, the status subresource when the version asks for it,
// additionalPrinterColumns as table columns, selectableFields as field selectors, and the custom
// strategies. Definitions made here remember their CRD version, which gives the lookups the rest
// of the server needs: the schema to publish in OpenAPI and the unknown (pruned) fields of a body.

import type { CustomResourceDefinition, CustomResourceDefinitionNames, CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { Schema } from '../openapi/types.js';
import { ALL_VERBS, type ResourceDefinition } from '../registry/resource.js';
import { firstResult, parseJsonPath, printValue } from './jsonpath.js';
import { printerColumns } from './printer-columns.js';
import { SchemaValidator } from './schema-validator.js';
import { customResourceStatusStrategy, customResourceStrategy, type CustomResourceVersion } from './strategy.js';
import { unknownFieldPaths } from './structural.js';

type CRD = CustomResourceDefinition;

const versions = new WeakMap<ResourceDefinition, CustomResourceVersion>();

/** The CRD version a definition serves, or undefined for built-in kinds. */
export function customResourceVersionOf(def: ResourceDefinition): CustomResourceVersion | undefined {
  return versions.get(def);
}

export function isCustomResource(def: ResourceDefinition): boolean {
  return versions.has(def);
}

/** The names a CRD is served under: its accepted names once it has them, else the requested ones. */
export function servedNames(crd: CRD): CustomResourceDefinitionNames {
  const accepted = crd.status?.acceptedNames;
  return accepted?.kind && accepted.plural ? accepted : crd.spec.names;
}

/** The field selectors of a version's selectableFields ("spec.color" for jsonPath ".spec.color"). */
function selectableFields(version: CustomResourceDefinitionVersion): ResourceDefinition['fields'] {
  const fields: NonNullable<ResourceDefinition['fields']> = {};
  for (const f of version.selectableFields ?? []) {
    let segments;
    try {
      segments = parseJsonPath(f.jsonPath);
    } catch {
      continue;
    }
    fields[f.jsonPath.replace(/^\./, '')] = (obj: KubeObject) => {
      const v = firstResult(segments, obj);
      return v === null || typeof v === 'object' ? undefined : printValue(v);
    };
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

export interface DefinitionOptions {
  /** Names to serve under (default: servedNames(crd)). */
  names?: CustomResourceDefinitionNames;
  /** Shared terminating flag of the CRD's versions. */
  state?: { terminating: boolean };
}

/** The ResourceDefinition of one version of a CRD. */
export function customResourceDefinition(crd: CRD, versionName: string, options: DefinitionOptions = {}): ResourceDefinition {
  const version = crd.spec.versions.find((v) => v.name === versionName);
  if (!version) throw new Error(`CRD ${crd.metadata?.name ?? ''} has no version ${versionName}`);
  const names = options.names ?? servedNames(crd);
  const schema = version.schema?.openAPIV3Schema as Schema | undefined;
  const hasStatus = version.subresources?.status !== undefined && version.subresources.status !== null;
  const cr: CustomResourceVersion = {
    crdName: crd.metadata?.name ?? `${names.plural}.${crd.spec.group}`,
    group: crd.spec.group,
    version: version.name,
    kind: names.kind,
    plural: names.plural,
    schema,
    validator: schema ? new SchemaValidator(schema) : undefined,
    hasStatus,
    preserveUnknownFields: crd.spec.preserveUnknownFields === true,
    state: options.state ?? { terminating: false },
  };
  const def: ResourceDefinition<KubeObject & Record<string, unknown>> = {
    group: crd.spec.group,
    version: version.name,
    kind: names.kind,
    resource: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    namespaced: crd.spec.scope !== 'Cluster',
    shortNames: names.shortNames?.length ? [...names.shortNames] : undefined,
    categories: names.categories?.length ? [...names.categories] : undefined,
    verbs: [...ALL_VERBS],
    strategy: customResourceStrategy(cr),
    columns: printerColumns(version.additionalPrinterColumns),
    fields: selectableFields(version),
    hasStatus,
    subresources: hasStatus
      ? [{ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'], strategy: customResourceStatusStrategy(cr) }]
      : undefined,
  };
  const untyped = def as unknown as ResourceDefinition;
  versions.set(untyped, cr);
  return untyped;
}

/** The definitions of every served version of a CRD, storage version first. */
export function customResourceDefinitions(crd: CRD, options: DefinitionOptions = {}): ResourceDefinition[] {
  const state = options.state ?? { terminating: false };
  return [...crd.spec.versions]
    .filter((v) => v.served)
    .sort((a, b) => Number(b.storage) - Number(a.storage))
    .map((v) => customResourceDefinition(crd, v.name, { ...options, state }));
}

/**
 * Unknown fields of a request body for a custom resource: the paths pruning would drop
 * ("spec.foo", "metadata.bar"); undefined for a built-in kind (ask the OpenAPI schemas).
 */
export function customResourceUnknownFields(def: ResourceDefinition, obj: unknown): string[] | undefined {
  const cr = versions.get(def);
  if (!cr) return undefined;
  if (cr.preserveUnknownFields) return [];
  return unknownFieldPaths(obj, cr.schema);
}

/**
 * The schema to publish in OpenAPI for a custom resource (OpenApiResource.schema): the version's
 * openAPIV3Schema without apiVersion, kind and metadata, which the OpenAPI builder supplies.
 * undefined for built-in kinds.
 */
export function customResourceOpenApiSchema(def: ResourceDefinition): Schema | undefined {
  const cr = versions.get(def);
  if (!cr) return undefined;
  const schema: Schema = structuredClone(cr.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  if (schema.properties) {
    const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = schema.properties;
    schema.properties = rest;
  }
  return schema;
}
