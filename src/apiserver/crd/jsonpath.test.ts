import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateJsonPath, firstResult, goFloat, goJson, parseJsonPath, printValue } from './jsonpath.js';

const obj = {
  metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 3, image: 'nginx', ports: [{ port: 80 }, { port: 443 }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] },
};

describe('jsonpath', () => {
  it('finds fields, indexes and escaped keys', () => {
    assert.equal(firstResult(parseJsonPath('.spec.replicas'), obj), 3);
    assert.equal(firstResult(parseJsonPath('{.spec.ports[1].port}'), obj), 443);
    assert.equal(firstResult(parseJsonPath('.spec.ports[-1].port'), obj), 443);
    assert.equal(firstResult(parseJsonPath('.metadata.labels.app\\.kubernetes\\.io/name'), obj), 'web');
    assert.equal(firstResult(parseJsonPath(".metadata.labels['app.kubernetes.io/name']"), obj), 'web');
    assert.deepEqual(evaluateJsonPath(parseJsonPath('.spec.ports[*].port'), obj), [80, 443]);
  });

  it('gives nothing for missing keys', () => {
    assert.equal(firstResult(parseJsonPath('.spec.missing.deeper'), obj), undefined);
    assert.equal(firstResult(parseJsonPath('.spec.ports[5].port'), obj), undefined);
  });

  it('filters list items', () => {
    assert.equal(firstResult(parseJsonPath('.status.conditions[?(@.type=="Ready")].status'), obj), 'True');
    assert.equal(firstResult(parseJsonPath(".status.conditions[?(@.type=='Synced')].status"), obj), 'False');
    assert.equal(firstResult(parseJsonPath('.status.conditions[?(@.type=="Nope")].status'), obj), undefined);
  });

  it('rejects malformed paths', () => {
    assert.throws(() => parseJsonPath('.spec.ports[x]'));
    assert.throws(() => parseJsonPath('spec'));
  });

  it('prints values as Go does', () => {
    assert.equal(printValue('x'), 'x');
    assert.equal(printValue(3), '3');
    assert.equal(printValue(1.5), '1.5');
    assert.equal(printValue(true), 'true');
    assert.equal(printValue({ b: 1, a: '<' }), '{"a":"\\u003c","b":1}');
    assert.equal(printValue([1, 'a']), '[1,"a"]');
    assert.equal(printValue(null), undefined);
    assert.equal(goFloat(1234567.5), '1.2345675e+06');
    assert.equal(goFloat(0.00001), '1e-05');
    assert.equal(goFloat(123.45), '123.45');
    assert.equal(goJson({ z: [2.5] }), '{"z":[2.5]}');
  });
});
