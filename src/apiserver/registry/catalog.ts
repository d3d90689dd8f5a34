// The resources this server serves, indexed for request routing (group/version/resource), for
// discovery (by group, then version) and by kind. Built-in kinds are registered at start;
// custom resources are added and removed as their definitions come and go.

import type { KubeObject } from '../../api/object.js';
import type { ResourceDefinition } from './resource.js';

export interface GroupVersions {
  group: string;
  /** Versions, preferred first. */
  versions: string[];
}

export class ResourceCatalog {
  private readonly byPath = new Map<string, ResourceDefinition>();
  private readonly order: ResourceDefinition[] = [];
  private listeners: (() => void)[] = [];

  add<T extends KubeObject>(def: ResourceDefinition<T>): void {
    const key = pathKey(def.group, def.version, def.resource);
    if (this.byPath.has(key)) throw new Error(`resource ${key} is registered twice`);
    this.byPath.set(key, def as unknown as ResourceDefinition);
    this.order.push(def as unknown as ResourceDefinition);
    this.changed();
  }

  remove(group: string, version: string, resource: string): void {
    const key = pathKey(group, version, resource);
    const def = this.byPath.get(key);
    if (!def) return;
    this.byPath.delete(key);
    this.order.splice(this.order.indexOf(def), 1);
    this.changed();
  }

  lookup(group: string, version: string, resource: string): ResourceDefinition | undefined {
    return this.byPath.get(pathKey(group, version, resource));
  }

  byKind(group: string, version: string, kind: string): ResourceDefinition | undefined {
    return this.order.find((d) => d.group === group && d.version === version && d.kind === kind);
  }

  all(): readonly ResourceDefinition[] {
    return this.order;
  }

  /** Groups in registration order (the core group "" first when present). */
  groups(): GroupVersions[] {
    const groups = new Map<string, string[]>();
    for (const def of this.order) {
      const versions = groups.get(def.group) ?? [];
      if (!versions.includes(def.version)) versions.push(def.version);
      groups.set(def.group, versions);
    }
    return [...groups].map(([group, versions]) => ({ group, versions }));
  }

  resources(group: string, version: string): ResourceDefinition[] {
    return this.order.filter((d) => d.group === group && d.version === version);
  }

  /** Called whenever the set of resources changes (discovery and OpenAPI caches listen). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

const pathKey = (group: string, version: string, resource: string): string => `${group}/${version}/${resource}`;
