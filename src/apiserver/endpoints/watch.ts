// Serving a watch: a chunked stream of JSON watch events ({"type":…,"object":…} per line), with
// resourceVersion semantics, bookmarks, sendInitialEvents, timeoutSeconds, Table objects for
// `kubectl get -w`, and a clean end on client disconnect or server shutdown.

import { drained } from '../../util/drain.js';
import type { KubeObject } from '../../api/object.js';
import { newBadRequest } from '../../api/status-errors.js';
import { statusOf } from '../../api/status.js';
import { interpretStorageError } from '../registry/storage-errors.js';
import type { WatchStream } from '../../storage/interface.js';
import type { Timer } from '../../util/clock.js';
import type { RestStore } from '../registry/rest-store.js';
import { apiVersionOf, type ResourceDefinition } from '../registry/resource.js';
import type { ApiRequest, ApiResponse } from './http.js';
import { buildPredicate } from './predicate.js';
import type { ResourceContext } from './context.js';
import { toTable, wantsTable } from './table.js';

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export async function serveWatch<T extends KubeObject>(
  req: ApiRequest,
  res: ApiResponse,
  store: RestStore<T>,
  namespace: string | undefined,
  query: URLSearchParams,
  ctx: ResourceContext,
): Promise<void> {
  const def = store.def as unknown as ResourceDefinition;
  const predicate = buildPredicate<T>(def, query);
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const sendInitialEvents = query.get('sendInitialEvents') === 'true';
  const rv = query.get('resourceVersion') ?? '';
  const rvMatch = query.get('resourceVersionMatch');
  if (sendInitialEvents && rvMatch !== 'NotOlderThan') {
    throw newBadRequest('resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
  }
  if (sendInitialEvents && !bookmarks) {
    throw newBadRequest('allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true');
  }
  const timeoutSeconds = query.get('timeoutSeconds') ? Number(query.get('timeoutSeconds')) : undefined;
  const table = wantsTable(req.headers.accept);

  // "" and "0" (and sendInitialEvents) start with the current state as ADDED events.
  const initial = rv === '' || rv === '0' || sendInitialEvents;
  let from = rv;
  let initialItems: T[] = [];
  if (initial) {
    const list = await store.list(namespace, { predicate, resourceVersion: sendInitialEvents && rv ? rv : undefined });
    initialItems = list.items;
    from = list.resourceVersion;
  }
  const stream: WatchStream<T> = await store.watch(namespace, { predicate, resourceVersion: from, progressNotify: bookmarks });

  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  // Send the headers now: a client waits for them before it does anything else.
  (res as { flushHeaders?: () => void }).flushHeaders?.();
  const encode = (type: string, object: unknown) => JSON.stringify({ type, object }) + '\n';
  const render = (obj: T): unknown =>
    table ? toTable(def, [obj], { now: ctx.clock.now(), include: 'Metadata' }) : { ...obj, kind: def.kind, apiVersion: apiVersionOf(def) };
  const bookmark = (resourceVersion: string, annotations?: Record<string, string>) =>
    encode('BOOKMARK', {
      kind: def.kind,
      apiVersion: apiVersionOf(def),
      metadata: { resourceVersion, ...(annotations ? { annotations } : {}) },
    });

  let timer: Timer | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    timer?.cancel();
    stream.stop();
    unregister();
    if (!res.writableEnded) res.end();
  };
  const unregister = ctx.longRunning.register(end);
  res.on('close', end);
  if (timeoutSeconds !== undefined && timeoutSeconds > 0) timer = ctx.clock.setTimeout(end, timeoutSeconds * 1000);

  for (const item of initialItems) res.write(encode('ADDED', render(item)));
  if (sendInitialEvents) res.write(bookmark(from, { [INITIAL_EVENTS_END]: 'true' }));

  // Respect the socket's back-pressure: a slow client stalls its own stream (and the watch cache
  // ends it once it falls too far behind) instead of filling server memory.
  const send = async (chunk: string): Promise<void> => {
    if (res.write(chunk) || ended) return;
    await drained(res);
  };
  try {
    for await (const event of stream) {
      if (ended) break;
      if (event.type === 'PROGRESS') {
        if (bookmarks) await send(bookmark(String(event.revision)));
        continue;
      }
      await send(encode(event.type, render(event.object)));
    }
  } catch (err) {
    if (!ended) res.write(encode('ERROR', statusOf(interpretStorageError(err, { group: def.group, resource: def.resource }))));
  } finally {
    end();
  }
}
