// ObjectMeta helpers: the "namespace/name" keys caches and work queues use, and Kubernetes
// timestamp strings built from an injected clock's milliseconds (never the wall clock directly).

import type { KubeObject, ObjectMeta } from './object.js';

/** cache.MetaNamespaceKeyFunc for metadata: "namespace/name", or "name" when cluster-scoped. */
export function metaKey(meta: Pick<ObjectMeta, 'namespace' | 'name'> | undefined): string {
  const name = meta?.name ?? '';
  return meta?.namespace ? `${meta.namespace}/${name}` : name;
}

/** The "namespace/name" key of an object. */
export function objectKey(obj: KubeObject): string {
  return metaKey(obj.metadata);
}

/** cache.SplitMetaNamespaceKey: back from a key; throws on more than one '/'. */
export function splitObjectKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0]! };
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  throw new Error(`unexpected key format: ${JSON.stringify(key)}`);
}

/** metav1.Time's wire form: RFC 3339 in UTC at second precision ("2024-01-02T03:04:05Z"). */
export function formatTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime's wire form: RFC 3339 in UTC with six fractional digits. */
export function formatMicroTime(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs)).toISOString(); // millisecond precision
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses a metav1.Time / MicroTime string to epoch milliseconds (undefined when malformed). */
export function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether the object has been marked for deletion. */
export function isBeingDeleted(obj: KubeObject): boolean {
  return !!obj.metadata?.deletionTimestamp;
}

/** The owner reference marked as controller, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KubeObject): NonNullable<ObjectMeta['ownerReferences']>[number] | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}
