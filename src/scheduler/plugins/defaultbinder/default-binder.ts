// DefaultBinder: binds through the API (POST pods/NAME/binding with a Binding to the node).

import type { Pod } from 'kubernetes-types/core/v1.js';
import { resources, type RestClient } from '../../../client/rest/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { BindPlugin, Handle } from '../../framework/interfaces.js';
import { Status } from '../../framework/status.js';

export const NAME = 'DefaultBinder';

export interface Binding {
  apiVersion: 'v1';
  kind: 'Binding';
  metadata: { name: string; namespace: string; uid?: string };
  target: { kind: 'Node'; name: string };
}

export type BindFn = (binding: Binding) => Promise<unknown>;

export function restBinder(client: RestClient): BindFn {
  const pods = client.resource<Pod>(resources.PODS);
  return (b) => pods.namespace(b.metadata.namespace).createSubresource<Binding>(b.metadata.name, 'binding', b);
}

export class DefaultBinder implements BindPlugin {
  readonly name = NAME;
  constructor(private readonly bindFn: BindFn) {}

  async bind(_state: CycleState, pod: Pod, nodeName: string): Promise<Status | undefined> {
    const meta = pod.metadata ?? {};
    const binding: Binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: meta.name ?? '', namespace: meta.namespace ?? 'default', ...(meta.uid ? { uid: meta.uid } : {}) },
      target: { kind: 'Node', name: nodeName },
    };
    try {
      await this.bindFn(binding);
      return undefined;
    } catch (err) {
      return Status.error(err);
    }
  }
}

export function newDefaultBinder(_args: Record<string, unknown> | undefined, handle: Handle): DefaultBinder {
  const client = handle.client;
  return new DefaultBinder(client ? restBinder(client) : () => Promise.reject(new Error('DefaultBinder needs an API client')));
}
