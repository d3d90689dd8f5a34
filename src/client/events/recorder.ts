// The event recorder controllers hold (client-go's record.EventRecorder): event(object, type,
// reason, message) builds a core/v1 Event about the object — named "<object name>.<hex
// nanoseconds>", in the object's namespace (or "default"), with the recorder's source as source
// and reportingComponent/reportingInstance — and hands it to the broadcaster without waiting.

import type { KubeObject } from '../../api/object.js';
import { formatTime } from '../../api/meta.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { EventNamer } from './correlator.js';
import { EventType, type Event, type EventSource, type ObjectReference } from './types.js';

/** What an event can be about: an object (with apiVersion and kind set) or a reference to one. */
export type Referable = KubeObject | ObjectReference;

export interface EventRecorder {
  /** Records an event of type Normal or Warning; anything else is logged and dropped. */
  event(object: Referable, type: EventType | string, reason: string, message: string): void;
  /** The same, with annotations on the Event object. */
  annotatedEvent(object: Referable, annotations: Record<string, string>, type: EventType | string, reason: string, message: string): void;
}

/** ref.GetReference: the ObjectReference an event names as its involvedObject. */
export function getReference(object: Referable): ObjectReference {
  if (!('metadata' in object)) return { ...object };
  const ref: ObjectReference = {};
  const meta = object.metadata ?? {};
  if (object.kind) ref.kind = object.kind;
  if (meta.namespace) ref.namespace = meta.namespace;
  if (meta.name) ref.name = meta.name;
  if (meta.uid) ref.uid = meta.uid;
  if (object.apiVersion) ref.apiVersion = object.apiVersion;
  if (meta.resourceVersion) ref.resourceVersion = meta.resourceVersion;
  return ref;
}

/** The recorder a broadcaster hands out; events go to `emit` (the broadcaster's bounded queues). */
export class Recorder implements EventRecorder {
  private readonly source: EventSource;

  constructor(
    source: EventSource,
    private readonly clock: Clock,
    private readonly namer: EventNamer,
    private readonly emit: (event: Event) => void,
    private readonly log: Logger,
  ) {
    this.source = source.host ? { component: source.component ?? '', host: source.host } : { component: source.component ?? '' };
  }

  event(object: Referable, type: EventType | string, reason: string, message: string): void {
    this.generate(object, undefined, type, reason, message);
  }

  annotatedEvent(object: Referable, annotations: Record<string, string>, type: EventType | string, reason: string, message: string): void {
    this.generate(object, annotations, type, reason, message);
  }

  private generate(object: Referable, annotations: Record<string, string> | undefined, type: string, reason: string, message: string): void {
    const ref = getReference(object);
    if (!ref.kind || !ref.name) {
      this.log.error('could not construct reference for an event; it needs a kind and a name', { reason, message });
      return;
    }
    if (type !== EventType.Normal && type !== EventType.Warning) {
      this.log.error('unsupported event type', { type, reason, message });
      return;
    }
    this.emit(this.makeEvent(ref, annotations, type, reason, message));
  }

  private makeEvent(ref: ObjectReference, annotations: Record<string, string> | undefined, type: string, reason: string, message: string): Event {
    const now = this.clock.now();
    const t = formatTime(now);
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: this.namer.name(ref.name ?? '', now),
        namespace: ref.namespace || 'default',
        ...(annotations ? { annotations: { ...annotations } } : {}),
      },
      involvedObject: ref,
      reason,
      message,
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type,
      source: { ...this.source },
      reportingComponent: this.source.component ?? '',
      reportingInstance: this.source.host ?? '',
    };
    return event;
  }
}
