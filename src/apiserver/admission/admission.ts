// Admission: the plugins a write passes after authorization and before storage — mutating
// plugins first (admit), then validating ones (validate), as kube-apiserver runs them.

import type { KubeObject } from '../../api/object.js';
import type { ResourceDefinition } from '../registry/resource.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionUser {
  name: string;
  groups: string[];
}

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: ResourceDefinition;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The object being written (mutable in admit). */
  object?: KubeObject;
  oldObject?: KubeObject;
  user?: AdmissionUser;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase: may change attrs.object; throw a StatusError to refuse. */
  admit?(attrs: AdmissionAttributes): void | Promise<void>;
  /** Validating phase: may not change anything; throw a StatusError to refuse. */
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
  /** After the write committed (not for dry runs): release what a delete freed, and the like.
   *  attrs.object is the stored result. Errors are logged, not returned to the client. */
  committed?(attrs: AdmissionAttributes): void | Promise<void>;
  /** The write these attrs were admitted for failed after admission: undo what admit took. */
  aborted?(attrs: AdmissionAttributes): void | Promise<void>;
}

export class AdmissionChain {
  constructor(private readonly plugins: readonly AdmissionPlugin[]) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.plugins) if (plugin.admit) await plugin.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.plugins) if (plugin.validate) await plugin.validate(attrs);
  }

  /** Tells every plugin a write committed; a failing plugin does not stop the others. */
  async committed(attrs: AdmissionAttributes, onError: (plugin: string, err: unknown) => void = () => {}): Promise<void> {
    if (attrs.dryRun) return;
    for (const plugin of this.plugins) {
      if (!plugin.committed) continue;
      try {
        await plugin.committed(attrs);
      } catch (err) {
        onError(plugin.name, err);
      }
    }
  }

  /** Tells every plugin that a write it admitted failed (errors are swallowed: repair loops
   *  reconcile what an undo misses). */
  async aborted(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.plugins) {
      if (!plugin.aborted) continue;
      try {
        await plugin.aborted(attrs);
      } catch {
        // the plugin's repair pass catches what is left
      }
    }
  }

  /** Both phases, in order. */
  async run(attrs: AdmissionAttributes): Promise<void> {
    await this.admit(attrs);
    await this.validate(attrs);
  }
}
