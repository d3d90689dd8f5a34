import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellFor, printerColumns } from './printer-columns.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const obj = {
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name: 'a', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { cronSpec: '* * * * */5', replicas: 3, ratio: 0.5, on: true, image: 'x' },
  status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:09:00Z' }] },
};

describe('printer columns', () => {
  it('default to Age', () => {
    const cols = printerColumns(undefined);
    assert.deepEqual(cols.map((c) => c.name), ['Age']);
    assert.equal(cols[0]!.type, 'date');
    assert.equal(cols[0]!.description, 'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp');
    assert.equal(cols[0]!.cell(obj, now), '10m');
  });

  it('render each column type', () => {
    const cols = printerColumns([
      { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec', description: 'the schedule' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', priority: 1 },
      { name: 'On', type: 'boolean', jsonPath: '.spec.on' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Since', type: 'date', jsonPath: '.status.conditions[0].lastTransitionTime' },
      { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
      { name: 'WrongType', type: 'integer', jsonPath: '.spec.image' },
    ]);
    assert.deepEqual(
      cols.map((c) => c.cell(obj, now)),
      ['* * * * */5', 3, 0.5, true, 'True', '60s', null, null],
    );
    assert.equal(cols[0]!.description, 'the schedule');
    assert.equal(cols[2]!.priority, 1);
  });

  it('converts like cellForJSONValue', () => {
    assert.equal(cellFor('integer', 2.7, now), 2);
    assert.equal(cellFor('number', 'x', now), null);
    assert.equal(cellFor('date', 'yesterday', now), '<invalid>');
    assert.equal(cellFor('string', { a: 1 }, now), '{"a":1}');
  });
});
