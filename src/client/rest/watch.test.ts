import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { isGone } from '../../api/status-predicates.js';
import { failureStatus } from '../../api/status.js';
import { RestClient } from './rest-client.js';
import { FakeTransport, settle } from './test-support.js';
import { isConnectionError } from './transport.js';
import type { WatchEvent } from './watch.js';
import { parseEvent } from './watch.js';

const pods = { group: '', version: 'v1', resource: 'pods', namespaced: true };

function setup() {
  const transport = new FakeTransport();
  const client = new RestClient({ server: 'https://kite:6443', qps: 0, maxRetries: 0 }, { clock: new FakeClock(0), transport });
  return { transport, client };
}

const line = (type: string, name: string, rv: string) => JSON.stringify({ type, object: { kind: 'Pod', metadata: { name, resourceVersion: rv } } }) + '\n';

it('streams watch events split across chunks, in order, until the server ends the stream', async () => {
  const { transport, client } = setup();
  const stream = new PassThrough();
  transport.answer({ stream });
  const watch = await client.resource(pods).watch({ resourceVersion: '5', allowWatchBookmarks: true, timeoutSeconds: 30 });
  assert.equal(transport.requests[0]!.path, '/api/v1/pods?watch=true&resourceVersion=5&timeoutSeconds=30&allowWatchBookmarks=true');
  const seen: string[] = [];
  const reading = (async () => {
    for await (const e of watch) {
      if (e.type !== 'ERROR') seen.push(`${e.type} ${e.object.metadata?.name ?? ''} ${e.object.metadata?.resourceVersion ?? ''}`);
    }
  })();
  const all = line('ADDED', 'a', '6') + line('MODIFIED', 'a', '7') + line('BOOKMARK', '', '8') + line('DELETED', 'a', '9');
  for (let i = 0; i < all.length; i += 17) {
    stream.write(all.slice(i, i + 17));
    await settle(1);
  }
  stream.end();
  await reading;
  assert.deepEqual(seen, ['ADDED a 6', 'MODIFIED a 7', 'BOOKMARK  8', 'DELETED a 9']);
});

it('yields ERROR events with their Status and ends on stop()', async () => {
  const { transport, client } = setup();
  const stream = new PassThrough();
  transport.answer({ stream });
  const watch = await client.resource(pods).namespace('ns').watch();
  assert.equal(transport.requests[0]!.path, '/api/v1/namespaces/ns/pods?watch=true');
  stream.write(JSON.stringify({ type: 'ERROR', object: failureStatus(410, 'Expired', 'too old resource version') }) + '\n');
  const events: WatchEvent[] = [];
  for await (const e of watch) {
    events.push(e);
    watch.stop();
  }
  assert.equal(events[0]!.type, 'ERROR');
  assert.equal(events[0]!.object.kind, 'Status');
  assert.equal(watch.isStopped, true);
  assert.equal(stream.destroyed, true, 'stop cancels the stream');
});

it('rejects opening a watch with the StatusError of the response', async () => {
  const { transport, client } = setup();
  transport.answer({ status: 410, body: failureStatus(410, 'Gone', 'too old') });
  await assert.rejects(client.resource(pods).watch({ resourceVersion: '1' }), isGone);
});

it('throws a ConnectionError when the stream breaks', async () => {
  const { transport, client } = setup();
  const stream = new PassThrough();
  transport.answer({ stream });
  const watch = await client.resource(pods).watch();
  stream.write(line('ADDED', 'a', '2'));
  const seen: string[] = [];
  const reading = (async () => {
    for await (const e of watch) {
      seen.push(e.type);
      stream.destroy(new Error('ECONNRESET'));
    }
  })();
  await assert.rejects(reading, isConnectionError);
  assert.deepEqual(seen, ['ADDED']);
});

it('parses single events strictly', () => {
  assert.equal(parseEvent('{"type":"ADDED","object":{"metadata":{"name":"a"}}}').type, 'ADDED');
  assert.throws(() => parseEvent('{"type":"WHAT","object":{}}'), /unknown type/);
  assert.throws(() => parseEvent('{"type":"ADDED"}'), /without an object/);
  assert.throws(() => parseEvent('{nope'), /malformed/);
});
