// Service-account tokens against a real `kite server` (scheduler, controllers, a kubelet on the
// process runtime) with the real kubectl: `kubectl create token` gives a JWT with Kubernetes'
// claims, signed by a key of /openid/v1/jwks, that authenticates; tokens for a deleted account,
// for another audience, or expired are refused with 401; a pod gets the kube-api-access volume
// and mounts; and a pod reads its mounted token and CA and uses them to call the API server, by
// hand and through @kubernetes/client-node's in-cluster configuration.

import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SelfSubjectReview, TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { signJwt } from '../src/apiserver/authn/jws.js';
import { body } from '../src/apiserver/protobuf/test-support.js';
import { keyIdOf, renderKubeconfig } from '../src/util/pki/index.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitPod } from './support/pods.js';
import { waitUntil } from './support/wait-until.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

interface Reply {
  status: number;
  body: string;
}

describe('service-account tokens', () => {
  let server: KiteServer;
  const dir = mkdtempSync(join(tmpdir(), 'kite-sa-'));
  const k = (args: string[], input?: string) => kubectlOk(server.kubeconfig, args, input === undefined ? {} : { input });
  const ca = () => readFileSync(join(dir, 'pki', 'ca.crt'));

  /** A request with only a bearer token (no client certificate). */
  const withToken = (token: string | undefined, path: string): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
      const req = request(`${server.url}${path}`, { ca: ca(), headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  const account = async (ns: string, name: string) => JSON.parse(await k(['get', 'sa', '-n', ns, name, '-o', 'json'])) as ServiceAccount;
  /** Waits for a pod to finish; its phase and its container's log (read from the kubelet's log
   *  file: kite server's kubelet does not serve its API for `kubectl logs`). */
  const finished = async (name: string): Promise<{ pod: Pod; logs: string }> => {
    const pod = await waitPod(server.kubeconfig, name, 'Succeeded or Failed', (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed', 60_000);
    return { pod, logs: readFileSync(join(dir, 'pods', 'logs', `default_${name}_${pod.metadata?.uid}`, 'main', '0.log'), 'utf8') };
  };
  const waitAccount = (ns: string, name: string) =>
    waitUntil(`service account ${ns}/${name}`, async () => (await kubectl(server.kubeconfig, ['get', 'sa', '-n', ns, name])).code === 0, { timeoutMs: 20_000, intervalMs: 100 });

  before(async () => {
    server = await startKiteServer(dir, { scheduler: true, controllers: true, kubelet: true, serviceAccounts: true });
    await waitAccount('default', 'default');
  });

  after(async () => {
    if (server) {
      // Pods bound to the node that does not exist have no kubelet to confirm their end (pod GC
      // would collect them after its 40 s quarantine): remove them at once; wait for the rest.
      await kubectl(server.kubeconfig, ['delete', 'pods', '--field-selector', 'spec.nodeName=nowhere', '--force', '--grace-period=0']);
      await kubectl(server.kubeconfig, ['delete', 'pods', '--all', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
      await stopKiteServer(server);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl create token gives a JWT with Kubernetes claims, signed by a published key, that authenticates', async () => {
    const token = (await k(['create', 'token', 'default'])).trim();
    const sa = await account('default', 'default');
    const c = claims(token);
    assert.equal(c.iss, ISSUER);
    assert.equal(c.sub, 'system:serviceaccount:default:default');
    assert.deepEqual(c.aud, [ISSUER]);
    assert.equal((c.exp as number) - (c.iat as number), 3600);
    assert.equal(c.nbf, c.iat);
    assert.ok(Math.abs((c.iat as number) - Date.now() / 1000) < 60);
    assert.match(c.jti as string, /^[0-9a-f-]{36}$/);
    assert.deepEqual(c['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'default', uid: sa.metadata?.uid } });

    // The signature checks out against the published key set, found through OIDC discovery.
    const discovery = JSON.parse(await k(['get', '--raw', '/.well-known/openid-configuration'])) as Record<string, unknown>;
    assert.equal(discovery.issuer, ISSUER);
    assert.equal(discovery.jwks_uri, `${ISSUER}/openid/v1/jwks`);
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['ES256']);
    const jwks = JSON.parse(await k(['get', '--raw', '/openid/v1/jwks'])) as { keys: (JsonWebKey & { kid: string; alg: string; use: string })[] };
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { alg: string; kid: string };
    const jwk = jwks.keys.find((key) => key.kid === header.kid);
    assert.ok(jwk, `the token's kid ${header.kid} is published`);
    assert.equal(header.alg, 'ES256');
    assert.equal(jwk.use, 'sig');
    const [h, p, s] = token.split('.') as [string, string, string];
    assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')));

    const ok = await withToken(token, '/api/v1/namespaces/default/serviceaccounts/default');
    assert.equal(ok.status, 200, ok.body);
    // kubectl with nothing but the token: `auth whoami` names the service account.
    const tokenKubeconfig = join(dir, 'token.kubeconfig');
    writeFileSync(tokenKubeconfig, renderKubeconfig({ server: server.url, caPem: ca().toString('utf8'), token, user: 'sa' }));
    const who = JSON.parse(await kubectlOk(tokenKubeconfig, ['auth', 'whoami', '-o', 'json'])) as SelfSubjectReview;
    assert.equal(who.status?.userInfo?.username, 'system:serviceaccount:default:default');
    assert.equal(who.status?.userInfo?.uid, sa.metadata?.uid);
    assert.deepEqual(who.status?.userInfo?.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.deepEqual(who.status?.userInfo?.extra, { 'authentication.kubernetes.io/credential-id': [`JTI=${c.jti as string}`] });
    assert.equal((await withToken(undefined, '/api/v1/namespaces/default/serviceaccounts/default')).status, 401);
  });

  it('refuses tokens for a deleted account, for another audience, or expired, with 401', async () => {
    await k(['create', 'serviceaccount', 'short-lived']);
    const token = (await k(['create', 'token', 'short-lived', '--duration', '10m'])).trim();
    assert.equal((await withToken(token, '/api/v1/namespaces/default/pods')).status, 200);
    await k(['delete', 'serviceaccount', 'short-lived']);
    let last: Reply | undefined;
    await waitUntil('the deleted account’s token is refused', async () => (last = await withToken(token, '/api/v1/namespaces/default/pods')).status === 401, { timeoutMs: 5_000, intervalMs: 50 });
    const status = JSON.parse(last!.body) as { kind: string; reason: string; code: number };
    assert.deepEqual([status.kind, status.reason, status.code], ['Status', 'Unauthorized', 401]);

    const other = (await k(['create', 'token', 'default', '--audience', 'vault'])).trim();
    assert.deepEqual(claims(other).aud, ['vault']);
    assert.equal((await withToken(other, '/api/v1/namespaces/default/pods')).status, 401);

    // An expired token, otherwise right, signed with the server's own key.
    const key = createPrivateKey(readFileSync(join(dir, 'pki', 'sa.key')));
    const good = claims((await k(['create', 'token', 'default'])).trim());
    const now = Math.floor(Date.now() / 1000);
    const craft = (exp: number) => signJwt({ ...good, iat: exp - 600, nbf: exp - 600, exp }, key, keyIdOf(createPublicKey(key)));
    assert.equal((await withToken(craft(now + 600), '/api/v1/namespaces/default/pods')).status, 200, 'the crafted token is otherwise good');
    assert.equal((await withToken(craft(now - 120), '/api/v1/namespaces/default/pods')).status, 401);

    const short = await kubectl(server.kubeconfig, ['create', 'token', 'default', '--duration', '1m']);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /may not specify a duration less than 10 minutes/);
    const missing = await kubectl(server.kubeconfig, ['create', 'token', 'nobody']);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
  });

  it('answers protobuf TokenRequests and refuses bad ones with Kubernetes Status errors', async () => {
    const tls = { ca: ca(), cert: readFileSync(join(dir, 'pki', 'admin.crt')), key: readFileSync(join(dir, 'pki', 'admin.key')) };
    const post = (contentType: string, payload: Buffer | string): Promise<Reply> =>
      new Promise((resolve, reject) => {
        const req = request(`${server.url}/api/v1/namespaces/default/serviceaccounts/default/token`, { method: 'POST', ...tls, headers: { 'content-type': contentType } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(payload);
      });
    const proto = body('authentication.k8s.io/v1', 'TokenRequest', [[2, [[1, 'api'], [1, 'other'], [4, 1200]]]]);
    const created = await post('application/vnd.kubernetes.protobuf', proto);
    assert.equal(created.status, 201, created.body);
    const review = JSON.parse(created.body) as TokenRequest;
    assert.deepEqual(review.spec.audiences, ['api', 'other']);
    const c = claims(review.status!.token);
    assert.deepEqual(c.aud, ['api', 'other']);
    assert.equal((c.exp as number) - (c.iat as number), 1200);
    assert.equal(Date.parse(review.status!.expirationTimestamp) / 1000, c.exp);
    assert.equal(Date.parse(review.metadata!.creationTimestamp!) / 1000, c.iat);
    assert.deepEqual([review.metadata?.name, review.metadata?.namespace], ['default', 'default']);

    const json = (spec: object, metadata: object = {}) => post('application/json', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata, spec }));
    const invalid = JSON.parse((await json({ expirationSeconds: 60 })).body) as { code: number; reason: string; message: string };
    assert.deepEqual([invalid.code, invalid.reason], [422, 'Invalid']);
    assert.equal(invalid.message, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    const kind = JSON.parse((await json({ boundObjectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' } })).body) as { code: number; reason: string; message: string };
    assert.deepEqual([kind.code, kind.reason, kind.message], [400, 'BadRequest', 'cannot bind token to object of type apps/v1, Kind=Deployment']);
    const pod = JSON.parse((await json({ boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'absent' } })).body) as { code: number; reason: string };
    assert.deepEqual([pod.code, pod.reason], [404, 'NotFound']);
    const renamed = JSON.parse((await json({}, { name: 'other' })).body) as { code: number; message: string };
    assert.equal(renamed.code, 422);
    assert.equal(renamed.message, 'TokenRequest.authentication.k8s.io "default" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified');
  });

  it('binds tokens to a pod or secret, refusing a pod of another account or a stale uid', async () => {
    await k(['create', 'serviceaccount', 'binder']);
    await k(['create', 'secret', 'generic', 'anchor']);
    await k(['run', 'bound', '--image', 'busybox', '--overrides', '{"spec":{"serviceAccountName":"binder","nodeName":"nowhere"}}']);
    const pod = JSON.parse(await k(['get', 'pod', 'bound', '-o', 'json'])) as Pod;
    const bind = (account: string, kind: string, name: string, uid?: string) =>
      kubectl(server.kubeconfig, ['create', 'token', account, '--bound-object-kind', kind, '--bound-object-name', name, ...(uid ? ['--bound-object-uid', uid] : [])]);
    const good = await bind('binder', 'Pod', 'bound', pod.metadata?.uid);
    assert.equal(good.code, 0, good.stderr);
    const token = good.stdout.trim();
    assert.deepEqual((claims(token)['kubernetes.io'] as { pod: unknown }).pod, { name: 'bound', uid: pod.metadata?.uid });
    assert.equal((await withToken(token, '/api/v1/namespaces/default/pods')).status, 200);
    assert.match((await bind('default', 'Pod', 'bound')).stderr, /cannot bind token for serviceaccount "default" to pod running with different serviceaccount name/);
    assert.match((await bind('binder', 'Pod', 'bound', 'not-its-uid')).stderr, /the UID in the bound object reference \(not-its-uid\) does not match the UID in record/);
    const secret = await bind('binder', 'Secret', 'anchor');
    assert.equal(secret.code, 0, secret.stderr);
    const bySecret = secret.stdout.trim();
    assert.equal((await withToken(bySecret, '/api/v1/namespaces/default/pods')).status, 200);

    // Deleting the bound object ends the token.
    await k(['delete', 'pod', 'bound', '--grace-period=0', '--force']);
    await k(['delete', 'secret', 'anchor']);
    await waitUntil('tokens bound to deleted objects refused', async () =>
      (await withToken(token, '/api/v1/namespaces/default/pods')).status === 401 && (await withToken(bySecret, '/api/v1/namespaces/default/pods')).status === 401,
    { timeoutMs: 5_000, intervalMs: 50 });
  });

  it('gives a pod without volumes the kube-api-access volume, mounted in every container', async () => {
    await k(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'shape' },
      spec: {
        nodeName: 'nowhere',
        initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
        containers: [{ name: 'main', image: 'busybox', command: ['true'] }, { name: 'own', image: 'busybox', volumeMounts: [{ name: 'x', mountPath: MOUNT }] }],
        volumes: [{ name: 'x', emptyDir: {} }],
      },
    }));
    const pod = JSON.parse(await k(['get', 'pod', 'shape', '-o', 'json'])) as Pod;
    assert.equal(pod.spec?.serviceAccountName, 'default');
    assert.equal(pod.spec?.serviceAccount, 'default', 'the deprecated alias, as Kubernetes shows it');
    // What admission added is the stored spec: updates that leave the spec alone go through
    // (the Job controller's finalizer removal, kubectl label, a replace of the object as read).
    await k(['label', 'pod', 'shape', 'checked=yes']);
    await k(['replace', '-f', '-'], await k(['get', 'pod', 'shape', '-o', 'json']));
    const volume = pod.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    assert.ok(volume);
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    const mount = { name: volume.name, readOnly: true, mountPath: MOUNT };
    assert.deepEqual(pod.spec?.initContainers?.[0]?.volumeMounts, [mount]);
    assert.deepEqual(pod.spec?.containers[0]?.volumeMounts, [mount]);
    assert.deepEqual(pod.spec?.containers[1]?.volumeMounts, [{ name: 'x', mountPath: MOUNT }], 'a mount of its own at the path stays');

    await k(['create', 'serviceaccount', 'quiet']);
    await k(['patch', 'serviceaccount', 'quiet', '-p', '{"automountServiceAccountToken":false}']);
    await k(['run', 'no-token', '--image', 'busybox', '--overrides', '{"spec":{"serviceAccountName":"quiet","nodeName":"nowhere"}}']);
    const quiet = JSON.parse(await k(['get', 'pod', 'no-token', '-o', 'json'])) as Pod;
    assert.equal(quiet.spec?.volumes, undefined);
    const refused = await kubectl(server.kubeconfig, ['run', 'orphan', '--image', 'busybox', '--overrides', '{"spec":{"serviceAccountName":"ghost"}}']);
    assert.match(refused.stderr, /pods "orphan" is forbidden: error looking up service account default\/ghost: serviceaccount "ghost" not found/);
    // A namespace that does not exist is NamespaceLifecycle's to refuse, before any account lookup.
    const nowhere = await kubectl(server.kubeconfig, ['run', 'lost', '-n', 'nowhere', '--image', 'busybox']);
    assert.match(nowhere.stderr, /namespaces "nowhere" not found/);
  });

  it('a pod reads its mounted token and CA and calls the API server with them', async () => {
    await waitUntil('kube-root-ca.crt', async () => (await kubectl(server.kubeconfig, ['get', 'configmap', 'kube-root-ca.crt'])).code === 0, { timeoutMs: 20_000, intervalMs: 100 });
    const script = `
      const fs = require('fs'), https = require('https');
      const dir = process.env.KITE_ROOT + '${MOUNT}/';
      const token = fs.readFileSync(dir + 'token', 'utf8'), ca = fs.readFileSync(dir + 'ca.crt');
      const ns = fs.readFileSync(dir + 'namespace', 'utf8');
      https.get(process.env.API + '/api/v1/namespaces/' + ns + '/pods/' + process.env.POD, { ca, headers: { authorization: 'Bearer ' + token } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          console.log('CLAIMS ' + Buffer.from(token.split('.')[1], 'base64url').toString());
          console.log('STATUS ' + res.statusCode + ' ' + JSON.parse(body).metadata?.name);
          process.exit(res.statusCode === 200 ? 0 : 1);
        });
      }).on('error', (e) => { console.log('ERROR ' + e.message); process.exit(2); });`;
    await k(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'caller' },
      spec: {
        restartPolicy: 'Never',
        containers: [{
          name: 'main',
          image: 'node',
          command: [process.execPath, '-e', script],
          env: [{ name: 'API', value: server.url }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        }],
      },
    }));
    const { pod, logs } = await finished('caller');
    assert.equal(pod.status?.phase, 'Succeeded', logs);
    assert.match(logs, /STATUS 200 caller/);
    // The kubelet's token is bound to the pod and names its node.
    const line = /CLAIMS (\{.*\})/.exec(logs)?.[1];
    assert.ok(line, logs);
    const claimed = JSON.parse(line) as { exp: number; iat: number; 'kubernetes.io': { pod: { name: string; uid: string }; node: { name: string; uid: string } } };
    assert.equal(claimed.exp - claimed.iat, 3607);
    assert.deepEqual(claimed['kubernetes.io'].pod, { name: 'caller', uid: pod.metadata?.uid });
    const node = JSON.parse(await k(['get', 'node', pod.spec?.nodeName ?? '', '-o', 'json'])) as { metadata: { name: string; uid: string } };
    assert.deepEqual(claimed['kubernetes.io'].node, { name: node.metadata.name, uid: node.metadata.uid });
  });

  it('@kubernetes/client-node in a pod works in-cluster from the mounted service-account files', async () => {
    await k(['create', 'configmap', 'for-client', '--from-literal', 'greeting=hello']);
    const script = `
      const { KubeConfig, CoreV1Api } = await import(process.env.CLIENT_NODE);
      const kc = new KubeConfig();
      kc.loadFromCluster(process.env.KITE_ROOT);
      const core = kc.makeApiClient(CoreV1Api);
      const cm = await core.readNamespacedConfigMap({ name: 'for-client', namespace: 'default' });
      console.log('GREETING ' + cm.data.greeting + ' NAMESPACE ' + kc.getContextObject(kc.getCurrentContext()).namespace);`;
    const { port } = new URL(server.url);
    await k(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client-node' },
      spec: {
        restartPolicy: 'Never',
        containers: [{
          name: 'main',
          image: 'node',
          command: [process.execPath, '--input-type=module', '-e', script],
          env: [
            { name: 'CLIENT_NODE', value: import.meta.resolve('@kubernetes/client-node') },
            // The process runtime has no Service routing: the API server's own address.
            { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' },
            { name: 'KUBERNETES_SERVICE_PORT', value: port },
          ],
        }],
      },
    }));
    const { pod, logs } = await finished('client-node');
    assert.equal(pod.status?.phase, 'Succeeded', logs);
    assert.match(logs, /GREETING hello NAMESPACE default/);
  });
});
