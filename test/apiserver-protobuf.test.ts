// Kubernetes protobuf request bodies end to end: the real kubectl (v1.32), whose typed-client
// commands (create configmap|secret|deployment|…, run, expose, drain, certificate approve) send
// application/vnd.kubernetes.protobuf, against a started `kite server`; and the edge cases
// (protobuf-only Accept, mismatched kinds, malformed bodies, custom resources) over raw HTTPS.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { body, entry, type Field } from '../src/apiserver/protobuf/test-support.js';
import { createCertificateRequest } from '../src/util/pki/csr.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { adminTls, startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { RawClient, type RawResponse } from './support/raw-client.js';
import { waitUntil } from './support/wait-until.js';

/** A field of a JSON object by dotted path ("spec.template.spec.containers.0.ports"). */
const at = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], obj);

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const meta = (name: string, more: Field[] = []): Field => [1, [[1, name], [2, ''], [3, ''], [6, ''], [7, 0], [8, []], ...more]];

describe('protobuf request bodies', () => {
  let dir: string;
  let server: KiteServer;
  let client: RawClient;
  const k = (...args: string[]) => kubectlOk(server.kubeconfig, args);
  const get = async (...args: string[]): Promise<unknown> => JSON.parse(await k('get', ...args, '-o', 'json')) as unknown;
  const send = (method: string, path: string, payload: Buffer, headers: Record<string, string> = {}): Promise<RawResponse> =>
    client.send({ transport: 'h2', method, path, headers: { 'content-type': PROTOBUF, accept: 'application/json', ...headers }, body: payload, timeoutMs: 10_000 });
  const json = (r: RawResponse, path: string): unknown => at(JSON.parse(r.body.toString('utf8')), path);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-protobuf-'));
    server = await startKiteServer(dir);
    client = new RawClient(server.url, adminTls(dir));
  });
  after(async () => {
    client?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates configmaps and secrets with text and binary data', async () => {
    const blob = join(dir, 'blob.bin');
    writeFileSync(blob, Buffer.from([0, 1, 2, 254, 255]));
    await k('create', 'configmap', 'settings', '--from-literal=color=blue', `--from-file=blob=${blob}`);
    const cm = await get('configmap', 'settings');
    assert.deepEqual(at(cm, 'data'), { color: 'blue' });
    assert.deepEqual(at(cm, 'binaryData'), { blob: 'AAEC/v8=' });
    assert.equal(at(cm, 'metadata.generateName'), undefined, 'empty strings are omitted as omitempty does');

    await k('create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t', `--from-file=key=${blob}`);
    const secret = await get('secret', 'creds');
    assert.deepEqual(at(secret, 'data'), { password: Buffer.from('s3cr3t').toString('base64'), key: 'AAEC/v8=' });
    assert.equal(at(secret, 'type'), 'Opaque');
  });

  it('creates namespaces, service accounts, quotas and priority classes', async () => {
    await k('create', 'namespace', 'team-a');
    assert.equal(at(await get('namespace', 'team-a'), 'status.phase'), 'Active');
    await k('create', 'serviceaccount', 'builder', '-n', 'team-a');
    assert.equal(at(await get('serviceaccount', 'builder', '-n', 'team-a'), 'metadata.namespace'), 'team-a');
    await k('create', 'quota', 'small', '--hard=cpu=1,memory=1Gi,pods=2');
    assert.deepEqual(at(await get('resourcequota', 'small'), 'spec.hard'), { cpu: '1', memory: '1Gi', pods: '2' });
    await k('create', 'priorityclass', 'high', '--value=1000', '--description=important');
    const pc = await get('priorityclass', 'high');
    assert.equal(at(pc, 'value'), 1000);
    assert.equal(at(pc, 'description'), 'important');
    assert.equal(at(pc, 'globalDefault'), undefined, 'a false non-pointer bool is omitted');
  });

  it('creates deployments, services, jobs, cronjobs, pods and budgets, and exposes a deployment', async () => {
    await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=0', '--port=8080');
    const deploy = await get('deployment', 'web');
    assert.equal(at(deploy, 'spec.replicas'), 0, 'a pointer set to zero survives');
    assert.deepEqual(at(deploy, 'spec.selector'), { matchLabels: { app: 'web' } });
    assert.deepEqual(at(deploy, 'spec.template.spec.containers.0.ports'), [{ containerPort: 8080, protocol: 'TCP' }]);

    await k('create', 'service', 'clusterip', 'api', '--tcp=80:8080');
    assert.deepEqual(at(await get('service', 'api'), 'spec.ports'), [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    await k('expose', 'deployment', 'web', '--port=80', '--target-port=http', '--name=web-svc');
    const exposed = await get('service', 'web-svc');
    assert.deepEqual(at(exposed, 'spec.selector'), { app: 'web' });
    assert.equal(at(exposed, 'spec.ports.0.targetPort'), 'http', 'a string IntOrString');

    await k('create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi');
    const job = await get('job', 'once');
    assert.deepEqual(at(job, 'spec.template.spec.containers.0.command'), ['echo', 'hi']);
    assert.equal(at(job, 'spec.template.spec.restartPolicy'), 'Never');
    await k('create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date');
    const cron = await get('cronjob', 'tick');
    assert.equal(at(cron, 'spec.schedule'), '*/5 * * * *');
    assert.equal(at(cron, 'spec.jobTemplate.spec.template.spec.restartPolicy'), 'OnFailure');

    await k('run', 'solo', '--image=busybox', '--labels=app=solo', '--env=MODE=test', '--', 'sleep', '100');
    const pod = await get('pod', 'solo');
    assert.deepEqual(at(pod, 'metadata.labels'), { app: 'solo' });
    assert.deepEqual(at(pod, 'spec.containers.0.args'), ['sleep', '100']);
    assert.deepEqual(at(pod, 'spec.containers.0.env'), [{ name: 'MODE', value: 'test' }]);
    assert.deepEqual(at(pod, 'spec.containers.0.resources'), {});

    await k('create', 'poddisruptionbudget', 'web-pdb', '--selector=app=web', '--min-available=1');
    assert.equal(at(await get('pdb', 'web-pdb'), 'spec.minAvailable'), 1);
    await k('create', 'poddisruptionbudget', 'solo-pdb', '--selector=app=solo', '--max-unavailable=50%');
    assert.equal(at(await get('pdb', 'solo-pdb'), 'spec.maxUnavailable'), '50%');

    await k('scale', 'deployment', 'web', '--replicas=2');
    assert.equal(at(await get('deployment', 'web'), 'spec.replicas'), 2);
  });

  it('creates roles, cluster roles and their bindings', async () => {
    await k('create', 'role', 'reader', '--verb=get,list', '--resource=pods');
    assert.deepEqual(at(await get('role', 'reader'), 'rules'), [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
    await k('create', 'rolebinding', 'reader-bob', '--role=reader', '--user=bob');
    const rb = await get('rolebinding', 'reader-bob');
    assert.deepEqual(at(rb, 'roleRef'), { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    assert.deepEqual(at(rb, 'subjects'), [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }]);
    await k('create', 'clusterrole', 'node-reader', '--verb=get', '--resource=nodes');
    assert.deepEqual(at(await get('clusterrole', 'node-reader'), 'rules'), [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
    await k('create', 'clusterrolebinding', 'node-reader-ci', '--clusterrole=node-reader', '--serviceaccount=default:ci');
    const crb = await get('clusterrolebinding', 'node-reader-ci');
    assert.deepEqual([at(crb, 'subjects.0.kind'), at(crb, 'subjects.0.name'), at(crb, 'subjects.0.namespace')], ['ServiceAccount', 'ci', 'default']);
  });

  it('evicts and deletes pods with kubectl drain (a protobuf Eviction, protobuf DeleteOptions)', async () => {
    const create = (obj: object) => kubectlOk(server.kubeconfig, ['create', '-f', '-'], { input: JSON.stringify(obj) });
    for (const node of ['n1', 'n2']) {
      await create({ apiVersion: 'v1', kind: 'Node', metadata: { name: node } });
      await create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `on-${node}` }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] } });
    }
    // No kubelet runs here to finish the pods, so drain's wait for them to go times out; the
    // eviction and the deletion themselves must have been accepted.
    const drain = await kubectl(server.kubeconfig, ['drain', 'n1', '--force', '--timeout=1s']);
    assert.match(drain.stdout + drain.stderr, /evicting pod default\/on-n1/);
    assert.doesNotMatch(drain.stdout + drain.stderr, /error when evicting/);
    await waitUntil('the evicted pod to be deleting', async () => {
      const r = await kubectl(server.kubeconfig, ['get', 'pod', 'on-n1', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
      return r.code !== 0 || r.stdout !== '';
    });
    await kubectl(server.kubeconfig, ['drain', 'n2', '--force', '--disable-eviction', '--grace-period=7', '--timeout=1s']);
    assert.equal(await k('get', 'pod', 'on-n2', '-o', 'jsonpath={.metadata.deletionGracePeriodSeconds}'), '7', "DeleteOptions' grace period");
  });

  it('approves a certificate signing request (a protobuf PUT of approval, with bytes and times)', async () => {
    const { csrPem } = await createCertificateRequest({ commonName: 'alice', organizations: ['dev'] });
    const request = Buffer.from(csrPem).toString('base64');
    const csr = {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'alice' },
      spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
    };
    await kubectlOk(server.kubeconfig, ['create', '-f', '-'], { input: JSON.stringify(csr) });
    await k('certificate', 'approve', 'alice');
    const approved = await get('csr', 'alice');
    assert.equal(at(approved, 'spec.request'), request, 'the request bytes survive the round trip');
    assert.equal(at(approved, 'status.conditions.0.type'), 'Approved');
    assert.equal(at(approved, 'status.conditions.0.reason'), 'KubectlApprove');
    assert.match(at(approved, 'status.conditions.0.lastUpdateTime') as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('updates objects, status and scale, and binds pods, with protobuf bodies', async () => {
    const created = await send('POST', '/api/v1/namespaces/default/configmaps', body('v1', 'ConfigMap', [meta('raw'), entry(2, 'a', '1')]));
    assert.equal(created.status, 201, created.body.toString());
    const rv = json(created, 'metadata.resourceVersion') as string;
    const updated = await send('PUT', '/api/v1/namespaces/default/configmaps/raw', body('v1', 'ConfigMap', [meta('raw', [[6, rv]]), entry(2, 'a', '2')]));
    assert.equal(updated.status, 200, updated.body.toString());
    assert.deepEqual(at(await get('configmap', 'raw'), 'data'), { a: '2' });

    const deploy = await get('deployment', 'web');
    const status = body('apps/v1', 'Deployment', [meta('web', [[6, at(deploy, 'metadata.resourceVersion') as string]]), [3, [[1, 5], [2, 2], [3, 2], [4, 1]]]]);
    const put = await send('PUT', '/apis/apps/v1/namespaces/default/deployments/web/status', status);
    assert.equal(put.status, 200, put.body.toString());
    const written = await get('deployment', 'web');
    assert.equal(at(written, 'status.observedGeneration'), 5);
    assert.equal(at(written, 'status.replicas'), 2);
    assert.equal(at(written, 'spec.replicas'), 2, 'a status update leaves the spec alone');

    const scale = await send('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', body('autoscaling/v1', 'Scale', [meta('web'), [2, [[1, 4]]]]));
    assert.equal(scale.status, 200, scale.body.toString());
    assert.equal(at(await get('deployment', 'web'), 'spec.replicas'), 4);

    await kubectlOk(server.kubeconfig, ['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }) });
    const binding = body('v1', 'Binding', [meta('unbound'), [2, [[1, 'Node'], [2, ''], [3, 'n1'], [4, ''], [5, 'v1'], [6, ''], [7, '']]]]);
    const bound = await send('POST', '/api/v1/namespaces/default/pods/unbound/binding', binding);
    assert.equal(bound.status, 201, bound.body.toString());
    assert.equal(await k('get', 'pod', 'unbound', '-o', 'jsonpath={.spec.nodeName}'), 'n1');
  });

  it('answers as kube-apiserver does: 406 for protobuf-only Accept, 400 for mismatched kinds and bad bytes, 415 for custom resources', async () => {
    const cm = body('v1', 'ConfigMap', [meta('refused')]);
    const only = await send('POST', '/api/v1/namespaces/default/configmaps', cm, { accept: PROTOBUF });
    assert.equal(only.status, 406);
    assert.equal(json(only, 'reason'), 'NotAcceptable');
    assert.notEqual((await kubectl(server.kubeconfig, ['get', 'configmap', 'refused'])).code, 0, 'nothing was created');

    const wrongKind = await send('POST', '/api/v1/namespaces/default/configmaps', body('v1', 'Secret', [meta('s')]));
    assert.equal(wrongKind.status, 400);
    assert.match(json(wrongKind, 'message') as string, /kind in the data \(Secret\) does not match the expected kind \(ConfigMap\)/);
    const wrongVersion = await send('POST', '/api/v1/namespaces/default/configmaps', body('apps/v1', 'Deployment', [meta('d')]));
    assert.equal(wrongVersion.status, 400);
    const unknown = await send('POST', '/api/v1/namespaces/default/configmaps', body('v1', 'Gadget', [meta('g')]));
    assert.equal(unknown.status, 400);

    const malformed = await send('POST', '/api/v1/namespaces/default/configmaps', Buffer.concat([cm.subarray(0, 12), Buffer.from([0xff, 0xff])]));
    assert.equal(malformed.status, 400);
    assert.equal(json(malformed, 'reason'), 'BadRequest');
    const noMagic = await send('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('{"kind":"ConfigMap"}'));
    assert.equal(noMagic.status, 400);

    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    await kubectlOk(server.kubeconfig, ['create', '-f', '-'], { input: JSON.stringify(crd) });
    await k('wait', '--for', 'condition=established', '--timeout=30s', 'crd/widgets.example.com');
    const path = '/apis/example.com/v1/namespaces/default/widgets';
    await waitUntil('the widgets endpoint to be served', async () => (await client.send({ transport: 'h2', method: 'GET', path, headers: {}, timeoutMs: 5_000 })).status === 200);
    const custom = await send('POST', path, body('example.com/v1', 'Widget', [meta('w')]));
    assert.equal(custom.status, 415);
    assert.equal(json(custom, 'reason'), 'UnsupportedMediaType');
  });
});
