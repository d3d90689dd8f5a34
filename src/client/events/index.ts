// The event recorder (client-go's tools/record): recorders, the broadcaster that correlates and
// writes events through an EventSink, and the correlator's parts.

export { EventBroadcaster, DEFAULT_MAX_QUEUED_EVENTS, DEFAULT_SLEEP_DURATION_MS, MAX_TRIES_PER_EVENT, type EventBroadcasterOptions, type EventWatcher } from './broadcaster.js';
export { getReference, type EventRecorder, type Referable } from './recorder.js';
export {
  EventCorrelator,
  EventNamer,
  aggregatedMessage,
  aggregatorByReason,
  getEventKey,
  getSpamKey,
  DEFAULT_AGGREGATE_INTERVAL_SECONDS,
  DEFAULT_AGGREGATE_MAX_EVENTS,
  DEFAULT_SPAM_BURST,
  DEFAULT_SPAM_QPS,
  type CorrelateResult,
  type CorrelatorOptions,
} from './correlator.js';
export { EventType, type Event, type EventPatch, type EventSink, type EventSource, type ObjectReference } from './types.js';
export { restEventSink } from './rest-event-sink.js';
