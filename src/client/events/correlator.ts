// client-go's EventCorrelator (tools/record/events_cache.go): before an event is sent it is
//   1. aggregated — when more than `maxEvents` - 1 events with distinct messages but otherwise the
//      same source, object, type and reason arrive within `maxIntervalInSeconds`, further ones
//      become one "(combined from similar events): <message>" event;
//   2. observed — a repeat of an event already sent becomes a patch of that event's count,
//      lastTimestamp and message instead of a new object;
//   3. spam-filtered — a token bucket per source and object (burst 25, one token per 5 minutes)
//      drops events beyond it.

import { formatTime } from '../../api/meta.js';
import type { Clock } from '../../util/clock.js';
import { realClock } from '../../util/clock.js';
import { TokenBucket } from '../../util/token-bucket.js';
import { LruCache } from './lru.js';
import type { Event, EventPatch } from './types.js';

export const MAX_LRU_CACHE_ENTRIES = 4096;
export const DEFAULT_AGGREGATE_MAX_EVENTS = 10;
export const DEFAULT_AGGREGATE_INTERVAL_SECONDS = 600;
export const DEFAULT_SPAM_BURST = 25;
export const DEFAULT_SPAM_QPS = 1 / 300;

const SEP = '\u0000';

/** Unique, increasing nanosecond timestamps from a millisecond clock, for event names. */
export class EventNamer {
  private last = 0n;

  /** `<object name>.<hex nanoseconds>`, as client-go names events. */
  name(objectName: string, nowMs: number): string {
    let nanos = BigInt(Math.floor(nowMs)) * 1_000_000n;
    if (nanos <= this.last) nanos = this.last + 1n;
    this.last = nanos;
    return `${objectName}.${nanos.toString(16)}`;
  }
}

/** getEventKey: everything that makes two events "the same event". */
export function getEventKey(e: Event): string {
  const o = e.involvedObject;
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message]
    .map((s) => s ?? '')
    .join(SEP);
}

/** getSpamKey: the source and the object, which share one token bucket. */
export function getSpamKey(e: Event): string {
  const o = e.involvedObject;
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion].map((s) => s ?? '').join(SEP);
}

/** EventAggregatorByReasonFunc: events alike but for their message share an aggregate key. */
export function aggregatorByReason(e: Event): [aggregateKey: string, localKey: string] {
  const o = e.involvedObject;
  const key = [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance]
    .map((s) => s ?? '')
    .join(SEP);
  return [key, e.message ?? ''];
}

/** EventAggregatorByReasonMessageFunc. */
export function aggregatedMessage(e: Event): string {
  return `(combined from similar events): ${e.message ?? ''}`;
}

export interface CorrelatorOptions {
  /** Entries in each cache (4096). */
  lruCacheSize?: number;
  /** Spam filter bucket size per source+object (25). */
  burstSize?: number;
  /** Spam filter refill rate per second (1/300). */
  qps?: number;
  keyFunc?: (e: Event) => [string, string];
  messageFunc?: (e: Event) => string;
  /** Distinct similar events before aggregation starts (10). */
  maxEvents?: number;
  /** Window of similar events (600 s). */
  maxIntervalInSeconds?: number;
  spamKeyFunc?: (e: Event) => string;
  clock?: Clock;
  /** Shared with the recorder so generated names never collide. */
  namer?: EventNamer;
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastTimestamp: number;
}

interface EventLog {
  count: number;
  firstTimestamp: string | undefined;
  name: string;
  resourceVersion: string | undefined;
}

export interface CorrelateResult {
  /** The event to send (a copy; possibly the combined event). */
  event: Event;
  /** Set when the event repeats one already sent: patch that one instead of creating. */
  patch: EventPatch | undefined;
  /** The spam filter dropped it. */
  skip: boolean;
}

export class EventCorrelator {
  private readonly clock: Clock;
  private readonly keyFunc: (e: Event) => [string, string];
  private readonly messageFunc: (e: Event) => string;
  private readonly maxEvents: number;
  private readonly maxIntervalMs: number;
  private readonly spamKeyFunc: (e: Event) => string;
  private readonly qps: number;
  private readonly burst: number;
  private readonly namer: EventNamer;
  private readonly aggregates: LruCache<string, AggregateRecord>;
  private readonly logs: LruCache<string, EventLog>;
  private readonly spam: LruCache<string, TokenBucket>;

