// The file payloads of the API-data volumes, as Kubernetes' MakePayload functions build them:
// a ConfigMap's data and binaryData, a Secret's data (decoded), or only the listed items (key →
// path, per-item mode); downwardAPI items from pod fields and container resources. Missing objects
// and keys are errors unless optional.

import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { ContainerConfigError } from '../../env/errors.js';
import { podFieldValue } from '../../env/field-ref.js';
import { containerResourceValue } from '../../env/resource-ref.js';
import type { Payload } from '../atomic-writer.js';
import { SetUpError } from '../errors.js';
import type { PluginContext } from './plugin.js';

export const DEFAULT_MODE = 0o644;

function fromEntries(entries: Map<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean, missingKey: (k: string) => string): Payload {
  const payload: Payload = new Map();
  if (!items || items.length === 0) {
    for (const [k, data] of entries) payload.set(k, { data, mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    const data = entries.get(item.key);
    if (!data) {
      if (optional) continue;
      throw new SetUpError(missingKey(item.key));
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return payload;
}

interface ObjectSource {
  name?: string;
  items?: KeyToPath[];
  optional?: boolean;
}

/** The payload of one object's entries (undefined object: not found). */
function objectPayload(
  entries: Map<string, Buffer> | undefined,
  source: ObjectSource,
  defaultMode: number,
  notFound: string,
  missingKey: (k: string) => string,
): Payload {
  if (!entries) {
    if (source.optional) return new Map();
    throw new SetUpError(notFound);
  }
  return fromEntries(entries, source.items, defaultMode, !!source.optional, missingKey);
}

export async function configMapPayload(ctx: PluginContext, namespace: string, source: ObjectSource, defaultMode: number): Promise<Payload> {
  const name = source.name ?? '';
  const cm: ConfigMap | undefined = await ctx.lookup.getConfigMap(namespace, name);
  const entries = cm && new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm?.data ?? {})) entries?.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(cm?.binaryData ?? {})) entries?.set(k, Buffer.from(v, 'base64'));
  return objectPayload(entries, source, defaultMode, `configmap ${JSON.stringify(name)} not found`, (k) => `configmap references non-existent config key: ${k}`);
}

export async function secretPayload(ctx: PluginContext, namespace: string, source: ObjectSource, defaultMode: number): Promise<Payload> {
  const name = source.name ?? '';
  const secret: Secret | undefined = await ctx.lookup.getSecret(namespace, name);
  const entries = secret && new Map(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  return objectPayload(entries, source, defaultMode, `secret ${JSON.stringify(name)} not found`, (k) => `references non-existent secret key: ${k}`);
}

export async function downwardAPIPayload(ctx: PluginContext, pod: Pod, items: DownwardAPIVolumeFile[] | undefined, defaultMode: number): Promise<Payload> {
  const payload: Payload = new Map();
  for (const item of items ?? []) {
    let value: string;
    try {
      if (item.fieldRef) value = podFieldValue(item.fieldRef, pod, ctx.addresses);
      else if (item.resourceFieldRef) {
        const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
        const container = containers.find((c) => c.name === item.resourceFieldRef?.containerName) ?? containers[0];
        if (!container) throw new ContainerConfigError('pod has no containers');
        value = containerResourceValue(item.resourceFieldRef, pod, container, await ctx.nodeAllocatable());
      } else continue;
    } catch (err) {
      throw new SetUpError(err instanceof Error ? err.message : String(err));
    }
    payload.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  return payload;
}
