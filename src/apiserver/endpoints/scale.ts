// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets and
// replication controllers: reads present the parent's replicas and selector; writes (PUT or any
// patch type) change only the parent's spec.replicas, with optimistic concurrency on the parent.

import { invalid } from '../../api/field-errors.js';
import { path } from '../../api/field-path.js';
import type { KubeObject, ObjectMeta } from '../../api/object.js';
import { newBadRequest, newConflict, newInvalid } from '../../api/status-errors.js';
import { NO_PATCH_META } from '../patch/patch-meta.js';
import type { LabelSelector } from '../../api/labels/index.js';
import { selectorString } from '../registry/kinds/util.js';
import type { RestStore } from '../registry/rest-store.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { decodeBody, mediaType } from './decode.js';
import { readBody, writeJson, type ApiRequest, type ApiResponse } from './http.js';
import { applyPatch } from './patch.js';

interface Scalable extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelector | Record<string, string> };
  status?: { replicas?: number };
}

interface Scale {
  kind: 'Scale';
  apiVersion: 'autoscaling/v1';
  metadata: ObjectMeta;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function toScale(obj: Scalable): Scale {
  const m = obj.metadata ?? {};
  const selector = obj.spec?.selector;
  const text =
    selector && ('matchLabels' in selector || 'matchExpressions' in selector)
      ? selectorString(selector as LabelSelector)
      : Object.entries((selector as Record<string, string> | undefined) ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .sort()
          .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, ...(text ? { selector: text } : {}) },
  };
}

export async function handleScale(
  req: ApiRequest,
  res: ApiResponse,
  verb: string,
  def: ResourceDefinition,
  store: RestStore<KubeObject>,
  namespace: string | undefined,
  name: string,
  write: { dryRun: boolean },
): Promise<void> {
  if (verb === 'get') return writeJson(res, 200, toScale((await store.get(namespace, name)) as Scalable));
  if (verb !== 'update' && verb !== 'patch') throw newBadRequest(`${verb} is not supported on the scale subresource`);
  const body = await readBody(req);
  const type = mediaType(req.headers['content-type']);
  const { object } = await store.update(
    namespace,
    name,
    (current) => {
      const parent = current as Scalable;
      const scale = toScale(parent);
      const wanted = (verb === 'update' ? decodeBody(body, req.headers['content-type'], { group: 'autoscaling', version: 'v1', kind: 'Scale' }).value : applyPatch(type, scale, body, NO_PATCH_META)) as Scale;
      const replicas = wanted?.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw newInvalid({ group: 'autoscaling', kind: 'Scale' }, name, [
          invalid(path('spec', 'replicas'), replicas ?? null, 'must be greater than or equal to 0'),
        ]);
      }
      const rv = wanted.metadata?.resourceVersion;
      if (verb === 'update' && rv && rv !== parent.metadata?.resourceVersion) {
        throw newConflict(
          { group: def.group, resource: def.resource },
          name,
          'the object has been modified; please apply your changes to the latest version and try again',
        );
      }
      return { ...parent, spec: { ...parent.spec, replicas } } as KubeObject;
    },
    write,
  );
  writeJson(res, 200, toScale(object as Scalable));
}