  constructor(options: CorrelatorOptions = {}) {
    const size = options.lruCacheSize ?? MAX_LRU_CACHE_ENTRIES;
    this.clock = options.clock ?? realClock;
    this.keyFunc = options.keyFunc ?? aggregatorByReason;
    this.messageFunc = options.messageFunc ?? aggregatedMessage;
    this.maxEvents = options.maxEvents ?? DEFAULT_AGGREGATE_MAX_EVENTS;
    this.maxIntervalMs = (options.maxIntervalInSeconds ?? DEFAULT_AGGREGATE_INTERVAL_SECONDS) * 1000;
    this.spamKeyFunc = options.spamKeyFunc ?? getSpamKey;
    this.qps = options.qps ?? DEFAULT_SPAM_QPS;
    this.burst = options.burstSize ?? DEFAULT_SPAM_BURST;
    this.namer = options.namer ?? new EventNamer();
    this.aggregates = new LruCache(size);
    this.logs = new LruCache(size);
    this.spam = new LruCache(size);
  }

  /** EventCorrelate: what to send for `newEvent`, and how. */
  correlate(newEvent: Event): CorrelateResult {
    const [aggregated, key] = this.aggregate(newEvent);
    const [observed, patch] = this.observe(aggregated, key);
    if (this.filter(observed)) return { event: observed, patch: undefined, skip: true };
    return { event: observed, patch, skip: false };
  }

  /** UpdateState: remember the server's copy (name, resourceVersion, count) of a sent event. */
  updateState(event: Event): void {
    this.logs.set(getEventKey(event), {
      count: event.count ?? 0,
      firstTimestamp: event.firstTimestamp,
      name: event.metadata?.name ?? '',
      resourceVersion: event.metadata?.resourceVersion,
    });
  }

  /** EventAggregate: the event itself and its event key, or a combined event and the aggregate key. */
  private aggregate(newEvent: Event): [Event, string] {
    const now = this.clock.now();
    const eventKey = getEventKey(newEvent);
    const [aggregateKey, localKey] = this.keyFunc(newEvent);
    let record = this.aggregates.get(aggregateKey);
    if (!record || now - record.lastTimestamp > this.maxIntervalMs) record = { localKeys: new Set(), lastTimestamp: 0 };
    record.localKeys.add(localKey);
    record.lastTimestamp = now;
    this.aggregates.set(aggregateKey, record);
    if (record.localKeys.size < this.maxEvents) return [newEvent, eventKey];

    // Do not let the set of messages grow beyond the maximum.
    const any = record.localKeys.values().next();
    if (!any.done) record.localKeys.delete(any.value);

    const t = formatTime(now);
    const combined: Event = {
      metadata: {
        name: this.namer.name(newEvent.involvedObject.name ?? '', now),
        namespace: newEvent.metadata?.namespace,
      },
      count: 1,
      firstTimestamp: t,
      involvedObject: newEvent.involvedObject,
      lastTimestamp: t,
      message: this.messageFunc(newEvent),
      type: newEvent.type,
      reason: newEvent.reason,
      source: newEvent.source,
    };
    if (newEvent.reportingComponent !== undefined) combined.reportingComponent = newEvent.reportingComponent;
    if (newEvent.reportingInstance !== undefined) combined.reportingInstance = newEvent.reportingInstance;
    return [combined, aggregateKey];
  }

  /** eventObserve: a repeat takes the earlier event's name and first timestamp, and count + 1. */
  private observe(newEvent: Event, key: string): [Event, EventPatch | undefined] {
    const event: Event = { ...newEvent, metadata: { ...newEvent.metadata } };
    const last = this.logs.get(key);
    let patch: EventPatch | undefined;
    if (last && last.count > 0) {
      const { resourceVersion: _stale, ...meta } = event.metadata;
      event.metadata = { ...meta, name: last.name, ...(last.resourceVersion !== undefined ? { resourceVersion: last.resourceVersion } : {}) };
      if (last.firstTimestamp !== undefined) event.firstTimestamp = last.firstTimestamp;
      event.count = last.count + 1;
      // CreateTwoWayMergePatch between the event with count 0, lastTimestamp 0 and no message,
      // and the event: the three fields that change on a repeat.
      patch = { count: event.count, lastTimestamp: event.lastTimestamp ?? formatTime(0) };
      if (event.message) patch.message = event.message;
    }
    this.logs.set(key, {
      count: event.count ?? 0,
      firstTimestamp: event.firstTimestamp,
      name: event.metadata.name ?? '',
      resourceVersion: event.metadata.resourceVersion,
    });
    return [event, patch];
  }

  /** EventSourceObjectSpamFilter.Filter: true drops the event. */
  private filter(event: Event): boolean {
    const key = this.spamKeyFunc(event);
    let bucket = this.spam.get(key);
    if (!bucket) bucket = new TokenBucket(this.qps, this.burst, this.clock);
    const drop = !bucket.tryAccept();
    this.spam.set(key, bucket);
    return drop;
  }
}
