// pods/binding: the scheduler's (or anyone's) request to assign a pod to a node, as
// kube-apiserver's BindingREST handles it — only an unassigned, not-deleting pod can be bound;
// binding sets spec.nodeName and the PodScheduled condition in one compare-and-swap.

import type { KubeObject } from '../../api/object.js';
import { newBadRequest, newConflict } from '../../api/status-errors.js';
import type { RestStore } from '../registry/rest-store.js';
import { decodeNamedBody } from './decode.js';
import { readBody, writeJson, type ApiRequest, type ApiResponse } from './http.js';

interface Binding {
  metadata?: { name?: string; uid?: string; resourceVersion?: string; annotations?: Record<string, string> };
  target?: { kind?: string; name?: string };
}

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
  status?: { conditions?: PodCondition[] };
}

export async function handleBinding(
  req: ApiRequest,
  res: ApiResponse,
  pods: RestStore<KubeObject>,
  namespace: string | undefined,
  name: string,
  now: () => string,
  dryRun: boolean,
): Promise<void> {
  const binding = decodeNamedBody<Binding>(await readBody(req), req.headers['content-type'], name, { group: '', version: 'v1', kind: 'Binding' });
  const node = binding.target?.name;
  if (!node) throw newBadRequest('Binding target.name is required');
  if (binding.target?.kind && binding.target.kind !== 'Node') {
    throw newBadRequest(`Binding target.kind must be "Node", not "${binding.target.kind}"`);
  }
  const qr = { group: '', resource: 'pods' };
  await pods.update(
    namespace,
    name,
    (current) => {
      // `current` is the store's own freshly decoded copy (a deep clone under dryRun); the binding
      // replaces spec, status and (for annotations) metadata with new objects, and the registry sets
      // only top-level metadata fields, so a shallow copy with its own metadata leaves it untouched.
      const pod = { ...current, metadata: { ...current?.metadata } } as Pod;
      if (binding.metadata?.uid && binding.metadata.uid !== pod.metadata?.uid) {
        throw newConflict(qr, name, `Precondition failed: UID in precondition: ${binding.metadata.uid}, UID in object meta: ${pod.metadata?.uid ?? ''}`);
      }
      if (pod.metadata?.deletionTimestamp) throw newConflict(qr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      if (pod.spec?.nodeName) throw newConflict(qr, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
      pod.spec = { ...pod.spec, nodeName: node };
      if (binding.metadata?.annotations) {
        pod.metadata = { ...pod.metadata, annotations: { ...pod.metadata?.annotations, ...binding.metadata.annotations } };
      }
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now() });
      pod.status = { ...pod.status, conditions };
      return pod;
    },
    { dryRun, subresource: { prepareForUpdate: () => {} }, subresourceName: 'binding' },
  );
  writeJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
