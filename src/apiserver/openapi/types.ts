// Shapes shared by the OpenAPI builders: the served-resource list the registry hands over, the
// JSON Schema subset Kubernetes' definitions use, and group/version/kind triples.

/** One resource the API server serves, as the registry describes it to the OpenAPI builders. */
export interface OpenApiResource {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. 'pods'. */
  resource: string;
  namespaced: boolean;
  /** Kubernetes verbs: get, list, watch, create, update, patch, delete, deletecollection. */
  verbs: string[];
  /**
   * Subresource names, e.g. ['status', 'scale', 'log']. Known ones get kube-apiserver's operations
   * (status/scale/ephemeralcontainers/approval: get, put, patch; binding/eviction/token: post;
   * log: get; exec/attach/portforward/proxy: connect); any other is treated like 'status'.
   */
  subresources?: string[];
  /**
   * The kind's schema when it is not a built-in kind (a custom resource's openAPIV3Schema). It is
   * published as `<reversed group>.<version>.<kind>` (e.g. com.example.v1.CronTab), as
   * kube-apiserver names custom resources. Built-in kinds leave this out.
   */
  schema?: Schema;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** An OpenAPI schema object (the JSON Schema subset and x-kubernetes-* extensions Kubernetes uses). */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [extension: string]: unknown;
}

/** Definitions by Kubernetes name (io.k8s.api.core.v1.Pod, ...); $refs are '#/components/schemas/<name>'. */
export type Definitions = Record<string, Schema>;

export const SCHEMA_REF_PREFIX = '#/components/schemas/';
