// What the API server knows about one served resource: its names (for URLs, discovery and
// kubectl), its scope, and the small per-kind strategy the one generic REST store calls. A new
// built-in kind is a strategy file in kinds/ and one line in builtin.ts.

import type { FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/object.js';
import type { NameValidator } from '../../api/validation/generic.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Context a strategy sees: who asks, and the time (from the server's injected clock). */
export interface StrategyContext {
  /** RFC 3339 time, second precision, as Kubernetes stamps metadata. */
  now: string;
  namespace?: string;
  /** Who makes the request, when known (a CSR records its requester). */
  user?: { name: string; groups: string[] };
}

/** One column of a kubectl table (metav1.TableColumnDefinition). */
export interface TableColumn<T> {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0: shown always; 1 and more: only with -o wide. */
  priority?: number;
  cell: (obj: T, now: number) => string | number | boolean | null;
}

/** The per-kind policy the generic REST store applies (Kubernetes' RESTCreateStrategy and friends). */
export interface Strategy<T extends KubeObject = KubeObject> {
  /** Fill in defaults (Kubernetes' defaulting funcs) on create and update. */
  defaults?(obj: T): void;
  /** Before create: clear what users may not set (e.g. status when a status subresource exists). */
  prepareForCreate?(obj: T, ctx: StrategyContext): void;
  /** Before update: carry over what this endpoint may not change (e.g. status from old). */
  prepareForUpdate?(obj: T, old: T, ctx: StrategyContext): void;
  /** Kind-specific validation of a new object (metadata is validated generically). */
  validate?(obj: T, ctx: StrategyContext): FieldError[];
  /** Kind-specific validation of an update (immutable fields and the like). */
  validateUpdate?(obj: T, old: T, ctx: StrategyContext): FieldError[];
  /** Does a change between old and obj bump metadata.generation? Default: any change outside
   *  metadata and status. */
  generationChanged?(obj: T, old: T): boolean;
  /** On delete: whether the object must stay, marked for deletion, until something releases it
   *  (as a namespace waits for its spec.finalizers). Checked again after every update. */
  holdOnDelete?(obj: T): boolean;
  /** On delete of an object that stays: what else to record (e.g. a namespace's Terminating phase). */
  prepareForDeletion?(obj: T): void;
  /** The garbage-collection policy of a delete that names none (rest.GarbageCollectionDeleteStrategy):
   *  'DeleteDependents' (default) or the legacy 'OrphanDependents' (core/v1 ReplicationControllers). */
  defaultGarbageCollectionPolicy?: 'DeleteDependents' | 'OrphanDependents' | 'Unsupported';
  /** How long a deleted object lingers for graceful termination (pods on a node); default 0. */
  gracePeriodSeconds?(obj: T, requested: number | undefined): number;
  /** Whether metadata.generation is kept (default: for kinds with a spec; pods have none). */
  tracksGeneration?: boolean;
  /** Whether PUT may create a missing object (false by default). */
  allowCreateOnUpdate?: boolean;
  /** Whether an update without resourceVersion is allowed (true for most kinds). */
  allowUnconditionalUpdate?: boolean;
}

export interface SubresourceDefinition<T extends KubeObject = KubeObject> {
  name: string;
  /** The kind served at the subresource (e.g. Scale for scale; the parent kind for status). */
  kind: string;
  group?: string;
  version?: string;
  verbs: Verb[];
  /** For status-like subresources: the strategy of updates through it. */
  strategy?: Strategy<T>;
}

export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  kind: string;
  /** Plural lower-case name, as in URLs: "pods". */
  resource: string;
  singular: string;
  namespaced: boolean;
  /** The syntax of names (default: DNS-1123 subdomain). */
  nameValidator?: NameValidator;
  shortNames?: string[];
  categories?: string[];
  verbs?: Verb[];
  strategy: Strategy<T>;
  /** Extra columns after NAME (and before AGE unless listed explicitly). */
  columns?: TableColumn<T>[];
  /** The NAME cell when the kind's printer decorates it (StorageClasses: "NAME (default)"). */
  nameCell?: (obj: T) => string;
  /** Field selectors beyond metadata.name and metadata.namespace. */
  fields?: Record<string, (obj: T) => string | undefined>;
  subresources?: SubresourceDefinition<T>[];
  /** The status subresource exists: the main endpoint ignores status changes. */
  hasStatus?: boolean;
  /** Another version of a resource stored in this one's storage version: objects are converted
   *  on their way to and from the store (autoscaling/v1 HPAs stored as autoscaling/v2). */
  storageConversion?: StorageConversion;
}

/** Conversion between a served version and the storage version of the same resource. */
export interface StorageConversion {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

/** group/resource as Kubernetes prints it in errors: "pods", "deployments.apps". */
export const qualifiedResource = (def: Pick<ResourceDefinition, 'group' | 'resource'>): { group: string; resource: string } => ({
  group: def.group,
  resource: def.resource,
});

export const apiVersionOf = (def: Pick<ResourceDefinition, 'group' | 'version'>): string =>
  def.group ? `${def.group}/${def.version}` : def.version;

export const verbsOf = (def: ResourceDefinition): readonly Verb[] => def.verbs ?? ALL_VERBS;
