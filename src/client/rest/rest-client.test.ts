import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { failureStatus } from '../../api/status.js';
import { isConflict, isInternalError, isNotFound, isTooManyRequests, isServiceUnavailable } from '../../api/status-predicates.js';
import { StatusError } from '../../api/status.js';
import { FakeClock } from '../../util/clock.js';
import { isConnectionError } from './transport.js';
import { RestClient } from './rest-client.js';
import { FakeTransport, refused, reset, settle } from './test-support.js';

const configMaps = { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap' };

function setup(config: Partial<ConstructorParameters<typeof RestClient>[0]> = {}) {
  const clock = new FakeClock(0);
  const transport = new FakeTransport();
  const client = new RestClient({ server: 'https://kite:6443', qps: 0, ...config }, { clock, transport, random: () => 0 });
  return { clock, transport, client };
}

/** Steps the fake clock until the promise settles (or the budget runs out). */
async function drive<T>(clock: FakeClock, p: Promise<T>, budgetMs = 120_000, stepMs = 50): Promise<T> {
  let settled = false;
  const watched = p.finally(() => (settled = true));
  watched.catch(() => undefined);
  for (let t = 0; t < budgetMs && !settled; t += stepMs) {
    await settle();
    if (!settled) await clock.step(stepMs);
  }
  return watched;
}

const notFound = failureStatus(404, 'NotFound', 'configmaps "x" not found', { name: 'x', kind: 'configmaps' });

describe('RestClient', () => {
  it('turns Status error bodies into StatusErrors the predicates classify', async () => {
    const { transport, client } = setup();
    transport.answer({ status: 404, body: notFound }, { status: 409, body: failureStatus(409, 'Conflict', 'conflict') });
    const cms = client.resource(configMaps).namespace('default');
    await assert.rejects(cms.get('x'), (err) => isNotFound(err) && (err as StatusError).message === 'configmaps "x" not found');
    await assert.rejects(cms.create({ metadata: { name: 'x' } }), isConflict);
  });

  it('synthesizes a Status for error bodies that are not one', async () => {
    const { transport, client } = setup({ maxRetries: 0 });
    transport.answer({ status: 500, body: 'panic: oops' }, { status: 404, body: '' });
    await assert.rejects(client.resource(configMaps).namespace('a').get('x'), (err: unknown) => {
      assert.ok(isInternalError(err));
      assert.match((err as StatusError).message, /get configmaps x/);
      assert.equal((err as StatusError).status.details?.causes?.[0]?.message, 'panic: oops');
      return true;
    });
    await assert.rejects(client.resource(configMaps).namespace('a').get('x'), isNotFound);
  });

  it('retries 429 after the Retry-After the server asks for, for any verb', async () => {
    const { clock, transport, client } = setup();
    transport.answer(
      { status: 429, headers: { 'retry-after': '2' }, body: failureStatus(429, 'TooManyRequests', 'slow down') },
      { status: 201, body: { kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a' } } },
    );
    const created = client.resource(configMaps).create({ metadata: { name: 'x', namespace: 'a' } });
    await settle();
    assert.equal(transport.requests.length, 1);
    await clock.step(1999);
    await settle();
    assert.equal(transport.requests.length, 1, 'waits the full Retry-After');
    await clock.step(1);
    const obj = await created;
    assert.equal(obj.metadata?.name, 'x');
    assert.equal(transport.requests.length, 2);
    assert.equal(transport.requests[1]!.method, 'POST');
  });

  it('retries 5xx for idempotent verbs with exponential backoff, not for POST', async () => {
    const { clock, transport, client } = setup();
    const unavailable = { status: 503, body: failureStatus(503, 'ServiceUnavailable', 'later') };
    transport.answer(unavailable, unavailable, unavailable, { status: 200, body: { metadata: { name: 'x' } } });
    const got = client.resource(configMaps).namespace('a').get('x');
    // backoff 100, 200, 400 ms (no jitter)
    await settle();
    await clock.step(99);
    await settle();
    assert.equal(transport.requests.length, 1);
    await clock.step(1);
    await settle();
    assert.equal(transport.requests.length, 2);
    await clock.step(200);
    await settle();
    assert.equal(transport.requests.length, 3);
    await clock.step(400);
    assert.equal((await got).metadata?.name, 'x');
    assert.equal(transport.requests.length, 4);

    transport.answer(unavailable);
    await assert.rejects(client.resource(configMaps).create({ metadata: { name: 'y', namespace: 'a' } }), isServiceUnavailable);
    assert.equal(transport.requests.length, 5, 'a POST is not retried on 5xx');
  });

  it('gives up after maxRetries and surfaces the last error', async () => {
    const { clock, transport, client } = setup({ maxRetries: 2 });
    const tooMany = { status: 429, headers: { 'retry-after': '1' }, body: failureStatus(429, 'TooManyRequests', 'no') };
    transport.answer(tooMany, tooMany, tooMany);
    await assert.rejects(drive(clock, client.resource(configMaps).list()), isTooManyRequests);
    assert.equal(transport.requests.length, 3);
  });

  it('surfaces a 429 without Retry-After at once: a refusal, not throttling (as client-go)', async () => {
    const { transport, client } = setup();
    transport.answer({ status: 429, body: failureStatus(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.") });
    await assert.rejects(client.resource(configMaps).list(), isTooManyRequests);
    assert.equal(transport.requests.length, 1);
  });

  it('retries connection loss: any verb when nothing was sent, idempotent verbs otherwise', async () => {
    const { clock, transport, client } = setup();
    transport.answer(refused(), refused(), { status: 201, body: { metadata: { name: 'x' } } });
    const created = await drive(clock, client.resource(configMaps).create({ metadata: { name: 'x', namespace: 'a' } }));
    assert.equal(created.metadata?.name, 'x');
    assert.equal(transport.requests.length, 3);

    transport.answer(reset());
    await assert.rejects(client.resource(configMaps).create({ metadata: { name: 'y', namespace: 'a' } }), isConnectionError);
    transport.answer(reset(), { status: 200, body: { metadata: { name: 'y' } } });
    const updated = await drive(clock, client.resource(configMaps).update({ metadata: { name: 'y', namespace: 'a' } }));
    assert.equal(updated.metadata?.name, 'y');
  });

  it('limits its request rate with the token bucket (qps/burst)', async () => {
    const { clock, transport, client } = setup({ qps: 2, burst: 2 });
    for (let i = 0; i < 4; i++) transport.answer({ status: 200, body: { items: [], metadata: {} } });
    const lists = Array.from({ length: 4 }, () => client.resource(configMaps).list());
    await settle();
    assert.equal(transport.requests.length, 2);
    await clock.step(500);
    await settle();
    assert.equal(transport.requests.length, 3);
    await clock.step(500);
    await Promise.all(lists);
    assert.equal(transport.requests.length, 4);
  });

  it('sends the bearer token, content types and query options', async () => {
    const { transport, client } = setup({ token: 'secret' });
    transport.answer({ status: 200, body: { metadata: { name: 'x' } } }, { status: 200, body: { kind: 'ConfigMapList', items: [{ metadata: { name: 'x' } }], metadata: { resourceVersion: '7' } } });
    await client.resource(configMaps).namespace('a').patch('x', 'merge', { data: { k: 'v' } }, { fieldManager: 'me', dryRun: true });
    const list = await client.resource(configMaps).list({ labelSelector: { app: 'web' }, fieldSelector: 'metadata.name=x', limit: 5, resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' });
    const [patch, get] = transport.requests;
    assert.equal(patch!.headers.authorization, 'Bearer secret');
    assert.equal(patch!.headers['content-type'], 'application/merge-patch+json');
    assert.equal(patch!.path, '/api/v1/namespaces/a/configmaps/x?dryRun=All&fieldManager=me');
    assert.equal(patch!.body?.toString(), '{"data":{"k":"v"}}');
    assert.equal(get!.path, '/api/v1/configmaps?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Dx&resourceVersion=0&resourceVersionMatch=NotOlderThan&limit=5');
    assert.equal(list.items[0]!.kind, 'ConfigMap', 'list items get their kind');
    assert.equal(list.items[0]!.apiVersion, 'v1');
  });

  it('times out on the injected clock', async () => {
    const { clock, transport, client } = setup({ timeoutMs: 1000 });
    const stream = new PassThrough();
    transport.answer({ stream, status: 200 });
    const got = assert.rejects(client.resource(configMaps).namespace('a').get('x'), (err) => isConnectionError(err) && err.code === 'ETIMEDOUT');
    await settle();
    await clock.step(1000);
    await got;
  });

  it('re-reads a token file as it rotates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-token-'));
    try {
      const file = join(dir, 'token');
      writeFileSync(file, 'first\n');
      const { clock, transport, client } = setup({ tokenFile: file });
      transport.answer({ status: 200, body: {} }, { status: 200, body: {} }, { status: 200, body: {} });
      await client.resource(configMaps).list();
      writeFileSync(file, 'second\n');
      await client.resource(configMaps).list();
      await clock.step(60_000);
      await client.resource(configMaps).list();
      assert.deepEqual(transport.requests.map((r) => r.headers.authorization), ['Bearer first', 'Bearer first', 'Bearer second']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses requests after close', async () => {
    const { transport, client } = setup();
    client.close();
    assert.equal(transport.closed, true);
    await assert.rejects(client.resource(configMaps).list(), isConnectionError);
  });
});
