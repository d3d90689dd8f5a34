// apiextensions.k8s.io/v1 customresourcedefinitions: cluster-scoped, crd/crds, category
// api-extensions, status subresource, the default NAME / CREATED AT table, and the CRD strategy:
// name defaults (singular, listKind), conversion None, storedVersions tracking, and validation
// of the name, group, names, scope and versions. Serving the custom resources is not here.

import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import { isDNS1035Label } from '../../../api/validation/names.js';
import type { Strategy } from '../resource.js';
import { createdAtColumn, define, dnsLabel, dnsSubdomain, immutable, keepAllButStatus, keepStatus, statusSubresource } from './util.js';

type CRD = CustomResourceDefinition;

function trackStoredVersion(crd: CRD): void {
  const storage = (crd.spec?.versions ?? []).find((v) => v.storage);
  const status = (crd.status ??= { acceptedNames: { kind: '', plural: '' }, storedVersions: [] });
  status.acceptedNames ??= { kind: '', plural: '' };
  status.storedVersions ??= [];
  if (storage && !status.storedVersions.includes(storage.name)) status.storedVersions.push(storage.name);
}

function validateCRD(crd: CRD): FieldError[] {
  const errs: FieldError[] = [];
  const sp = field.path('spec');
  const spec = crd.spec;
  const group = spec?.group ?? '';
  const plural = spec?.names?.plural ?? '';
  if (crd.metadata?.name !== `${plural}.${group}`) {
    errs.push(field.invalid(field.path('metadata', 'name'), crd.metadata?.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  }
  if (!group) errs.push(field.required(sp.child('group'), ''));
  else {
    errs.push(...dnsSubdomain(group, sp.child('group')));
    if (!group.includes('.')) errs.push(field.invalid(sp.child('group'), group, 'should be a domain with at least one dot'));
  }
  const np = sp.child('names');
  if (!plural) errs.push(field.required(np.child('plural'), ''));
  else errs.push(...dnsLabel(plural, np.child('plural')));
  if (spec?.names?.singular) errs.push(...dnsLabel(spec.names.singular, np.child('singular')));
  if (!spec?.names?.kind) errs.push(field.required(np.child('kind'), ''));
  if (!spec?.names?.listKind) errs.push(field.required(np.child('listKind'), ''));
  (spec?.names?.shortNames ?? []).forEach((s, i) => errs.push(...dnsLabel(s, np.child('shortNames').index(i))));
  if (!spec?.scope) errs.push(field.required(sp.child('scope'), ''));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(field.notSupported(sp.child('scope'), spec.scope, ['Cluster', 'Namespaced']));
  const versions = spec?.versions ?? [];
  if (versions.length === 0) errs.push(field.invalid(sp.child('versions'), versions, 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage).length !== 1) {
    errs.push(field.invalid(sp.child('versions'), versions, 'must have exactly one version marked as storage version'));
  }
  const names = new Set<string>();
  versions.forEach((v, i) => {
    const vp = sp.child('versions').index(i);
    if (!v.name) errs.push(field.required(vp.child('name'), ''));
    else {
      for (const m of isDNS1035Label(v.name)) errs.push(field.invalid(vp.child('name'), v.name, m));
      if (names.has(v.name)) errs.push(field.invalid(sp.child('versions'), versions, 'must contain unique version names'));
      names.add(v.name);
    }
    if (!v.schema?.openAPIV3Schema) errs.push(field.required(vp.child('schema', 'openAPIV3Schema'), 'schemas are required'));
  });
  const conv = spec?.conversion?.strategy;
  if (conv && conv !== 'None' && conv !== 'Webhook') errs.push(field.notSupported(sp.child('conversion', 'strategy'), conv, ['None', 'Webhook']));
  return errs;
}

export const crdStrategy: Strategy<CRD> = {
  defaults(crd) {
    const spec = crd.spec;
    if (!spec?.names) return;
    if (spec.names.kind) {
      spec.names.singular ||= spec.names.kind.toLowerCase();
      spec.names.listKind ||= `${spec.names.kind}List`;
    }
    spec.conversion ??= { strategy: 'None' };
  },
  prepareForCreate(crd) {
    crd.status = { acceptedNames: { kind: '', plural: '' }, storedVersions: [] };
    trackStoredVersion(crd);
  },
  prepareForUpdate(crd, old) {
    keepStatus(crd, old);
    trackStoredVersion(crd);
  },
  validate: validateCRD,
  validateUpdate: (crd, old) => [
    ...validateCRD(crd),
    ...immutable(crd.spec?.group, old.spec?.group, field.path('spec', 'group')),
    ...immutable(crd.spec?.names?.plural, old.spec?.names?.plural, field.path('spec', 'names', 'plural')),
  ],
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
};

export const customresourcedefinitions = define<CRD>({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  strategy: crdStrategy,
  hasStatus: true,
  columns: [createdAtColumn()],
  subresources: [statusSubresource('CustomResourceDefinition', { prepareForUpdate: keepAllButStatus })],
});
