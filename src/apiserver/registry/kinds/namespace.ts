// core/v1 namespaces: cluster-scoped, no deletecollection, finalize and status subresources.
// New namespaces get phase Active and the "kubernetes" finalizer; the kubernetes.io/metadata.name
// label always carries the name. spec.finalizers changes only through /finalize.

import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy } from '../resource.js';
import { ageColumn, define, keepAllButStatus, keepStatus, qualifiedName, statusSubresource } from './util.js';
import type { Writable } from './util.js';

export type NamespaceObj = Writable<Namespace>;

export const FINALIZER_KUBERNETES = 'kubernetes';
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

function validateFinalizers(ns: NamespaceObj): FieldError[] {
  const errs: FieldError[] = [];
  (ns.spec?.finalizers ?? []).forEach((f, i) => {
    const p = field.path('spec', 'finalizers').index(i);
    const q = qualifiedName(f, p);
    errs.push(...q);
    if (q.length === 0 && f !== FINALIZER_KUBERNETES && !f.includes('/')) {
      errs.push(field.invalid(p, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

function labelName(ns: NamespaceObj): void {
  const name = ns.metadata?.name;
  if (!name) return;
  const meta = (ns.metadata ??= {});
  meta.labels = { ...meta.labels, [LABEL_METADATA_NAME]: name };
}

export const namespaceStrategy: Strategy<NamespaceObj> = {
  defaults: labelName,
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const spec = (ns.spec ??= {});
    if (!(spec.finalizers ?? []).includes(FINALIZER_KUBERNETES)) spec.finalizers = [...(spec.finalizers ?? []), FINALIZER_KUBERNETES];
    labelName(ns);
  },
  prepareForUpdate(ns, old) {
    const spec = (ns.spec ??= {});
    if (old.spec?.finalizers) spec.finalizers = [...old.spec.finalizers];
    else delete spec.finalizers;
    if (Object.keys(spec).length === 0 && !old.spec) delete ns.spec;
    keepStatus(ns, old);
    labelName(ns);
  },
  validate: validateFinalizers,
  validateUpdate: validateFinalizers,
  // A deleted namespace stays, Terminating, until the namespace controller has emptied it and
  // cleared spec.finalizers through /finalize.
  holdOnDelete: (ns) => (ns.spec?.finalizers?.length ?? 0) > 0,
  prepareForDeletion(ns) {
    ns.status = { ...ns.status, phase: 'Terminating' };
  },
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

/** namespaces/finalize: only spec.finalizers changes. */
export const namespaceFinalizeStrategy: Strategy<NamespaceObj> = {
  prepareForUpdate(ns, old) {
    const finalizers = ns.spec?.finalizers;
    keepAllButStatus(ns, old);
    keepStatus(ns, old);
    const spec = (ns.spec ??= {});
    if (finalizers) spec.finalizers = finalizers;
    else delete spec.finalizers;
  },
  validateUpdate: validateFinalizers,
};

export const namespaces = define<NamespaceObj>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  strategy: namespaceStrategy,
  hasStatus: true,
  columns: [{ name: 'Status', type: 'string', description: 'The status of the namespace', cell: (ns) => ns.status?.phase ?? '' }, ageColumn()],
  fields: { 'status.phase': (ns) => ns.status?.phase ?? '' },
  subresources: [
    { name: 'finalize', kind: 'Namespace', verbs: ['update'], strategy: namespaceFinalizeStrategy },
    statusSubresource('Namespace'),
  ],
});
