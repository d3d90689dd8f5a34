// CustomResourceDefinitions end to end with the real kubectl (v1.32) against `kite server`: a CRD
// is applied and becomes established, custom objects are applied, listed with the CRD's printer
// columns, validated against its schema, updated through the status subresource and explained
// from the published schema, and deleting the CRD deletes its objects.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectl, kubectlOk } from './support/kubectl.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Spec
      type: string
      description: The cron spec defining the interval a CronJob is run
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Ready
      type: string
      jsonPath: .status.conditions[?(@.type=="Ready")].status
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: CronTab runs an image on a schedule.
        properties:
          spec:
            type: object
            description: The desired schedule of the CronTab.
            required: [cronSpec]
            properties:
              cronSpec:
                type: string
                description: The cron schedule, five fields.
              image:
                type: string
                description: The container image to run.
              replicas:
                type: integer
                minimum: 1
                maximum: 10
                default: 1
                description: How many copies run at once.
          status:
            type: object
            properties:
              replicas:
                type: integer
              conditions:
                type: array
                items:
                  type: object
                  properties:
                    type: {type: string}
                    status: {type: string}
`;

const cronTab = (name: string, spec: string) => `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: ${name}
spec:
${spec}
`;

describe('CustomResourceDefinitions with kubectl', () => {
  let dir: string;
  let server: KiteServer;
  const k = (...args: string[]) => kubectlOk(server.kubeconfig, args);
  const kFail = async (args: string[], input?: string) => {
    const r = await kubectl(server.kubeconfig, args, { input });
    assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should fail:\n${r.stdout}`);
    return r.stderr;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-crd-'));
    server = await startKiteServer(dir);
  });
  after(async () => {
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a CRD and waits for it to be established', async () => {
    await kubectlOk(server.kubeconfig, ['apply', '-f', '-'], { input: CRD });
    await k('wait', '--for', 'condition=established', '--timeout=30s', 'crd/crontabs.stable.example.com');
    const crd = JSON.parse(await k('get', 'crd', 'crontabs.stable.example.com', '-o', 'json')) as {
      metadata: { finalizers?: string[] };
      status: { acceptedNames: { kind: string }; conditions: { type: string; status: string }[] };
    };
    assert.deepEqual(crd.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.equal(crd.status.acceptedNames.kind, 'CronTab');
    assert.ok(crd.status.conditions.some((c) => c.type === 'NamesAccepted' && c.status === 'True'));
    assert.match(await k('api-resources', '--api-group', 'stable.example.com'), /^crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab$/m);
  });

  it('applies custom objects and lists them with the printer columns', async () => {
    await kubectlOk(server.kubeconfig, ['apply', '-f', '-'], { input: cronTab('every-five', '  cronSpec: "* * * * */5"\n  image: busybox\n  replicas: 3') });
    await kubectlOk(server.kubeconfig, ['apply', '-f', '-'], { input: cronTab('hourly', '  cronSpec: "0 * * * *"') });
    const out = await k('get', 'crontabs');
    assert.match(out, /^NAME\s+SPEC\s+REPLICAS\s+READY\s+AGE$/m);
    // a missing value is an empty cell
    assert.match(out, /^every-five\s+\* \* \* \* \*\/5\s+3\s+\d+s$/m);
    assert.match(out, /^hourly\s+0 \* \* \* \*\s+1\s+\d+s$/m, 'replicas defaulted to 1');
    assert.match(await k('get', 'ct', '-o', 'name'), /^crontab\.stable\.example\.com\/every-five$/m);
    // apply again as a patch
    await kubectlOk(server.kubeconfig, ['apply', '-f', '-'], { input: cronTab('every-five', '  cronSpec: "* * * * */5"\n  image: busybox\n  replicas: 4') });
    assert.equal(await k('get', 'crontab', 'every-five', '-o', 'jsonpath={.spec.replicas}'), '4');
  });

  it('refuses objects the schema does not allow', async () => {
    const wrongType = await kFail(['apply', '-f', '-'], cronTab('bad', '  cronSpec: "* * * * *"\n  replicas: "many"'));
    assert.match(wrongType, /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
    const tooMany = await kFail(['apply', '-f', '-'], cronTab('bad', '  cronSpec: "* * * * *"\n  replicas: 20'));
    assert.match(tooMany, /spec\.replicas: Invalid value: 20: spec\.replicas in body should be less than or equal to 10/);
    const missing = await kFail(['apply', '-f', '-'], cronTab('bad', '  image: busybox'));
    assert.match(missing, /spec\.cronSpec: Required value/);
    const unknown = await kFail(['apply', '-f', '-'], cronTab('bad', '  cronSpec: "* * * * *"\n  bogus: 1'));
    assert.match(unknown, /unknown field "spec\.bogus"/);
    // without strict validation the unknown field is pruned
    await kubectlOk(server.kubeconfig, ['apply', '--validate=false', '-f', '-'], { input: cronTab('pruned', '  cronSpec: "* * * * *"\n  bogus: 1') });
    assert.equal(await k('get', 'crontab', 'pruned', '-o', 'jsonpath={.spec}'), '{"cronSpec":"* * * * *","replicas":1}');
  });

  it('changes status only through the status subresource', async () => {
    await k('patch', 'crontab', 'every-five', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3,"conditions":[{"type":"Ready","status":"True"}]}}');
    assert.equal(await k('get', 'crontab', 'every-five', '-o', 'jsonpath={.status.replicas}'), '3');
    assert.match(await k('get', 'crontabs'), /^every-five\s+\* \* \* \* \*\/5\s+4\s+True\s+\d+s$/m);
    const generation = await k('get', 'crontab', 'every-five', '-o', 'jsonpath={.metadata.generation}');
    await k('patch', 'crontab', 'every-five', '--type=merge', '-p', '{"status":{"replicas":5}}');
    assert.equal(await k('get', 'crontab', 'every-five', '-o', 'jsonpath={.status.replicas}'), '3', 'the main endpoint ignores status');
    assert.equal(await k('get', 'crontab', 'every-five', '-o', 'jsonpath={.metadata.generation}'), generation);
    await k('patch', 'crontab', 'every-five', '--type=merge', '-p', '{"spec":{"replicas":2}}');
    assert.equal(await k('get', 'crontab', 'every-five', '-o', 'jsonpath={.metadata.generation}'), String(Number(generation) + 1));
  });

  it('explains the custom resource from its schema', async () => {
    const top = await k('explain', 'crontabs');
    assert.match(top, /KIND:\s+CronTab/);
    assert.match(top, /CronTab runs an image on a schedule\./);
    const spec = await k('explain', 'crontabs.spec');
    assert.match(spec, /The desired schedule of the CronTab\./);
    assert.match(spec, /cronSpec\s+<string> -required-/);
    assert.match(spec, /How many copies run at once\./);
  });

  it('deletes the custom objects with the CRD', async () => {
    await k('delete', 'crd', 'crontabs.stable.example.com', '--timeout=60s');
    const gone = await kFail(['get', 'crontabs']);
    // kubectl's discovery cache may still list crontabs; then the server answers 404 itself
    assert.match(gone, /the server doesn't have a resource type "crontabs"|Unable to list "stable\.example\.com\/v1, Resource=crontabs": the server could not find the requested resource/);
    assert.equal(await k('get', 'crd', '-o', 'name'), '');
    // the same CRD again starts empty
    await kubectlOk(server.kubeconfig, ['apply', '-f', '-'], { input: CRD });
    await k('wait', '--for', 'condition=established', '--timeout=30s', 'crd/crontabs.stable.example.com');
    const r = await kubectl(server.kubeconfig, ['get', 'crontabs']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /No resources found in default namespace\./);
  });
});
