// rbac.authorization.k8s.io/v1 roles, clusterroles, rolebindings and clusterrolebindings: no
// printer for roles (the default NAME / CREATED AT table), ROLE and subjects for bindings, the
// defaults of roleRef and subject API groups, rule and binding validation, immutable roleRef.

import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy, TableColumn } from '../resource.js';
import { ageColumn, createdAtColumn, deepEqual, define, wide } from './util.js';

const GROUP = 'rbac.authorization.k8s.io';

function validateRules(rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((rule, i) => {
    const p = field.path('rules').index(i);
    if ((rule.verbs ?? []).length === 0) errs.push(field.required(p.child('verbs'), 'verbs must contain at least one value'));
    const nonResource = (rule.nonResourceURLs ?? []).length > 0;
    if (nonResource) {
      if (namespaced) errs.push(field.invalid(p.child('nonResourceURLs'), rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
      if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
        errs.push(field.invalid(p.child('nonResourceURLs'), rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if ((rule.apiGroups ?? []).length === 0) errs.push(field.required(p.child('apiGroups'), 'resource rules must supply at least one api group'));
    if ((rule.resources ?? []).length === 0) errs.push(field.required(p.child('resources'), 'resource rules must supply at least one resource'));
  });
  return errs;
}

function validateRoleRef(ref: RoleRef | undefined, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const p = field.path('roleRef');
  if (ref?.apiGroup !== GROUP) errs.push(field.notSupported(p.child('apiGroup'), ref?.apiGroup ?? '', [GROUP]));
  if (!ref?.kind || !kinds.includes(ref.kind)) errs.push(field.notSupported(p.child('kind'), ref?.kind ?? '', kinds));
  if (!ref?.name) errs.push(field.required(p.child('name'), ''));
  return errs;
}

function validateSubjects(subjects: readonly Subject[] | undefined, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (subjects ?? []).forEach((s, i) => {
    const p = field.path('subjects').index(i);
    if (!s.name) errs.push(field.required(p.child('name'), ''));
    switch (s.kind) {
      case 'ServiceAccount':
        if (s.apiGroup) errs.push(field.notSupported(p.child('apiGroup'), s.apiGroup, ['']));
        if (clusterScoped && !s.namespace) errs.push(field.required(p.child('namespace'), ''));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== GROUP) errs.push(field.notSupported(p.child('apiGroup'), s.apiGroup ?? '', [GROUP]));
        break;
      default:
        errs.push(field.notSupported(p.child('kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

function defaultBinding(b: { roleRef?: RoleRef; subjects?: Subject[] }): void {
  if (b.roleRef && !b.roleRef.apiGroup) b.roleRef.apiGroup = GROUP;
  for (const s of b.subjects ?? []) {
    if (s.apiGroup === undefined || s.apiGroup === '') {
      if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = GROUP;
      else if (s.kind === 'ServiceAccount') s.apiGroup = '';
    }
  }
}

function bindingStrategy<T extends RoleBinding | ClusterRoleBinding>(kinds: readonly string[], clusterScoped: boolean): Strategy<T> {
  const validate = (b: T): FieldError[] => [...validateRoleRef(b.roleRef, kinds), ...validateSubjects(b.subjects, clusterScoped)];
  return {
    defaults: defaultBinding,
    validate,
    validateUpdate(b, old) {
      const errs = validate(b);
      if (!deepEqual(b.roleRef, old.roleRef)) errs.push(field.invalid(field.path('roleRef'), b.roleRef, 'cannot change roleRef'));
      return errs;
    },
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  };
}

function subjects(b: RoleBinding | ClusterRoleBinding): { users: string; groups: string; sas: string } {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of b.subjects ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return { users: users.join(', '), groups: groups.join(', '), sas: sas.join(', ') };
}

function bindingColumns<T extends RoleBinding | ClusterRoleBinding>(what: string): TableColumn<T>[] {
  return [
    { name: 'Role', type: 'string', description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.', cell: (b) => `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}` },
    ageColumn(),
    wide('Users', (b) => subjects(b).users, { description: `Users in the ${what}` }),
    wide('Groups', (b) => subjects(b).groups, { description: `Groups in the ${what}` }),
    wide('ServiceAccounts', (b) => subjects(b).sas, { description: `ServiceAccounts in the ${what}` }),
  ];
}

export const roles = define<Role>({
  group: GROUP,
  version: 'v1',
  kind: 'Role',
  resource: 'roles',
  singular: 'role',
  namespaced: true,
  strategy: {
    validate: (r) => validateRules(r.rules, true),
    validateUpdate: (r) => validateRules(r.rules, true),
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
  columns: [createdAtColumn()],
});

export const clusterroles = define<ClusterRole>({
  group: GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  resource: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  strategy: {
    validate: (r) => validateRules(r.rules, false),
    validateUpdate: (r) => validateRules(r.rules, false),
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
  columns: [createdAtColumn()],
});

export const rolebindings = define<RoleBinding>({
  group: GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  resource: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  strategy: bindingStrategy<RoleBinding>(['ClusterRole', 'Role'], false),
  columns: bindingColumns<RoleBinding>('roleBinding'),
});

export const clusterrolebindings = define<ClusterRoleBinding>({
  group: GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  resource: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  strategy: bindingStrategy<ClusterRoleBinding>(['ClusterRole'], true),
  columns: bindingColumns<ClusterRoleBinding>('clusterRoleBinding'),
});
