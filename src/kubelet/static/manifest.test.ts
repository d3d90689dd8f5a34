import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseManifest, staticPodUid } from './manifest.js';

const source = { path: '/etc/kite/manifests/web.yaml', nodeName: 'Node-A' };
const yaml = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: { app: web }
spec:
  containers:
  - name: main
    image: busybox
    command: [sleep, "3600"]
`;

function pod(text: string, src = source): Pod {
  const r = parseManifest(text, src);
  if ('error' in r) assert.fail(r.error);
  return r.pod;
}

describe('static pod manifests', () => {
  it('defaults a pod as the kubelet does: name-node, namespace, nodeName, annotations, NoExecute toleration, pod defaults', () => {
    const p = pod(yaml);
    const uid = p.metadata?.uid ?? '';
    assert.match(uid, /^[0-9a-f]{32}$/);
    assert.equal(p.metadata?.name, 'web-node-a');
    assert.equal(p.metadata?.namespace, 'default');
    assert.deepEqual(p.metadata?.labels, { app: 'web' });
    assert.equal(p.metadata?.annotations?.['kubernetes.io/config.hash'], uid);
    assert.equal(p.metadata?.annotations?.['kubernetes.io/config.source'], 'file');
    assert.equal(p.spec?.nodeName, 'Node-A');
    assert.deepEqual(p.spec?.tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
    assert.equal(p.spec?.restartPolicy, 'Always');
    assert.equal(p.spec?.dnsPolicy, 'ClusterFirst');
    assert.equal(p.spec?.terminationGracePeriodSeconds, 30);
    assert.equal(p.spec?.enableServiceLinks, true);
    const c = p.spec!.containers[0]!;
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.terminationMessagePath, '/dev/termination-log');
    assert.equal(c.terminationMessagePolicy, 'File');
    assert.deepEqual(p.status, { phase: 'Pending' });
  });

  it('accepts JSON and keeps a given namespace and restartPolicy', () => {
    const p = pod(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j', namespace: 'kube-system' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } }));
    assert.equal(p.metadata?.name, 'j-node-a');
    assert.equal(p.metadata?.namespace, 'kube-system');
    assert.equal(p.spec?.restartPolicy, 'Never');
    assert.equal(p.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent');
  });

  it('hashes content, node and file: the UID changes with any of them, not with formatting', () => {
    const uid = pod(yaml).metadata?.uid;
    assert.equal(pod(yaml.replace('labels: { app: web }', 'labels:\n    app: web')).metadata?.uid, uid);
    assert.notEqual(pod(yaml.replace('3600', '3601')).metadata?.uid, uid);
    assert.notEqual(pod(yaml, { ...source, nodeName: 'node-b' }).metadata?.uid, uid);
    assert.notEqual(pod(yaml, { ...source, path: '/other.yaml' }).metadata?.uid, uid);
    assert.equal(staticPodUid({ metadata: { name: 'x' } }, source), staticPodUid({ metadata: { name: 'x' } }, source));
  });

  it('refuses what is not one valid pod, with a reason', () => {
    const bad = (text: string, match: RegExp) => {
      const r = parseManifest(text, source);
      assert.ok('error' in r, `accepted: ${text}`);
      assert.match(r.error, match);
    };
    bad('', /empty/);
    bad('a: [', /./);
    bad('- 1\n- 2', /not an object/);
    bad('apiVersion: v1\nkind: Service\nmetadata: {name: x}', /kind Pod/);
    bad('apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {containers: [{name: a, image: b}]}', /name is needed/);
    bad('apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec: {containers: [{name: a, image: b}]}', /metadata\.name/);
    bad('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: []}', /spec\.containers/);
    bad('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a}]}', /image/);
    bad(`${yaml}---\n${yaml}`, /single pod/);
  });
});
