// Query options of the resource verbs (metav1.GetOptions, ListOptions, CreateOptions, …) and their
// encoding as URL query parameters.

import type { QueryValue } from './request.js';

export interface CallOptions {
  /** Overrides the resource client's namespace for this call. */
  namespace?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface GetOptions extends CallOptions {
  resourceVersion?: string;
}

export type ResourceVersionMatch = 'NotOlderThan' | 'Exact';

/** A label selector as text ("app=web,tier!=db") or as a set of required labels. */
export type SelectorInput = string | Record<string, string>;

export interface ListOptions extends CallOptions {
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  limit?: number;
  continue?: string;
  timeoutSeconds?: number;
}

export interface WatchOptions extends CallOptions {
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface WriteOptions extends CallOptions {
  /** Validate and admit but do not persist. */
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
}

export type CreateOptions = WriteOptions;
export type UpdateOptions = WriteOptions;

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
  /** Patch a subresource, e.g. "status". */
  subresource?: string;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions extends CallOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteCollectionOptions extends DeleteOptions {
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  limit?: number;
  continue?: string;
  timeoutSeconds?: number;
}

/** "a=1,b=2" for a set; text as given. */
export function selectorText(selector: SelectorInput | undefined): string | undefined {
  if (selector === undefined) return undefined;
  if (typeof selector === 'string') return selector;
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function listQuery(o: ListOptions & { watch?: boolean; allowWatchBookmarks?: boolean; sendInitialEvents?: boolean }): Record<string, QueryValue> {
  return {
    ...(o.watch ? { watch: 'true' } : {}),
    labelSelector: selectorText(o.labelSelector),
    fieldSelector: selectorText(o.fieldSelector),
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    limit: o.limit,
    continue: o.continue,
    timeoutSeconds: o.timeoutSeconds,
    allowWatchBookmarks: o.allowWatchBookmarks ? 'true' : undefined,
    sendInitialEvents: o.sendInitialEvents === undefined ? undefined : String(o.sendInitialEvents),
  };
}

export function writeQuery(o: WriteOptions & { force?: boolean }): Record<string, QueryValue> {
  return {
    dryRun: o.dryRun ? 'All' : undefined,
    fieldManager: o.fieldManager,
    fieldValidation: o.fieldValidation,
    force: o.force === undefined ? undefined : String(o.force),
  };
}

/** The metav1.DeleteOptions body. */
export function deleteBody(o: DeleteOptions): Record<string, unknown> {
  return {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
    ...(o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : {}),
    ...(o.propagationPolicy ? { propagationPolicy: o.propagationPolicy } : {}),
    ...(o.preconditions ? { preconditions: o.preconditions } : {}),
    ...(o.dryRun ? { dryRun: ['All'] } : {}),
  };
}
