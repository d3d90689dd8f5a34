// LimitRanger admission against a real `kite server`: a LimitRange's defaults fill in the requests
// and limits a pod's containers leave out (with the kubernetes.io/limit-ranger annotation), and
// min, max and maxLimitRequestRatio per Container and per Pod refuse a pod with 403 Forbidden and
// Kubernetes' messages, through kubectl and the REST client; a default limit below the request
// makes the pod invalid (422).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LimitRange, Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { StatusError } from '../src/api/status.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { kubectl } from './support/kubectl.js';

const NS = 'limits';

describe('LimitRanger against a real kite server', () => {
  const cluster = useCluster({ name: 'limitranger' });
  const pods = () => cluster.rest.resource<Pod>(resources.PODS).namespace(NS);
  const pod = (name: string, requests?: Record<string, string>, limits?: Record<string, string>): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'busybox', command: ['true'], resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } }] },
  });
  const refused = async (p: Pod, message: string) =>
    assert.rejects(pods().create(p), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.status.code, 403);
      assert.equal(err.status.reason, 'Forbidden');
      assert.equal(err.status.message, message);
      return true;
    });

  it('defaults requests and limits, and enforces min, max and the limit/request ratio', async () => {
    await cluster.rest.resource<Namespace>(resources.NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await cluster.rest.resource<LimitRange>(resources.LIMITRANGES).namespace(NS).create({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr' },
      spec: {
        limits: [
          { type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '200m' }, max: { cpu: '1' }, min: { cpu: '100m' }, maxLimitRequestRatio: { cpu: '4' } },
          { type: 'Pod', max: { memory: '1Gi' } },
        ],
      },
    });
    const created = await pods().create(pod('defaults', undefined, { memory: '100Mi' }));
    const r = created.spec?.containers[0]?.resources;
    assert.equal(r?.requests?.['cpu'], '200m');
    assert.equal(r?.limits?.['cpu'], '500m');
    assert.equal(created.metadata?.annotations?.['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu request for container c; cpu limit for container c');

    await refused(pod('toobig', { cpu: '500m', memory: '1Mi' }, { cpu: '2', memory: '1Mi' }), 'pods "toobig" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
    await refused(pod('toosmall', { cpu: '50m', memory: '1Mi' }, { cpu: '100m', memory: '1Mi' }), 'pods "toosmall" is forbidden: minimum cpu usage per Container is 100m, but request is 50m');
    await refused(
      pod('both', { cpu: '50m', memory: '1Mi' }, { cpu: '2', memory: '1Mi' }),
      'pods "both" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, maximum cpu usage per Container is 1, but limit is 2, cpu max limit to request ratio per Container is 4, but provided ratio is 40.000000]',
    );
    await refused(pod('ratio', { cpu: '100m', memory: '1Mi' }, { cpu: '1', memory: '1Mi' }), 'pods "ratio" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000');

    // The default limit lands below the container's own request: the pod is then invalid, and is
    // refused as such (validation runs after mutating admission, as in Kubernetes).
    await assert.rejects(pods().create(pod('reqabove', { cpu: '800m', memory: '1Mi' })), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.status.code, 422);
      assert.equal(err.status.message, 'Pod "reqabove" is invalid: spec.containers[0].resources.requests[cpu]: Invalid value: "800m": must be less than or equal to cpu limit of 500m');
      return true;
    });

    const r2 = await kubectl(cluster.server.kubeconfig, ['-n', NS, 'create', '-f', '-'], { input: JSON.stringify(pod('podmax', { memory: '2Gi' }, { memory: '2Gi' })) });
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /Error from server \(Forbidden\).*pods "podmax" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 2Gi/);
  });

  it('derives the QoS class from the defaulted resources', async () => {
    await cluster.rest.resource<Namespace>(resources.NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'qos' } });
    await cluster.rest.resource<LimitRange>(resources.LIMITRANGES).namespace('qos').create({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '64Mi' } }] },
    });
    const created = await cluster.rest.resource<Pod>(resources.PODS).namespace('qos').create(pod('plain'));
    assert.deepEqual(created.spec?.containers[0]?.resources, { requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '500m', memory: '64Mi' } });
    assert.equal(created.status?.qosClass, 'Guaranteed');
  });
});
