// The CSR approving controller (pkg/controller/certificates/approver): approves the kubelet's own
// requests so that nodes join without an administrator. Kubernetes asks a SubjectAccessReview for
// certificatesigningrequests/nodeclient or /selfnodeclient; Kite has no RBAC yet, so the
// requester's identity decides: a kubelet client certificate for a bootstrap token's user
// (system:bootstrappers), a cluster admin (system:masters, whom Kubernetes' default RBAC allows
// everything) or the node itself is approved. Kite also approves a node's own
// kubelet-serving request (Kubernetes leaves those to the administrator) so that the API server
// can verify every kubelet it talks to against the cluster CA. Anything else waits for
// `kubectl certificate approve`.

import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { formatTime } from '../../api/meta.js';
import { BOOTSTRAPPERS_GROUP } from '../../api/bootstrap-token.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { ADMIN_GROUP } from '../../util/pki/index.js';
import { QueueController } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { conditionOf, decodeRequest, kubeletClientProblem, kubeletServingProblem, KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER, NODES_GROUP } from './node-csr.js';

/** Why the controller approves `csr` (the condition's message), or undefined when it leaves it. */
export function autoApproval(csr: CertificateSigningRequest): string | undefined {
  const req = decodeRequest(csr);
  if (!req) return undefined;
  const usages = csr.spec?.usages ?? [];
  const user = csr.spec?.username ?? '';
  const groups = csr.spec?.groups ?? [];
  const self = user === req.commonName;
  if (csr.spec?.signerName === KUBELET_CLIENT_SIGNER && !kubeletClientProblem(req, usages)) {
    if (self) return 'Auto approving self kubelet client certificate after SubjectAccessReview.';
    if (groups.includes(BOOTSTRAPPERS_GROUP) || groups.includes(ADMIN_GROUP)) return 'Auto approving kubelet client certificate after SubjectAccessReview.';
  }
  if (csr.spec?.signerName === KUBELET_SERVING_SIGNER && self && groups.includes(NODES_GROUP) && !kubeletServingProblem(req, usages)) {
    return 'Auto approving kubelet serving certificate requested by the node itself.';
  }
  return undefined;
}

export class CsrApprover extends QueueController {
  private readonly csrs: SharedIndexInformer<CertificateSigningRequest>;

  constructor(ctx: ControllerContext) {
    super('csrapproving', ctx, { workers: ctx.settings.concurrentSyncs });
    this.csrs = ctx.informers.forResource<CertificateSigningRequest>(resources.CERTIFICATESIGNINGREQUESTS);
    this.csrs.addEventHandler({ onAdd: (csr) => this.enqueue(csr), onUpdate: (_, csr) => this.enqueue(csr) });
  }

  protected async reconcile(name: string): Promise<void> {
    const csr = this.csrs.lister().get(name);
    if (!csr || csr.status?.certificate || conditionOf(csr, 'Approved') || conditionOf(csr, 'Denied')) return;
    const message = autoApproval(csr);
    if (!message) return;
    const approved: CertificateSigningRequest = {
      ...csr,
      status: {
        ...csr.status,
        conditions: [
          ...(csr.status?.conditions ?? []),
          { type: 'Approved', status: 'True', reason: 'AutoApproved', message, lastUpdateTime: formatTime(this.ctx.clock.now()) },
        ],
      },
    };
    await this.ctx.client.resource<CertificateSigningRequest>(resources.CERTIFICATESIGNINGREQUESTS).updateSubresource(name, 'approval', approved);
  }
}
