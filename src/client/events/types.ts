// The shapes the event recorder works with: core/v1 Event and ObjectReference, the event types,
// the event source, and the EventSink the recorder writes through.

import type { Event, EventSource, ObjectReference } from 'kubernetes-types/core/v1.js';

export type { Event, EventSource, ObjectReference };

export const EventType = {
  Normal: 'Normal',
  Warning: 'Warning',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** The strategic-merge patch that bumps a repeated event (client-go's eventObserve patch). */
export interface EventPatch {
  count: number;
  lastTimestamp: string;
  message?: string;
}

/**
 * Where events go: the core/v1 Events API of one cluster. Errors are StatusErrors for answers from
 * the server (never retried) and anything else for transport failures (retried). A sink needs
 * patch, update, or both: patch is used when present (client-go's way), update otherwise.
 */
export interface EventSink {
  create(event: Event): Promise<Event>;
  /** PATCH (application/strategic-merge-patch+json) events/<event.metadata.name> in its namespace. */
  patch?(event: Event, patch: EventPatch): Promise<Event>;
  /** PUT the whole event (core/v1 events allow updates without a resourceVersion). */
  update?(event: Event): Promise<Event>;
}
