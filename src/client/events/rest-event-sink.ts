// The EventSink of the event recorder over Kite's REST client (core/v1 Events): creates, and
// repeats as strategic merge patches of count, lastTimestamp and message.

import type { RestClient } from '../rest/index.js';
import type { Event, EventSink } from './types.js';

export function restEventSink(client: RestClient): EventSink {
  const events = client.resource<Event>({ group: '', version: 'v1', resource: 'events', namespaced: true, kind: 'Event' });
  const inNamespace = (event: Event) => events.namespace(event.metadata?.namespace ?? 'default');
  return {
    create: (event) => inNamespace(event).create(event),
    patch: (event, patch) => inNamespace(event).patch(event.metadata?.name ?? '', 'strategic', patch),
    update: (event) => inNamespace(event).update(event),
  };
}
