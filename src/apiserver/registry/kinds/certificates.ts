// certificates.k8s.io/v1 certificatesigningrequests: cluster-scoped, approval and status
// subresources, kubectl's CSR table (CONDITION from Approved/Denied/Failed and the issued
// certificate), the spec.signerName field selector, and the CSR strategy: spec is immutable,
// status changes only through /status and approval conditions only through /approval; the
// requester's name and groups are recorded in spec on create.

import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy } from '../resource.js';
import { humanDuration } from './duration.js';
import { ageColumn, define, qualifiedName, statusSubresource } from './util.js';

const APPROVAL_TYPES = new Set(['Approved', 'Denied']);
const USAGES = [
  'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment', 'decipher only', 'digital signature',
  'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'key agreement', 'key encipherment', 'microsoft sgc',
  'netscape sgc', 'ocsp signing', 's/mime', 'server auth', 'signing', 'timestamping',
];

/** printers.go extractCSRStatus. */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

function validateSigner(name: string | undefined): FieldError[] {
  const p = field.path('spec', 'signerName');
  if (!name) return [field.required(p, '')];
  const [domain, ...path] = name.split('/');
  if (path.length === 0) return [field.invalid(p, name, 'must be a fully qualified domain and path of the form \'example.com/signer-name\'')];
  return qualifiedName(`${domain}/x`, p).length > 0 ? [field.invalid(p, name, 'must be a fully qualified domain and path of the form \'example.com/signer-name\'')] : [];
}

function validateConditions(conds: readonly CertificateSigningRequestCondition[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const p = field.path('status', 'conditions');
  const seen = new Set<string>();
  (conds ?? []).forEach((c, i) => {
    if (!c.type) errs.push(field.required(p.index(i).child('type'), ''));
    else if (seen.has(c.type)) errs.push(field.duplicate(p.index(i).child('type'), c.type));
    seen.add(c.type);
    if (c.status && !['True', 'False', 'Unknown'].includes(c.status)) errs.push(field.notSupported(p.index(i).child('status'), c.status, ['False', 'True', 'Unknown']));
  });
  if (seen.has('Approved') && seen.has('Denied')) errs.push(field.invalid(p, conds, 'Approved and Denied conditions are mutually exclusive'));
  return errs;
}

function validateCSR(csr: CertificateSigningRequest): FieldError[] {
  const errs: FieldError[] = [];
  const p = field.path('spec');
  const request = csr.spec?.request;
  if (!request) errs.push(field.required(p.child('request'), ''));
  else if (!Buffer.from(request, 'base64').toString('latin1').includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    errs.push(field.invalid(p.child('request'), '<request>', 'PEM block type must be CERTIFICATE REQUEST'));
  }
  errs.push(...validateSigner(csr.spec?.signerName));
  const exp = csr.spec?.expirationSeconds;
  if (exp !== undefined && exp < 600) errs.push(field.invalid(p.child('expirationSeconds'), exp, 'may not specify a duration less than 600 seconds (10 minutes)'));
  (csr.spec?.usages ?? []).forEach((u, i) => {
    if (!USAGES.includes(u)) errs.push(field.notSupported(p.child('usages').index(i), u, USAGES));
  });
  errs.push(...validateConditions(csr.status?.conditions));
  return errs;
}

const defaultConditions = (csr: CertificateSigningRequest): void => {
  for (const c of csr.status?.conditions ?? []) c.status ||= 'True';
};

export const csrStrategy: Strategy<CertificateSigningRequest> = {
  defaults: defaultConditions,
  prepareForCreate(csr, ctx) {
    csr.status = {};
    // the requester, as the API server saw it, for approvers and signers to judge (never the client's say)
    const spec = (csr.spec ??= { request: '', signerName: '' });
    delete spec.username;
    delete spec.uid;
    delete spec.groups;
    delete spec.extra;
    if (ctx.user) {
      spec.username = ctx.user.name;
      spec.groups = [...ctx.user.groups];
    }
  },
  prepareForUpdate(csr, old) {
    csr.spec = structuredClone(old.spec);
    csr.status = structuredClone(old.status);
  },
  validate: validateCSR,
  validateUpdate: validateCSR,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

/** certificatesigningrequests/status: the certificate and non-approval conditions. */
export const csrStatusStrategy: Strategy<CertificateSigningRequest> = {
  prepareForUpdate(csr, old) {
    csr.spec = structuredClone(old.spec);
    const approvals = (old.status?.conditions ?? []).filter((c) => APPROVAL_TYPES.has(c.type));
    const others = (csr.status?.conditions ?? []).filter((c) => !APPROVAL_TYPES.has(c.type));
    const status = (csr.status ??= {});
    status.conditions = [...approvals, ...others];
    if (status.conditions.length === 0) delete status.conditions;
  },
  validateUpdate(csr, old) {
    const errs = validateConditions(csr.status?.conditions);
    if (old.status?.certificate && csr.status?.certificate !== old.status.certificate) {
      errs.push(field.forbidden(field.path('status', 'certificate'), 'updates may not modify existing certificate content'));
    }
    return errs;
  },
};

/** certificatesigningrequests/approval: only the Approved/Denied conditions. */
export const csrApprovalStrategy: Strategy<CertificateSigningRequest> = {
  defaults: defaultConditions,
  prepareForUpdate(csr, old) {
    csr.spec = structuredClone(old.spec);
    const approvals = (csr.status?.conditions ?? []).filter((c) => APPROVAL_TYPES.has(c.type));
    const others = (old.status?.conditions ?? []).filter((c) => !APPROVAL_TYPES.has(c.type));
    csr.status = structuredClone(old.status ?? {});
    csr.status.conditions = [...approvals, ...others];
    if (csr.status.conditions.length === 0) delete csr.status.conditions;
  },
  validateUpdate(csr, old) {
    const errs = validateConditions(csr.status?.conditions);
    const p = field.path('status', 'conditions');
    for (const t of APPROVAL_TYPES) {
      const before = (old.status?.conditions ?? []).find((c) => c.type === t);
      const after = (csr.status?.conditions ?? []).find((c) => c.type === t);
      if (before && !after) errs.push(field.forbidden(p, `updates may not remove a condition of type "${t}"`));
      if (before && after && before.status !== after.status) errs.push(field.forbidden(p, `updates may not change the status of a condition of type "${t}"`));
    }
    return errs;
  },
};

export const certificatesigningrequests = define<CertificateSigningRequest>({
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  resource: 'certificatesigningrequests',
  singular: 'certificatesigningrequest',
  namespaced: false,
  shortNames: ['csr'],
  strategy: csrStrategy,
  hasStatus: true,
  columns: [
    ageColumn(),
    { name: 'SignerName', type: 'string', description: 'signerName indicates the requested signer.', cell: (c) => c.spec?.signerName || '<none>' },
    { name: 'Requestor', type: 'string', description: 'username contains the name of the user that created the CertificateSigningRequest.', cell: (c) => c.spec?.username ?? '' },
    {
      name: 'RequestedDuration',
      type: 'string',
      description: 'expirationSeconds is the requested duration of validity of the issued certificate.',
      cell: (c) => (c.spec?.expirationSeconds !== undefined ? humanDuration(c.spec.expirationSeconds * 1000) : '<none>'),
    },
    { name: 'Condition', type: 'string', description: 'Conditions applied to the request.', cell: csrCondition },
  ],
  fields: { 'spec.signerName': (c) => c.spec?.signerName ?? '' },
  subresources: [
    { name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'], strategy: csrApprovalStrategy },
    statusSubresource('CertificateSigningRequest', csrStatusStrategy),
  ],
});
