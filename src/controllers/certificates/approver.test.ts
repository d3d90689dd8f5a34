import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { createCertificateRequest, type CertificateRequestOptions } from '../../util/pki/index.js';
import { autoApproval } from './approver.js';
import { decodeRequest, signerProblem } from './node-csr.js';

const NODE = { commonName: 'system:node:n1', organizations: ['system:nodes'] };

async function csr(subject: CertificateRequestOptions, spec: Partial<CertificateSigningRequest['spec']>): Promise<CertificateSigningRequest> {
  const { csrPem } = await createCertificateRequest(subject);
  return { metadata: { name: 'c' }, spec: { request: Buffer.from(csrPem).toString('base64'), signerName: '', ...spec } };
}

describe('CSR auto-approval', () => {
  let clientReq: CertificateSigningRequest;
  let servingReq: CertificateSigningRequest;
  before(async () => {
    clientReq = await csr(NODE, { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] });
    servingReq = await csr({ ...NODE, ipAddresses: ['10.0.0.5'], dnsNames: ['n1'] }, { signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] });
  });

  it('approves a kubelet client certificate for a bootstrap token user, an admin or the node itself', () => {
    const withUser = (c: CertificateSigningRequest, username: string, groups: string[]) => ({ ...c, spec: { ...c.spec, username, groups } });
    assert.match(autoApproval(withUser(clientReq, 'system:bootstrap:abcdef', ['system:bootstrappers', 'system:authenticated'])) ?? '', /^Auto approving kubelet client certificate/);
    assert.match(autoApproval(withUser(clientReq, 'system:node:n1', ['system:nodes'])) ?? '', /^Auto approving self kubelet client certificate/);
    assert.equal(autoApproval(withUser(clientReq, 'system:node:n2', ['system:nodes'])), undefined, "another node's certificate");
    assert.equal(autoApproval(withUser(clientReq, 'alice', ['system:authenticated'])), undefined);
    assert.match(autoApproval(withUser(clientReq, 'kubernetes-admin', ['system:masters', 'system:authenticated'])) ?? '', /^Auto approving kubelet client certificate/);
  });

  it("approves a node's own serving certificate, nobody else's", () => {
    const withUser = (username: string, groups: string[]) => ({ ...servingReq, spec: { ...servingReq.spec, username, groups } });
    assert.match(autoApproval(withUser('system:node:n1', ['system:nodes'])) ?? '', /serving certificate/);
    assert.equal(autoApproval(withUser('system:bootstrap:abcdef', ['system:bootstrappers'])), undefined);
    assert.equal(autoApproval(withUser('system:node:n2', ['system:nodes'])), undefined);
  });

  it('leaves requests that do not look like the kubelet\'s', async () => {
    const admin = await csr({ commonName: 'system:node:n1', organizations: ['system:masters'] }, { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['client auth'], username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] });
    assert.equal(autoApproval(admin), undefined);
    const serverUsage = { ...clientReq, spec: { ...clientReq.spec, usages: ['server auth'], username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] } };
    assert.equal(autoApproval(serverUsage), undefined);
  });

  it('signers validate what they sign', () => {
    const req = decodeRequest(servingReq)!;
    assert.equal(signerProblem('kubernetes.io/kubelet-serving', req, ['digital signature', 'server auth']), undefined);
    assert.match(signerProblem('kubernetes.io/kube-apiserver-client-kubelet', req, ['client auth']) ?? '', /subjectAltNames/);
    assert.match(signerProblem('kubernetes.io/kubelet-serving', req, ['client auth']) ?? '', /server auth/);
    assert.match(signerProblem('example.com/other', req, []) ?? '', /unknown signer/);
  });
});
