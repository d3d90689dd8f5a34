// resolveContainerEnv: a container's environment as the kubelet's makeEnvironmentVariables builds it.
// Precedence, lowest first: envFrom sources in order (ConfigMap/Secret keys, prefixed, invalid names
// skipped), then env in order (a literal value with $(VAR) expansion against the variables so far
// and the service variables; or valueFrom fieldRef/resourceFieldRef/configMapKeyRef/secretKeyRef),
// then the service variables not already set. Kubernetes hands the runtime an unordered map; Kite
// keeps a stable order: each name where it was first set, service variables last.

import type { ConfigMap, Container, Pod, Secret, Service } from 'kubernetes-types/core/v1.js';
import type { KeyValue } from '../../runtime/runtime.js';
import type { ConfigLookup } from '../lookup/lookup.js';
import { ContainerConfigError } from './errors.js';
import { expand, mappingFor } from './expansion.js';
import { podFieldValue, type PodAddresses } from './field-ref.js';
import { containerResourceValue, type ResourceList } from './resource-ref.js';
import { serviceEnvMap } from './service-env.js';

export interface EnvContext extends ConfigLookup, PodAddresses {
  /** The node's allocatable resources: the default for resourceFieldRef limits the container does not set. */
  nodeAllocatable(): ResourceList | Promise<ResourceList>;
  /** The services the kubelet knows (any namespace; the ones that apply are picked here). */
  services: readonly Service[];
  /** Reports skipped envFrom keys (the kubelet's InvalidEnvironmentVariableNames warning event). */
  recordWarning?(reason: string, message: string): void;
}

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function decodeSecret(data: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** Fetches each ConfigMap/Secret once per resolution, with the kubelet's not-found messages. */
class Sources {
  private readonly configMaps = new Map<string, ConfigMap | undefined>();
  private readonly secrets = new Map<string, Secret | undefined>();

  constructor(
    private readonly ctx: ConfigLookup,
    private readonly namespace: string,
  ) {}

  /** The ConfigMap's data; undefined when it is missing and optional. */
  async configMap(name: string, optional: boolean): Promise<Record<string, string> | undefined> {
    if (!this.configMaps.has(name)) this.configMaps.set(name, await this.ctx.getConfigMap(this.namespace, name));
    const cm = this.configMaps.get(name);
    if (!cm) {
      if (optional) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    return cm.data ?? {};
  }

  async secret(name: string, optional: boolean): Promise<Record<string, string> | undefined> {
    if (!this.secrets.has(name)) this.secrets.set(name, await this.ctx.getSecret(this.namespace, name));
    const s = this.secrets.get(name);
    if (!s) {
      if (optional) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    return { ...decodeSecret(s.data), ...(s.stringData ?? {}) };
  }

  /** A configMapKeyRef/secretKeyRef value; undefined when it is missing and optional. */
  async keyValue(kind: 'ConfigMap' | 'Secret', ref: { name?: string; key: string; optional?: boolean }): Promise<string | undefined> {
    const { name = '', key, optional = false } = ref;
    const data = kind === 'ConfigMap' ? await this.configMap(name, optional) : await this.secret(name, optional);
    if (!data) return undefined;
    if (data[key] === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in ${kind} ${this.namespace}/${name}`);
    }
    return data[key];
  }
}

/** The container's environment, or a ContainerConfigError (reason CreateContainerConfigError). */
export async function resolveContainerEnv(pod: Pod, container: Container, ctx: EnvContext): Promise<KeyValue[]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const serviceEnv = serviceEnvMap(ctx.services, namespace, pod.spec?.enableServiceLinks ?? true);
  const sources = new Sources(ctx, namespace);
  const vars = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'configMap' : 'secret';
    const data = from.configMapRef ? await sources.configMap(ref.name ?? '', !!ref.optional) : await sources.secret(ref.name ?? '', !!ref.optional);
    if (!data) continue;
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(data)) {
      const name = (from.prefix ?? '') + k;
      if (!ENV_VAR_NAME.test(name)) invalid.push(name);
      else vars.set(name, v);
    }
    if (invalid.length > 0) {
      ctx.recordWarning?.(
        'InvalidEnvironmentVariableNames',
        `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${kind} ${namespace}/${ref.name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  const mapping = mappingFor(vars, serviceEnv);
  let allocatable: ResourceList | undefined;
  for (const env of container.env ?? []) {
    let value = env.value ?? '';
    const from = env.valueFrom;
    if (value !== '') {
      value = expand(value, mapping);
    } else if (from?.fieldRef) {
      value = podFieldValue(from.fieldRef, pod, ctx);
    } else if (from?.resourceFieldRef) {
      allocatable ??= await ctx.nodeAllocatable();
      value = containerResourceValue(from.resourceFieldRef, pod, container, allocatable);
    } else if (from?.configMapKeyRef || from?.secretKeyRef) {
      const found = await sources.keyValue(from.configMapKeyRef ? 'ConfigMap' : 'Secret', (from.configMapKeyRef ?? from.secretKeyRef)!);
      if (found === undefined) continue;
      value = found;
    }
    vars.set(env.name, value);
  }

  const out: KeyValue[] = [...vars].map(([key, value]) => ({ key, value }));
  for (const [key, value] of serviceEnv) if (!vars.has(key)) out.push({ key, value });
  return out;
}
