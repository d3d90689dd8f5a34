// The metadata rules every kind shares, as Kubernetes' generic registry applies them: system
// fields filled on create (uid, creationTimestamp, generation, generateName → name), fields a
// client may not change on update (uid, creationTimestamp, deletion state), and generation bumps.

import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ObjectMeta } from '../../api/object.js';
import { newBadRequest } from '../../api/status-errors.js';

/** Kubernetes' alphabet for generateName suffixes (no vowels, no confusable characters). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;

export interface MetaContext {
  now: string;
  uid: () => string;
  random: () => number;
}

export function generateNameSuffix(random: () => number): string {
  let out = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) out += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)];
  return out;
}

/** Checks the object's namespace against the URL's and fills it in when absent. */
export function reconcileNamespace(obj: KubeObject, namespace: string | undefined): void {
  const meta = (obj.metadata ??= {});
  if (namespace === undefined) {
    // Cluster-scoped: Kubernetes clears a namespace given on a cluster-scoped object.
    delete meta.namespace;
    return;
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.namespace = namespace;
}

export function checkNameMatchesUrl(obj: KubeObject, name: string): void {
  const given = obj.metadata?.name;
  if (given !== undefined && given !== name) {
    throw newBadRequest(`the name of the object (${given}) does not match the name on the URL (${name})`);
  }
}

/** System fields of a new object. */
export function fillCreateMeta(obj: KubeObject, ctx: MetaContext, tracksGeneration = true): void {
  const meta = (obj.metadata ??= {});
  if (!meta.name && meta.generateName) meta.name = meta.generateName + generateNameSuffix(ctx.random);
  meta.uid = ctx.uid();
  meta.creationTimestamp = ctx.now;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  if (tracksGeneration && 'spec' in obj) meta.generation = 1;
  else delete meta.generation;
}

/** Carries over what an update may not change, and bumps generation when the spec changed. */
export function fillUpdateMeta(obj: KubeObject, old: KubeObject, specChanged: boolean): void {
  const meta: ObjectMeta = (obj.metadata ??= {});
  const oldMeta = old.metadata ?? {};
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  meta.generateName = oldMeta.generateName ?? meta.generateName;
  if (oldMeta.generateName === undefined && meta.generateName === undefined) delete meta.generateName;
  setOrDelete(meta, 'deletionTimestamp', oldMeta.deletionTimestamp);
  setOrDelete(meta, 'deletionGracePeriodSeconds', oldMeta.deletionGracePeriodSeconds);
  if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation + (specChanged ? 1 : 0);
  else delete meta.generation;
}

function setOrDelete<K extends keyof ObjectMeta>(meta: ObjectMeta, key: K, value: ObjectMeta[K] | undefined): void {
  if (value === undefined) delete meta[key];
  else meta[key] = value;
}

/** Default generation rule: anything outside metadata and status changed. */
export function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject): object => {
    const { metadata: _m, status: _s, ...rest } = o as KubeObject & { status?: unknown };
    return rest;
  };
  return !isDeepStrictEqual(strip(obj), strip(old));
}
