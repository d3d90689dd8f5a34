// What the resource endpoints need from the server around them, per request.

import type { Clock } from '../../util/clock.js';
import type { KubeObject } from '../../api/object.js';
import type { RestStore } from '../registry/rest-store.js';
import type { AdmissionUser } from '../admission/admission.js';
import type { PatchMeta } from '../patch/patch-meta.js';
import type { ResourceDefinition } from '../registry/resource.js';
import type { LongRunningRegistry } from '../serving/long-running.js';
import type { TokenRequestContext } from './serviceaccount-token.js';

export interface ResourceContext {
  clock: Clock;
  user?: AdmissionUser;
  longRunning: LongRunningRegistry;
  /** Unknown-field detection from the OpenAPI schemas (empty when none is known). */
  unknownFields: (def: ResourceDefinition, obj: unknown) => string[];
  /** The kind's strategic-merge-patch strategies, from its OpenAPI schema. */
  patchMeta: (def: ResourceDefinition) => PatchMeta;
  /** Typed decoding: refuses values of the wrong JSON type (400) and drops nulls. */
  checkTypes: (def: ResourceDefinition, obj: unknown) => void;
  /** The REST store of another served resource (e.g. PodDisruptionBudgets for evictions). */
  storeFor: (group: string, version: string, resource: string) => RestStore<KubeObject> | undefined;
  /** serviceaccounts/token, when the server issues service-account tokens. */
  tokenRequests?: TokenRequestContext;
}
