import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinResources, nameValidatorFor } from './builtin.js';

const defs = builtinResources();
// By group/resource, the preferred (first) version.
const byName = new Map<string, (typeof defs)[number]>();
for (const d of defs) if (!byName.has(`${d.group}/${d.resource}`)) byName.set(`${d.group}/${d.resource}`, d);

test('every built-in kind is registered once, with discovery names', () => {
  assert.equal(defs.length, 35);
  assert.equal(new Set(defs.map((d) => `${d.group}/${d.version}/${d.resource}`)).size, defs.length);
  assert.deepEqual(defs.filter((d) => d.resource === 'horizontalpodautoscalers').map((d) => d.version), ['v2', 'v1'], 'autoscaling/v2 preferred');
  const short: Record<string, string[]> = {
    '/pods': ['po'], '/services': ['svc'], 'apps/deployments': ['deploy'], '/configmaps': ['cm'], '/namespaces': ['ns'], '/nodes': ['no'],
    '/endpoints': ['ep'], '/events': ['ev'], 'events.k8s.io/events': ['ev'], '/serviceaccounts': ['sa'], 'apps/replicasets': ['rs'],
    'apps/statefulsets': ['sts'], 'apps/daemonsets': ['ds'], 'batch/cronjobs': ['cj'], '/persistentvolumes': ['pv'],
    '/persistentvolumeclaims': ['pvc'], 'policy/poddisruptionbudgets': ['pdb'], 'scheduling.k8s.io/priorityclasses': ['pc'],
    '/resourcequotas': ['quota'], '/limitranges': ['limits'], 'certificates.k8s.io/certificatesigningrequests': ['csr'],
    'apiextensions.k8s.io/customresourcedefinitions': ['crd', 'crds'], 'autoscaling/horizontalpodautoscalers': ['hpa'], '/replicationcontrollers': ['rc'],
    'storage.k8s.io/storageclasses': ['sc'],
  };
  for (const [key, names] of Object.entries(short)) assert.deepEqual(byName.get(key)?.shortNames, names, key);
  const all = [...new Set(defs.filter((d) => d.categories?.includes('all')).map((d) => `${d.group}/${d.resource}`))].sort();
  assert.deepEqual(all, [
    '/pods', '/replicationcontrollers', '/services', 'apps/daemonsets', 'apps/deployments', 'apps/replicasets', 'apps/statefulsets',
    'autoscaling/horizontalpodautoscalers', 'batch/cronjobs', 'batch/jobs',
  ]);
});

test('the core group comes first and each group lists its resources alphabetically', () => {
  assert.equal(defs[0]!.group, '');
  const groups: string[] = [];
  for (const d of defs) if (groups[groups.length - 1] !== d.group) groups.push(d.group);
  assert.equal(new Set(groups).size, groups.length, 'groups are contiguous');
  for (const g of groups) {
    const names = defs.filter((d) => d.group === g).map((d) => d.resource);
    assert.deepEqual(names, [...names].sort(), g);
  }
});

test('hasStatus matches a status subresource; scale where Kubernetes has it', () => {
  for (const d of defs) {
    const status = d.subresources?.find((s) => s.name === 'status');
    assert.equal(!!d.hasStatus, !!status, `${d.group}/${d.resource}`);
    if (status) assert.deepEqual(status.verbs, ['get', 'patch', 'update']);
  }
  const scaled = defs.filter((d) => d.subresources?.some((s) => s.name === 'scale')).map((d) => d.resource).sort();
  assert.deepEqual(scaled, ['deployments', 'replicasets', 'replicationcontrollers', 'statefulsets']);
  const eviction = byName.get('/pods')!.subresources!.find((s) => s.name === 'eviction')!;
  assert.deepEqual([eviction.group, eviction.version, eviction.kind, eviction.verbs], ['policy', 'v1', 'Eviction', ['create']]);
  const token = byName.get('/serviceaccounts')!.subresources!.find((s) => s.name === 'token')!;
  assert.deepEqual([token.group, token.kind], ['authentication.k8s.io', 'TokenRequest']);
});

test('every kind has table columns, most with an Age column', () => {
  for (const d of defs) {
    assert.ok((d.columns ?? []).length > 0, `${d.group}/${d.resource}`);
    const names = d.columns!.map((c) => c.name);
    assert.ok(names.includes('Age') || names.includes('Created At') || d.resource === 'events', `${d.group}/${d.resource}: ${names.join(',')}`);
  }
});

test('name validators', () => {
  assert.deepEqual(nameValidatorFor({ group: '', resource: 'pods' })('a.b', false), []);
  assert.equal(nameValidatorFor({ group: '', resource: 'services' })('1abc', false).length, 1);
  assert.deepEqual(nameValidatorFor({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles' })('system:admin', false), []);
});
