import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import type { Strategy } from '../registry/resource.js';
import {
  customResourceDefinition,
  customResourceDefinitions,
  customResourceOpenApiSchema,
  customResourceUnknownFields,
  customResourceVersionOf,
} from './definition.js';
import { cronTab, cronTabCRD } from './test-support.js';

type Obj = KubeObject & Record<string, unknown>;
const ctx = { now: '2026-01-01T00:00:00Z', namespace: 'default' };

describe('CRD version → ResourceDefinition', () => {
  it('carries names, scope, verbs, subresources, columns and field selectors', () => {
    const defs = customResourceDefinitions(cronTabCRD());
    assert.deepEqual(defs.map((d) => d.version), ['v1', 'v1beta1']);
    const def = defs[0]!;
    assert.equal(def.group, 'stable.example.com');
    assert.equal(def.kind, 'CronTab');
    assert.equal(def.resource, 'crontabs');
    assert.equal(def.singular, 'crontab');
    assert.equal(def.namespaced, true);
    assert.deepEqual(def.shortNames, ['ct']);
    assert.deepEqual(def.categories, ['all']);
    assert.equal(def.verbs?.length, 8);
    assert.equal(def.hasStatus, true);
    assert.deepEqual(def.subresources?.map((s) => s.name), ['status']);
    assert.deepEqual(def.columns?.map((c) => c.name), ['Spec', 'Replicas', 'Ready', 'Age']);
    assert.equal(def.fields?.['spec.color']?.(cronTab('a', { color: 'red' }) as Obj), 'red');
    assert.equal(customResourceVersionOf(def)?.crdName, 'crontabs.stable.example.com');
    const beta = defs[1]!;
    assert.equal(beta.hasStatus, false);
    assert.equal(beta.subresources, undefined);
    assert.deepEqual(beta.columns?.map((c) => c.name), ['Age']);
    assert.equal(customResourceDefinition(cronTabCRD({ scope: 'Cluster' }), 'v1').namespaced, false);
  });

  it('prunes, defaults and validates through its strategy', () => {
    const def = customResourceDefinition(cronTabCRD(), 'v1');
    const s = def.strategy as Strategy<Obj>;
    const obj = cronTab('a', { cronSpec: '* * * * */5', junk: 1 }) as Obj;
    obj.status = { replicas: 3 };
    s.defaults?.(obj);
    s.prepareForCreate?.(obj, ctx);
    assert.deepEqual(obj.spec, { cronSpec: '* * * * */5', replicas: 1 });
    assert.equal(obj.status, undefined, 'create drops status with the status subresource');
    assert.equal(obj.metadata?.generation, 1);
    assert.deepEqual(s.validate?.(obj, ctx), []);
    const bad = cronTab('b', { cronSpec: 'often', replicas: 'many' }) as Obj;
    s.defaults?.(bad);
    assert.deepEqual(s.validate?.(bad, ctx).map(String), [
      `spec.cronSpec: Invalid value: "often": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`,
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
  });

  it('keeps status on the main endpoint and everything but status on /status', () => {
    const def = customResourceDefinition(cronTabCRD(), 'v1');
    const main = def.strategy as Strategy<Obj>;
    const status = def.subresources![0]!.strategy as Strategy<Obj>;
    const old = { ...cronTab('a', { cronSpec: '* * * * *' }), status: { replicas: 1 } } as Obj;
    old.metadata!.labels = { a: 'b' };
    const viaMain = { ...cronTab('a', { cronSpec: '*/2 * * * *' }), status: { replicas: 9 } } as Obj;
    main.prepareForUpdate?.(viaMain, old, ctx);
    assert.deepEqual(viaMain.status, { replicas: 1 });
    assert.equal(main.generationChanged?.(viaMain, old), true);
    const viaStatus = { ...cronTab('a', { cronSpec: '*/3 * * * *' }), status: { replicas: 5 } } as Obj;
    status.prepareForUpdate?.(viaStatus, old, ctx);
    assert.deepEqual(viaStatus.spec, { cronSpec: '* * * * *' });
    assert.deepEqual(viaStatus.status, { replicas: 5 });
    assert.deepEqual(viaStatus.metadata?.labels, { a: 'b' });
    assert.equal(main.generationChanged?.(viaStatus, old), false);
    const badStatus = { ...old, status: { replicas: 'x' } } as Obj;
    assert.deepEqual(status.validateUpdate?.(badStatus, old, ctx).map((e) => e.field), ['status.replicas']);
  });

  it('without a status subresource, status changes bump generation', () => {
    const crd = cronTabCRD();
    delete crd.spec.versions[0]!.subresources;
    const def = customResourceDefinition(crd, 'v1');
    const s = def.strategy as Strategy<Obj>;
    const old = { ...cronTab('a', { cronSpec: '* * * * *' }), status: { replicas: 1 } } as Obj;
    const next = { ...cronTab('a', { cronSpec: '* * * * *' }), status: { replicas: 2 } } as Obj;
    s.prepareForUpdate?.(next, old, ctx);
    assert.deepEqual(next.status, { replicas: 2 });
    assert.equal(s.generationChanged?.(next, old), true);
  });

  it('refuses creates while the CRD terminates', () => {
    const state = { terminating: true };
    const def = customResourceDefinition(cronTabCRD(), 'v1', { state });
    assert.throws(
      () => (def.strategy as Strategy<Obj>).prepareForCreate?.(cronTab('a', {}) as Obj, ctx),
      (err: { code?: number; status?: { message?: string } }) =>
        err.code === 405 && err.status?.message === 'create not allowed while custom resource definition is terminating',
    );
  });

  it('answers unknown fields and the OpenAPI schema for custom resources only', () => {
    const def = customResourceDefinition(cronTabCRD(), 'v1');
    assert.deepEqual(customResourceUnknownFields(def, cronTab('a', { cronSpec: 'x', bogus: 1, extra: { any: 1 } })), ['spec.bogus']);
    assert.deepEqual(customResourceUnknownFields(customResourceDefinition(cronTabCRD(), 'v1beta1'), { spec: { any: 1 } }), []);
    const schema = customResourceOpenApiSchema(def);
    assert.equal(schema?.description, 'CronTab runs an image on a schedule.');
    assert.deepEqual(Object.keys(schema?.properties ?? {}), ['spec', 'status']);
    const builtin = { ...def };
    assert.equal(customResourceUnknownFields(builtin, {}), undefined);
    assert.equal(customResourceOpenApiSchema(builtin), undefined);
  });
});
