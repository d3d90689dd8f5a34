// The resource-oriented API (client-go's dynamic client, typed by T): one ResourceClient per
// resource, optionally scoped to a namespace, with get/list/watch/create/update/updateStatus/
// patch/delete/deleteCollection and subresource calls. Lists and watches without a namespace on a
// namespaced resource cover every namespace; the other verbs take the namespace from the scope,
// the call's options or the object itself.

import type { KubeObject } from '../../api/object.js';
import type { ListMeta, Status } from '../../api/status.js';
import { isStatus } from './errors.js';
import {
  deleteBody,
  listQuery,
  writeQuery,
  type CallOptions,
  type CreateOptions,
  type DeleteCollectionOptions,
  type DeleteOptions,
  type GetOptions,
  type ListOptions,
  type PatchOptions,
  type UpdateOptions,
  type WatchOptions,
} from './options.js';
import type { Requester, RequestOptions } from './request.js';
import { Watch } from './watch.js';

export interface ResourceDescriptor {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. "pods". */
  resource: string;
  namespaced: boolean;
  /** The kind, e.g. "Pod" (filled in on list items when the server leaves it out). */
  kind?: string;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    private readonly requester: Requester,
    readonly descriptor: ResourceDescriptor,
    private readonly scope?: string,
  ) {}

  /** This resource within one namespace. */
  namespace(namespace: string): ResourceClient<T> {
    if (!this.descriptor.namespaced) throw new Error(`${this.descriptor.resource} is not namespaced`);
    return new ResourceClient<T>(this.requester, this.descriptor, namespace);
  }

  /** The namespace this client is scoped to, if any. */
  get scopedNamespace(): string | undefined {
    return this.scope;
  }

  get apiVersion(): string {
    const d = this.descriptor;
    return d.group ? `${d.group}/${d.version}` : d.version;
  }

  async get(name: string, options: GetOptions = {}): Promise<T> {
    return this.call<T>(
      { method: 'GET', path: this.path(this.requiredNamespace(options), name), query: { resourceVersion: options.resourceVersion } },
      options,
      `get ${this.descriptor.resource} ${name}`,
    );
  }

  async list(options: ListOptions = {}): Promise<ObjectList<T>> {
    const list = await this.call<ObjectList<T>>(
      { method: 'GET', path: this.path(this.optionalNamespace(options)), query: listQuery(options) },
      options,
      `list ${this.descriptor.resource}`,
    );
    list.items ??= [];
    list.metadata ??= {};
    const kind = this.descriptor.kind ?? (list.kind?.endsWith('List') ? list.kind.slice(0, -4) : undefined);
    for (const item of list.items) {
      item.apiVersion ??= list.apiVersion ?? this.apiVersion;
      if (kind) item.kind ??= kind;
    }
    return list;
  }

  /** Every page of a paginated list, from one snapshot (limit/continue). */
  async *listPages(options: ListOptions & { limit: number }): AsyncGenerator<ObjectList<T>> {
    let token: string | undefined = options.continue;
    do {
      const page = await this.list({ ...options, continue: token, resourceVersion: token ? undefined : options.resourceVersion });
      yield page;
      token = page.metadata.continue || undefined;
    } while (token);
  }

  /** Opens a watch; resolves once the server has accepted it (rejects with a StatusError, e.g. 410). */
  async watch(options: WatchOptions = {}): Promise<Watch<T>> {
    const res = await this.requester.stream(
      this.withCall(
        { method: 'GET', path: this.path(this.optionalNamespace(options)), query: listQuery({ ...options, watch: true }) },
        options,
        `watch ${this.descriptor.resource}`,
      ),
    );
    return new Watch<T>(res);
  }

  async create(obj: T, options: CreateOptions = {}): Promise<T> {
    return this.call<T>(
      { method: 'POST', path: this.path(this.objectNamespace(obj, options)), query: writeQuery(options), body: this.complete(obj) },
      options,
      `create ${this.descriptor.resource}`,
    );
  }

  async update(obj: T, options: UpdateOptions = {}): Promise<T> {
    const name = this.nameOf(obj);
    return this.call<T>(
      { method: 'PUT', path: this.path(this.objectNamespace(obj, options), name), query: writeQuery(options), body: this.complete(obj) },
      options,
      `update ${this.descriptor.resource} ${name}`,
    );
  }

  /** Replaces the status subresource. */
  async updateStatus(obj: T, options: UpdateOptions = {}): Promise<T> {
    const name = this.nameOf(obj);
    return this.call<T>(
      {
        method: 'PUT',
        path: this.path(this.objectNamespace(obj, options), name, 'status'),
        query: writeQuery(options),
        body: this.complete(obj),
      },
      options,
      `update ${this.descriptor.resource}/status ${name}`,
    );
  }

  /** Patches an object (JSON patch: an array of operations; the others: a partial object). */
  async patch(name: string, type: PatchType, patch: unknown, options: PatchOptions = {}): Promise<T> {
    if (type === 'apply' && !options.fieldManager) throw new Error('server-side apply needs a fieldManager');
    return this.call<T>(
      {
        method: 'PATCH',
        path: this.path(this.requiredNamespace(options), name, options.subresource),
        query: writeQuery(options),
        body: patch,
        contentType: PATCH_CONTENT_TYPES[type],
      },
      options,
      `patch ${this.descriptor.resource} ${name}`,
    );
  }

  /**
   * Deletes an object. Resolves with the object when the server returns it (graceful deletion,
   * finalizers pending, or the final state), or undefined when it answers with a Status.
   */
  async delete(name: string, options: DeleteOptions = {}): Promise<T | undefined> {
    const out = await this.call<T | Status>(
      { method: 'DELETE', path: this.path(this.requiredNamespace(options), name), body: deleteBody(options) },
      options,
      `delete ${this.descriptor.resource} ${name}`,
    );
    return out === undefined || isStatus(out) ? undefined : out;
  }

  /** Deletes every object matching the selectors (in the namespace, or cluster-wide). */
  async deleteCollection(options: DeleteCollectionOptions = {}): Promise<void> {
    await this.call<unknown>(
      { method: 'DELETE', path: this.path(this.optionalNamespace(options)), query: listQuery(options), body: deleteBody(options) },
      options,
      `deletecollection ${this.descriptor.resource}`,
    );
  }

  /** GET of a subresource, e.g. ("web", "scale"). */
  async getSubresource<R>(name: string, subresource: string, options: GetOptions = {}): Promise<R> {
    return this.call<R>(
      { method: 'GET', path: this.path(this.requiredNamespace(options), name, subresource), query: { resourceVersion: options.resourceVersion } },
      options,
      `get ${this.descriptor.resource}/${subresource} ${name}`,
    );
  }

  /** POST to a subresource, e.g. ("web", "binding", binding) or ("web", "eviction", eviction). */
  async createSubresource<B, R = unknown>(name: string, subresource: string, body: B, options: CreateOptions = {}): Promise<R> {
    return this.call<R>(
      { method: 'POST', path: this.path(this.requiredNamespace(options), name, subresource), query: writeQuery(options), body },
      options,
      `create ${this.descriptor.resource}/${subresource} ${name}`,
    );
  }

  /** PUT of a subresource, e.g. ("web", "scale", scale). */
  async updateSubresource<B, R = B>(name: string, subresource: string, body: B, options: UpdateOptions = {}): Promise<R> {
    return this.call<R>(
      { method: 'PUT', path: this.path(this.requiredNamespace(options), name, subresource), query: writeQuery(options), body },
      options,
      `update ${this.descriptor.resource}/${subresource} ${name}`,
    );
  }

  /** The URL path of the collection, or of one object (and subresource). */
  path(namespace: string | undefined, name?: string, subresource?: string): string {
    const d = this.descriptor;
    let p = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
    if (d.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${d.resource}`;
    if (name !== undefined) {
      if (name === '') throw new Error(`a ${d.resource} name is required`);
      p += `/${encodeURIComponent(name)}`;
    }
    if (subresource) p += `/${subresource}`;
    return p;
  }

  private call<R>(req: RequestOptions, options: CallOptions, describe: string): Promise<R> {
    return this.requester.request<R>(this.withCall(req, options, describe));
  }

  private withCall(req: RequestOptions, options: CallOptions, describe: string): RequestOptions {
    return {
      ...req,
      describe,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    };
  }

  private optionalNamespace(options: CallOptions): string | undefined {
    if (!this.descriptor.namespaced) return undefined;
    return options.namespace ?? this.scope;
  }

  private requiredNamespace(options: CallOptions): string | undefined {
    if (!this.descriptor.namespaced) return undefined;
    const ns = options.namespace ?? this.scope;
    if (!ns) throw new Error(`${this.descriptor.resource} are namespaced: give a namespace`);
    return ns;
  }

  private objectNamespace(obj: T, options: CallOptions): string | undefined {
    if (!this.descriptor.namespaced) return undefined;
    const ns = options.namespace ?? this.scope ?? obj.metadata?.namespace ?? this.requester.namespace;
    const own = obj.metadata?.namespace;
    if (own && own !== ns) throw new Error(`the namespace of the object (${own}) does not match the namespace of the request (${ns})`);
    return ns;
  }

  private nameOf(obj: T): string {
    const name = obj.metadata?.name;
    if (!name) throw new Error(`a ${this.descriptor.resource} name is required`);
    return name;
  }

  /** Fills in apiVersion and kind when the caller left them out. */
  private complete(obj: T): T {
    if (obj.apiVersion && obj.kind) return obj;
    return { ...obj, apiVersion: obj.apiVersion ?? this.apiVersion, ...(obj.kind || !this.descriptor.kind ? {} : { kind: this.descriptor.kind }) };
  }
}
