// Test helpers for the event recorder: an in-memory core/v1 Events API behind the EventSink
// interface, applying patches as the API server's strategic merge patch would for these fields,
// with failures a test can queue up.

import { newAlreadyExists, newNotFound } from '../../api/status-errors.js';
import type { Event, EventPatch, EventSink } from './types.js';

const eventsResource = { group: '', resource: 'events' };

export class InMemoryEventSink implements EventSink {
  readonly events = new Map<string, Event>();
  readonly calls: { verb: 'create' | 'patch' | 'update'; name: string; patch?: EventPatch }[] = [];
  /** Failures to throw from the next calls, in order. */
  readonly failures: unknown[] = [];
  /** While set, calls wait for it to resolve (a slow server). */
  gate: Promise<void> | undefined;
  private revision = 0;

  async create(event: Event): Promise<Event> {
    const name = event.metadata?.name ?? '';
    this.calls.push({ verb: 'create', name });
    await this.maybeFail();
    const key = this.key(event);
    if (this.events.has(key)) throw newAlreadyExists(eventsResource, name);
    if (event.metadata?.resourceVersion) throw new Error('resourceVersion must not be set on create');
    return this.store(key, event);
  }

  async patch(event: Event, patch: EventPatch): Promise<Event> {
    const name = event.metadata?.name ?? '';
    this.calls.push({ verb: 'patch', name, patch });
    await this.maybeFail();
    const key = this.key(event);
    const current = this.events.get(key);
    if (!current) throw newNotFound(eventsResource, name);
    return this.store(key, { ...current, ...patch });
  }

  async update(event: Event): Promise<Event> {
    const name = event.metadata?.name ?? '';
    this.calls.push({ verb: 'update', name });
    await this.maybeFail();
    return this.store(this.key(event), event);
  }

  /** The stored events, oldest first. */
  list(): Event[] {
    return [...this.events.values()].map((e) => structuredClone(e));
  }

  private key(event: Event): string {
    return `${event.metadata?.namespace ?? ''}/${event.metadata?.name ?? ''}`;
  }

  private async maybeFail(): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failures.length > 0) throw this.failures.shift();
  }

  private store(key: string, event: Event): Event {
    const stored: Event = { ...structuredClone(event), metadata: { ...event.metadata, resourceVersion: String(++this.revision) } };
    this.events.set(key, stored);
    return structuredClone(stored);
  }
}
