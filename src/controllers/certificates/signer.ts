// The CSR signing controller (pkg/controller/certificates/signer): signs approved requests for
// the built-in signers kubernetes.io/kube-apiserver-client-kubelet, kubernetes.io/kubelet-serving
// and kubernetes.io/kube-apiserver-client with the cluster CA (--cluster-signing-cert/key-file),
// for spec.expirationSeconds within [10 min, --cluster-signing-duration] (validity.ts). A request
// its signer refuses gets the Failed condition (SignerValidationFailure) instead.

import { X509Certificate } from 'node:crypto';
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1.js';
import { formatTime } from '../../api/meta.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { signCertificateRequest } from '../../util/pki/index.js';
import { QueueController } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { certificateWindow, signingTtlMs } from './validity.js';
import { asKeyUsages, conditionOf, decodeRequest, signerProblem, SIGNERS } from './node-csr.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export class CsrSigner extends QueueController {
  private readonly csrs: SharedIndexInformer<CertificateSigningRequest>;

  constructor(ctx: ControllerContext) {
    super('csrsigning', ctx, { workers: ctx.settings.concurrentSyncs });
    this.csrs = ctx.informers.forResource<CertificateSigningRequest>(resources.CERTIFICATESIGNINGREQUESTS);
    this.csrs.addEventHandler({ onAdd: (csr) => this.enqueue(csr), onUpdate: (_, csr) => this.enqueue(csr) });
    if (!ctx.clusterSigning) this.log.info('no cluster signing CA: certificate signing requests stay unsigned');
  }

  protected async reconcile(name: string): Promise<void> {
    const ca = this.ctx.clusterSigning;
    const csr = this.csrs.lister().get(name);
    if (!ca || !csr || csr.status?.certificate || !conditionOf(csr, 'Approved') || conditionOf(csr, 'Denied') || conditionOf(csr, 'Failed')) return;
    const signerName = csr.spec?.signerName ?? '';
    if (!SIGNERS.has(signerName)) return;
    const usages = csr.spec?.usages ?? [];
    const req = decodeRequest(csr);
    const problem = req ? signerProblem(signerName, req, usages) : 'the request is not a valid PKCS#10 certificate request';
    const client = this.ctx.client.resource<CertificateSigningRequest>(resources.CERTIFICATESIGNINGREQUESTS);
    if (problem) {
      await client.updateStatus({ ...csr, status: { ...csr.status, conditions: [...(csr.status?.conditions ?? []), this.condition('Failed', 'SignerValidationFailure', problem)] } });
      return;
    }
    const ttlMs = signingTtlMs(csr.spec?.expirationSeconds, this.ctx.settings.clusterSigningDurationMs);
    const window = certificateWindow(this.ctx.clock.now(), ttlMs, Date.parse(new X509Certificate(ca.certPem).validTo));
    const pem = await signCertificateRequest(ca, Buffer.from(csr.spec!.request, 'base64').toString('utf8'), {
      validityDays: ttlMs / DAY_MS,
      window,
      clock: this.ctx.clock,
      usages: asKeyUsages(usages),
    });
    await client.updateStatus({ ...csr, status: { ...csr.status, certificate: Buffer.from(pem, 'utf8').toString('base64') } });
  }

  private condition(type: string, reason: string, message: string): CertificateSigningRequestCondition {
    const now = formatTime(this.ctx.clock.now());
    return { type, status: 'True', reason, message, lastUpdateTime: now, lastTransitionTime: now };
  }
}
