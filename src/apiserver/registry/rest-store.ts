// The one generic REST store: get, list, watch, create, update (PUT and PATCH alike), delete and
// deletecollection for any resource, with the Kubernetes semantics every kind shares — system
// metadata, generateName, optimistic concurrency, generation, validation, admission, dry run,
// finalizers and graceful deletion — calling the kind's small Strategy where kinds differ.

import { randomUUID } from 'node:crypto';
import type { FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/object.js';
import { newAlreadyExists, newBadRequest, newConflict, newInvalid, newResourceExpired } from '../../api/status-errors.js';
import { invalid } from '../../api/field-errors.js';
import { path } from '../../api/field-path.js';
import { nameIsDNSSubdomain } from '../../api/validation/generic.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../api/validation/object-meta.js';
import { isStorageError } from '../../storage/errors.js';
import type { ListResult, Store, WatchStream } from '../../storage/interface.js';
import type { Clock } from '../../util/clock.js';
import type { AdmissionAttributes, AdmissionChain, AdmissionUser } from '../admission/admission.js';
import { deletionFinalizers } from './deletion-finalizers.js';
import { listPrefix, objectKey } from './keys.js';
import { checkNameMatchesUrl, fillCreateMeta, fillUpdateMeta, reconcileNamespace, specChanged } from './object-meta.js';
import type { ResourceDefinition, Strategy, StrategyContext } from './resource.js';
import { interpretStorageError } from './storage-errors.js';

export interface WriteOptions {
  dryRun?: boolean;
  user?: AdmissionUser;
}

export interface ListOptions<T> {
  predicate?: (obj: T) => boolean;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  limit?: number;
  continue?: string;
}

export interface WatchOptions<T> {
  predicate?: (obj: T) => boolean;
  resourceVersion?: string;
  progressNotify?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
}

export interface DeleteResult<T> {
  object: T;
  /** false when the object stays (finalizers or a grace period): it is marked for deletion. */
  deleted: boolean;
}

export interface RestStoreDeps {
  store: Store;
  clock: Clock;
  admission: AdmissionChain;
  uid?: () => string;
  random?: () => number;
}

let lastSecond = Number.NaN;
let lastText = '';
/** RFC 3339 at whole seconds; the last answer is kept, as every create in one second asks for it. */
const rfc3339 = (ms: number): string => {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
};

export class RestStore<T extends KubeObject = KubeObject> {
  private readonly uid: () => string;
  private readonly random: () => number;

  constructor(
    readonly def: ResourceDefinition<T>,
    private readonly deps: RestStoreDeps,
  ) {
    this.uid = deps.uid ?? randomUUID;
    this.random = deps.random ?? Math.random;
  }

  private get strategy(): Strategy<T> {
    return this.def.strategy;
  }

  private context(namespace?: string): StrategyContext {
    return { now: rfc3339(this.deps.clock.now()), namespace };
  }

  private target(name?: string) {
    return { group: this.def.group, resource: this.def.resource, name };
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.def, namespace, name);
  }

  async get(namespace: string | undefined, name: string, resourceVersion?: string): Promise<T> {
    try {
      return await this.deps.store.get<T>(this.key(namespace, name), { resourceVersion });
    } catch (err) {
      throw interpretStorageError(err, this.target(name));
    }
  }

  async list(namespace: string | undefined, options: ListOptions<T> = {}): Promise<ListResult<T>> {
    try {
      return await this.deps.store.list<T>(listPrefix(this.def, namespace), options);
    } catch (err) {
      if (options.continue && isStorageError(err, 'TooLargeResourceVersion')) {
        throw newBadRequest('invalid continue token: its resource version is newer than the store');
      }
      if (options.continue && isStorageError(err, 'Expired')) {
        throw newResourceExpired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      throw interpretStorageError(err, this.target());
    }
  }

  async watch(namespace: string | undefined, options: WatchOptions<T> = {}): Promise<WatchStream<T>> {
    try {
      return await this.deps.store.watch<T>(listPrefix(this.def, namespace), { ...options, recursive: true });
    } catch (err) {
      throw interpretStorageError(err, this.target());
    }
  }

  async create(namespace: string | undefined, obj: T, options: WriteOptions = {}): Promise<T> {
    const admitted = await this.prepareCreate(namespace, obj, options);
    const name = obj.metadata?.name as string;
    if (options.dryRun) {
      await this.ensureAbsent(namespace, name);
      return obj;
    }
    let created: T;
    try {
      created = await this.deps.store.create(this.key(namespace, name), obj);
    } catch (err) {
      await this.deps.admission.aborted(admitted);
      throw interpretStorageError(err, this.target(name));
    }
    await this.deps.admission.committed(this.attributes('CREATE', created, undefined, options));
    return created;
  }

  /**
   * Update (PUT) and patch alike: `produce` turns the current object into the new one (a PUT
   * returns the body; a PATCH applies the patch to `current`). Runs on every compare-and-swap
   * retry. With allowCreateOnUpdate, a missing object is created from produce(undefined).
   */
  async update(
    namespace: string | undefined,
    name: string,
    produce: (current: T | undefined) => T | Promise<T>,
    options: WriteOptions & { subresource?: Strategy<T>; subresourceName?: string } = {},
  ): Promise<{ object: T; created: boolean }> {
    const key = this.key(namespace, name);
    const ctx = this.context(namespace);
    const strategy = options.subresource ?? this.strategy;
    let created = false;
    let admitted: AdmissionAttributes | undefined;
    let previous: T | undefined;
    const next = async (current: T): Promise<T> => {
      previous = current;
      const obj = await produce(current);
      checkNameMatchesUrl(obj, name);
      reconcileNamespace(obj, this.def.namespaced ? namespace : undefined);
      const wanted = obj.metadata?.resourceVersion;
      if (wanted && wanted !== current.metadata?.resourceVersion) {
        throw newConflict(
          { group: this.def.group, resource: this.def.resource },
          name,
          'the object has been modified; please apply your changes to the latest version and try again',
        );
      }
      if (!wanted) {
        if (this.strategy.allowUnconditionalUpdate === false) {
          throw newInvalid({ group: this.def.group, kind: this.def.kind }, name, [
            invalid(path('metadata', 'resourceVersion'), '', 'must be specified for an update'),
          ]);
        }
        // An unconditional update applies to whatever is there now.
        (obj.metadata ??= {}).resourceVersion = current.metadata?.resourceVersion;
      }
      const errors = this.guard(() => {
        strategy.defaults?.(obj);
        strategy.prepareForUpdate?.(obj, current, ctx);
        fillUpdateMeta(obj, current, (this.strategy.generationChanged ?? specChanged)(obj, current));
        return [
          ...this.validateMeta(obj),
          ...validateObjectMetaUpdate(obj.metadata, current.metadata, path('metadata')),
          ...(strategy.validateUpdate?.(obj, current, ctx) ?? []),
        ];
      });
      this.throwIfInvalid(obj, errors);
      admitted = this.attributes('UPDATE', obj, current, options, options.subresourceName);
      await this.deps.admission.admit(admitted);
      this.throwIfInvalid(obj, this.guard(() => {
        strategy.defaults?.(obj);
        return strategy.validateUpdate?.(obj, current, ctx) ?? [];
      }));
      await this.deps.admission.validate(admitted);
      return obj;
    };

    try {
      if (options.dryRun) {
        const current = await this.deps.store.get<T>(key).catch((err: unknown) => {
          if (isStorageError(err, 'KeyNotFound') && this.strategy.allowCreateOnUpdate) return undefined;
          throw err;
        });
        if (!current) return { object: await this.prepareCreateFromUpdate(namespace, name, produce, options), created: true };
        return { object: await next(structuredClone(current)), created: false };
      }
      const object = await this.deps.store.guaranteedUpdate<T>(key, next, {
        ...(this.strategy.allowCreateOnUpdate
          ? {
              create: async () => {
                created = true;
                return this.prepareCreateFromUpdate(namespace, name, produce, options, (attrs) => (admitted = attrs));
              },
            }
          : {}),
      });
      admitted = undefined;
      const result = await this.finishIfDeleted(namespace, name, object);
      await this.deps.admission.committed(
        this.attributes(created ? 'CREATE' : 'UPDATE', result, created ? undefined : previous, options, options.subresourceName),
      );
      return { object: result, created };
    } catch (err) {
      if (admitted && !options.dryRun) await this.deps.admission.aborted(admitted);
      throw interpretStorageError(err, this.target(name));
    }
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<DeleteResult<T>> {
    const key = this.key(namespace, name);
    try {
      const current = await this.deps.store.get<T>(key);
      this.checkPreconditions(current, options.preconditions, name);
      await this.deps.admission.run(this.attributes('DELETE', undefined, current, options));

      const finalizers = deletionFinalizers(current.metadata?.finalizers ?? [], options.propagationPolicy, this.strategy.defaultGarbageCollectionPolicy);
      const grace = this.strategy.gracePeriodSeconds?.(current, options.gracePeriodSeconds) ?? 0;
      const held = this.strategy.holdOnDelete?.(current) ?? false;
      if (finalizers.length === 0 && grace === 0 && !held) {
        if (options.dryRun) return { object: current, deleted: true };
        const object = await this.deps.store.delete<T>(key, {
          preconditions: { uid: current.metadata?.uid, ...options.preconditions },
        });
        await this.deps.admission.committed(this.attributes('DELETE', undefined, object, options));
        return { object, deleted: true };
      }
      // Marked for deletion: finalizers (and the garbage collector, or the kubelet for a grace
      // period) finish it; the last one to let go removes it.
      const mark = (obj: T): T => {
        const meta = (obj.metadata ??= {});
        this.checkPreconditions(obj, options.preconditions, name);
        this.strategy.prepareForDeletion?.(obj);
        meta.finalizers = [...deletionFinalizers(meta.finalizers ?? [], options.propagationPolicy, this.strategy.defaultGarbageCollectionPolicy)];
        if (meta.finalizers.length === 0) delete meta.finalizers;
        if (!meta.deletionTimestamp) {
          meta.deletionTimestamp = rfc3339(this.deps.clock.now() + grace * 1000);
          meta.deletionGracePeriodSeconds = grace;
        } else if (grace < (meta.deletionGracePeriodSeconds ?? Infinity)) {
          // A shorter grace period may replace a longer one, never the other way round.
          meta.deletionTimestamp = rfc3339(this.deps.clock.now() + grace * 1000);
          meta.deletionGracePeriodSeconds = grace;
        }
        return obj;
      };
      if (options.dryRun) return { object: mark(structuredClone(current)), deleted: false };
      const object = await this.deps.store.guaranteedUpdate<T>(key, mark);
      return { object, deleted: false };
    } catch (err) {
      throw interpretStorageError(err, this.target(name));
    }
  }

  /** Removes an object the grace period or finalizers held, once nothing holds it any more. */
  private async finishIfDeleted(namespace: string | undefined, name: string, obj: T): Promise<T> {
    const meta = obj.metadata ?? {};
    if (!meta.deletionTimestamp || (meta.finalizers?.length ?? 0) > 0) return obj;
    if (this.strategy.holdOnDelete?.(obj)) return obj;
    if ((meta.deletionGracePeriodSeconds ?? 0) > 0) return obj;
    try {
      await this.deps.store.delete(this.key(namespace, name), {
        preconditions: { uid: meta.uid, resourceVersion: meta.resourceVersion },
      });
    } catch (err) {
      if (!isStorageError(err, 'KeyNotFound') && !isStorageError(err, 'InvalidObj')) throw err;
      return obj;
    }
    await this.deps.admission.committed(this.attributes('DELETE', undefined, obj, {}));
    return obj;
  }

  private checkPreconditions(obj: T, preconditions: DeleteOptions['preconditions'], name: string): void {
    const meta = obj.metadata ?? {};
    const qr = { group: this.def.group, resource: this.def.resource };
    if (preconditions?.uid !== undefined && preconditions.uid !== meta.uid) {
      throw newConflict(qr, name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${meta.uid ?? ''}`);
    }
    if (preconditions?.resourceVersion !== undefined && preconditions.resourceVersion !== meta.resourceVersion) {
      throw newConflict(
        qr,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
      );
    }
  }

  private async ensureAbsent(namespace: string | undefined, name: string): Promise<void> {
    const exists = await this.deps.store.get(this.key(namespace, name)).then(
      () => true,
      (err: unknown) => {
        if (isStorageError(err, 'KeyNotFound')) return false;
        throw err;
      },
    );
    if (exists) throw newAlreadyExists({ group: this.def.group, resource: this.def.resource }, name);
  }

  private async prepareCreateFromUpdate(
    namespace: string | undefined,
    name: string,
    produce: (current: T | undefined) => T | Promise<T>,
    options: WriteOptions,
    onAdmitted?: (attrs: AdmissionAttributes) => void,
  ): Promise<T> {
    const obj = await produce(undefined);
    checkNameMatchesUrl(obj, name);
    onAdmitted?.(await this.prepareCreate(namespace, obj, options));
    return obj;
  }

  /** Everything a create does before the write: system metadata, defaults, validation, admission. */
  private async prepareCreate(namespace: string | undefined, obj: T, options: WriteOptions): Promise<AdmissionAttributes> {
    const ctx: StrategyContext = { ...this.context(namespace), ...(options.user ? { user: options.user } : {}) };
    reconcileNamespace(obj, this.def.namespaced ? namespace : undefined);
    fillCreateMeta(obj, { now: ctx.now, uid: this.uid, random: this.random }, this.strategy.tracksGeneration);
    const errors = this.guard(() => {
      this.strategy.defaults?.(obj);
      this.strategy.prepareForCreate?.(obj, ctx);
      return [...this.validateMeta(obj), ...(this.strategy.validate?.(obj, ctx) ?? [])];
    });
    this.throwIfInvalid(obj, errors);
    const attrs = this.attributes('CREATE', obj, undefined, options);
    await this.deps.admission.admit(attrs);
    try {
      // As kube-apiserver, what mutating admission set is defaulted (Kubernetes defaults every
      // object it reads back from storage: a pod given its account by ServiceAccount admission
      // gets the deprecated spec.serviceAccount alias, else a later update would seem to change
      // the spec) and validated like the rest (LimitRanger's default limit below the request is
      // 422), before the validating plugins run.
      this.throwIfInvalid(obj, this.guard(() => {
        this.strategy.defaults?.(obj);
        return this.strategy.validate?.(obj, ctx) ?? [];
      }));
      await this.deps.admission.validate(attrs);
    } catch (err) {
      // what admit took (a Service's ClusterIP) is given back
      if (!options.dryRun) await this.deps.admission.aborted(attrs);
      throw err;
    }
    return attrs;
  }

  /** Runs strategy code on a client's object: a shape the strategy cannot handle (a type the
   *  schema check let through) is the client's error, answered 400, never a 500. */
  private guard<R>(fn: () => R): R {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TypeError || err instanceof RangeError) {
        throw newBadRequest(`the ${this.def.kind} object is malformed: ${err.message}`);
      }
      throw err;
    }
  }

  private validateMeta(obj: T): FieldError[] {
    return validateObjectMeta(
      obj.metadata,
      { namespaced: this.def.namespaced, nameValidator: this.def.nameValidator ?? nameIsDNSSubdomain },
      path('metadata'),
    );
  }

  private throwIfInvalid(obj: T, errors: FieldError[]): void {
    if (errors.length > 0) {
      const name = obj.metadata?.name ?? obj.metadata?.generateName ?? '';
      throw newInvalid({ group: this.def.group, kind: this.def.kind }, name, errors);
    }
  }

  private attributes(
    operation: AdmissionAttributes['operation'],
    object: T | undefined,
    oldObject: T | undefined,
    options: WriteOptions,
    subresource?: string,
  ): AdmissionAttributes {
    const meta = (object ?? oldObject)?.metadata;
    return {
      operation,
      resource: this.def as unknown as ResourceDefinition,
      subresource,
      namespace: this.def.namespaced ? meta?.namespace : undefined,
      name: meta?.name,
      object,
      oldObject,
      user: options.user,
      dryRun: options.dryRun ?? false,
    };
  }
}

