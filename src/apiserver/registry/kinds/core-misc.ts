// core/v1 serviceaccounts (token subresource), limitranges and resourcequotas (status
// subresource, REQUEST/LIMIT columns): names, columns and small strategies.

import type { LimitRange, ResourceQuota, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy } from '../resource.js';
import { quantityValue } from './quantity.js';
import { ageColumn, createdAtColumn, define, dnsSubdomain, keepStatus, resetStatus, statusSubresource } from './util.js';

// ---- serviceaccounts ------------------------------------------------------------------------

function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  const errs: FieldError[] = [];
  (sa.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s.name) errs.push(field.required(field.path('imagePullSecrets').index(i).child('name'), ''));
  });
  (sa.secrets ?? []).forEach((s, i) => {
    if (s.name) errs.push(...dnsSubdomain(s.name, field.path('secrets').index(i).child('name')));
  });
  return errs;
}

export const serviceaccounts = define<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  strategy: { validate: validateServiceAccount, validateUpdate: validateServiceAccount, allowCreateOnUpdate: true, allowUnconditionalUpdate: true },
  columns: [{ name: 'Secrets', type: 'string', description: 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', cell: (sa) => (sa.secrets ?? []).length }, ageColumn()],
  subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
});

// ---- limitranges ----------------------------------------------------------------------------

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const p = field.path('spec', 'limits').index(i);
    if (!item.type) errs.push(field.required(p.child('type'), ''));
    else if (!LIMIT_TYPES.includes(item.type)) errs.push(field.notSupported(p.child('type'), item.type, LIMIT_TYPES));
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) {
      for (const [name, q] of Object.entries(item[k] ?? {})) {
        if (quantityValue(q) === undefined) errs.push(field.invalid(p.child(k).key(name), q, 'must be a valid quantity'));
      }
    }
  });
  return errs;
}

export const limitranges = define<LimitRange>({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  resource: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  strategy: { validate: validateLimitRange, validateUpdate: validateLimitRange, allowCreateOnUpdate: true, allowUnconditionalUpdate: true },
  columns: [createdAtColumn()],
});

// ---- resourcequotas -------------------------------------------------------------------------

const QUOTA_SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

function quotaColumn(rq: ResourceQuota, limits: boolean): string {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const out: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const pieces = name.split('.');
    const isLimit = pieces.length > 1 && pieces[0] === 'limits';
    if (isLimit !== limits) continue;
    out.push(`${name}: ${String(used[name] ?? '0')}/${String(hard[name])}`);
  }
  return out.join(', ');
}

function validateQuota(rq: ResourceQuota): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(rq.spec?.hard ?? {})) {
    const v = quantityValue(q);
    const p = field.path('spec', 'hard').key(name);
    if (v === undefined) errs.push(field.invalid(p, q, 'must be a valid quantity'));
    else if (v < 0) errs.push(field.invalid(p, q, 'must be greater than or equal to 0'));
  }
  (rq.spec?.scopes ?? []).forEach((s, i) => {
    if (!QUOTA_SCOPES.includes(s)) errs.push(field.notSupported(field.path('spec', 'scopes').index(i), s, QUOTA_SCOPES));
  });
  return errs;
}

const quotaStrategy: Strategy<ResourceQuota> = {
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  validate: validateQuota,
  validateUpdate: validateQuota,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const resourcequotas = define<ResourceQuota>({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  resource: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  strategy: quotaStrategy,
  hasStatus: true,
  columns: [
    { name: 'Request', type: 'string', description: 'Request represents a minimum amount of cpu/memory that a container may consume.', cell: (rq) => quotaColumn(rq, false) },
    {
      name: 'Limit',
      type: 'string',
      description: 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      cell: (rq) => quotaColumn(rq, true),
    },
    ageColumn(),
  ],
  subresources: [statusSubresource('ResourceQuota')],
});
