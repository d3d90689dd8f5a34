// What the kubelet asks of the API server, as one narrow interface: its Node and node Lease, pod
// status patches, the final pod deletion and its static pods' mirror pods. `restKubeletApi` implements it over the REST client;
// unit tests use an in-memory one (test-support.ts).

import type { Node, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { RestClient } from '../client/rest/index.js';

export const POD_RESOURCE = { group: '', version: 'v1', resource: 'pods', namespaced: true, kind: 'Pod' } as const;
export const NODE_RESOURCE = { group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' } as const;
export const LEASE_RESOURCE = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true, kind: 'Lease' } as const;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface KubeletApi {
  getNode(name: string): Promise<Node>;
  createNode(node: Node): Promise<Node>;
  updateNode(node: Node): Promise<Node>;
  /** Strategic merge patch of nodes/NAME/status. */
  patchNodeStatus(name: string, status: Node['status']): Promise<Node>;
  getLease(namespace: string, name: string): Promise<Lease>;
  createLease(lease: Lease): Promise<Lease>;
  updateLease(lease: Lease): Promise<Lease>;
  /** Strategic merge patch of pods/NAME/status, refused when the pod's uid is no longer `uid`. */
  patchPodStatus(namespace: string, name: string, uid: string, status: PodStatus): Promise<Pod>;
  /** Deletes the pod object at once (gracePeriodSeconds 0) if it still has this uid. */
  deletePod(namespace: string, name: string, uid: string): Promise<void>;
  /** Creates a pod (a static pod's mirror pod). */
  createPod(pod: Pod): Promise<Pod>;
}

export function restKubeletApi(client: RestClient): KubeletApi {
  const nodes = client.resource<Node>(NODE_RESOURCE);
  const pods = client.resource<Pod>(POD_RESOURCE);
  const leases = client.resource<Lease>(LEASE_RESOURCE);
  return {
    getNode: (name) => nodes.get(name),
    createNode: (node) => nodes.create(node),
    updateNode: (node) => nodes.update(node),
    patchNodeStatus: (name, status) => nodes.patch(name, 'strategic', { status }, { subresource: 'status' }),
    getLease: (namespace, name) => leases.get(name, { namespace }),
    createLease: (lease) => leases.create(lease),
    updateLease: (lease) => leases.update(lease),
    patchPodStatus: (namespace, name, uid, status) =>
      pods.patch(name, 'strategic', { metadata: { uid }, status }, { namespace, subresource: 'status' }),
    async deletePod(namespace, name, uid) {
      await pods.delete(name, { namespace, gracePeriodSeconds: 0, preconditions: { uid } });
    },
    createPod: (pod) => pods.create(pod),
  };
}
