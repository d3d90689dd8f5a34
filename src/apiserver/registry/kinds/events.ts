// core/v1 events and events.k8s.io/v1 events: kubectl's event table (LAST SEEN TYPE REASON
// OBJECT MESSAGE, more with -o wide), the involvedObject/regarding field selectors, and
// Kubernetes' event validation (legacy rules for core/v1, the stricter ones for events.k8s.io).
// Kubernetes stores both in one place; see the report on sharing storage between them.

import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsEvent } from 'kubernetes-types/events/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { TableColumn } from '../resource.js';
import { since } from './duration.js';
import { define, dnsSubdomain, immutable, qualifiedName, wide } from './util.js';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/** The fields the event printer reads, whichever API version the event came in. */
interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  kind: string;
  objName: string;
  fieldPath: string;
  component: string;
  host: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count: number;
  series?: { count?: number; lastObservedTime?: string };
}

const fromCore = (e: CoreEvent): EventView => ({
  name: e.metadata?.name ?? '',
  type: e.type ?? '',
  reason: e.reason ?? '',
  message: e.message ?? '',
  kind: e.involvedObject?.kind ?? '',
  objName: e.involvedObject?.name ?? '',
  fieldPath: e.involvedObject?.fieldPath ?? '',
  component: e.source?.component || e.reportingComponent || '',
  host: e.source?.host || e.reportingInstance || '',
  firstTimestamp: e.firstTimestamp,
  lastTimestamp: e.lastTimestamp,
  eventTime: e.eventTime,
  count: e.count ?? 0,
  series: e.series,
});

const fromEvents = (e: EventsEvent): EventView => ({
  name: e.metadata?.name ?? '',
  type: e.type ?? '',
  reason: e.reason ?? '',
  message: e.note ?? '',
  kind: e.regarding?.kind ?? '',
  objName: e.regarding?.name ?? '',
  fieldPath: e.regarding?.fieldPath ?? '',
  component: e.deprecatedSource?.component || e.reportingController || '',
  host: e.deprecatedSource?.host || e.reportingInstance || '',
  firstTimestamp: e.deprecatedFirstTimestamp,
  lastTimestamp: e.deprecatedLastTimestamp,
  eventTime: e.eventTime,
  count: e.deprecatedCount ?? 0,
  series: e.series,
});

function timestamps(v: EventView, now: number): { first: string; last: string; count: number } {
  const first = v.firstTimestamp ? since(v.firstTimestamp, now) : since(v.eventTime, now);
  let last = v.lastTimestamp ? since(v.lastTimestamp, now) : first;
  let count = v.count;
  if (v.series) {
    last = since(v.series.lastObservedTime, now);
    count = v.series.count ?? 0;
  } else if (count === 0) count = 1;
  return { first, last, count };
}

/** printers.go printEvent's columns, over a view of either event version. */
function eventColumns<T>(view: (e: T) => EventView): TableColumn<T>[] {
  return [
    { name: 'Last Seen', type: 'string', description: 'The time at which the most recent occurrence of this event was recorded.', cell: (e, now) => timestamps(view(e), now).last },
    { name: 'Type', type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future', cell: (e) => view(e).type },
    { name: 'Reason', type: 'string', description: 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.', cell: (e) => view(e).reason },
    {
      name: 'Object',
      type: 'string',
      description: 'The object that this event is about.',
      cell: (e) => {
        const v = view(e);
        return v.objName ? `${v.kind.toLowerCase()}/${v.objName}` : v.kind.toLowerCase();
      },
    },
    wide('Subobject', (e) => view(e).fieldPath, { description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.' }),
    wide('Source', (e) => {
      const v = view(e);
      return v.host ? `${v.component}, ${v.host}` : v.component;
    }, { description: 'The component reporting this event. Should be a short machine understandable string.' }),
    { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.', cell: (e) => view(e).message.trim() },
    wide('First Seen', (e, now) => timestamps(view(e), now).first, { description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)' }),
    wide('Count', (e, now) => timestamps(view(e), now).count, { description: 'The number of times this event has occurred.' }),
    // Kubernetes puts the event's name last (wide only) instead of first.
    wide('Name', (e) => view(e).name, { format: 'name', description: 'Name must be unique within a namespace.' }),
  ];
}

// ---- core/v1 --------------------------------------------------------------------------------

function tooLong(p: string, value: string | undefined, limit: number): FieldError[] {
  return (value ?? '').length > limit ? [field.invalid(field.path(p), '', `can have at most ${limit} characters`)] : [];
}

/** legacyValidateEvent for requests to core/v1. */
export function validateCoreEvent(e: CoreEvent): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata?.namespace ?? '';
  const involvedNs = e.involvedObject?.namespace ?? '';
  const nsPath = field.path('involvedObject', 'namespace');
  if (!e.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(field.invalid(nsPath, involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) errs.push(field.invalid(nsPath, involvedNs, 'does not match event.namespace'));
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(field.invalid(nsPath, involvedNs, 'does not match event.namespace'));
    if (!e.reportingComponent) errs.push(field.required(field.path('reportingComponent'), ''));
    errs.push(...qualifiedName(e.reportingComponent ?? '', field.path('reportingComponent')));
    if (!e.reportingInstance) errs.push(field.required(field.path('reportingInstance'), ''));
    errs.push(...tooLong('reportingInstance', e.reportingInstance, REPORTING_INSTANCE_LIMIT));
    if (!e.action) errs.push(field.required(field.path('action'), ''));
    errs.push(...tooLong('action', e.action, ACTION_LIMIT));
    if (!e.reason) errs.push(field.required(field.path('reason'), ''));
    errs.push(...tooLong('reason', e.reason, REASON_LIMIT));
    errs.push(...tooLong('message', e.message, NOTE_LIMIT));
  }
  if (ns) errs.push(...dnsSubdomain(ns, field.path('namespace')));
  return errs;
}

/** Field selectors over an event's object reference: <prefix>.kind, .namespace, .name, … */
function referenceFields<E>(
  prefix: string,
  ref: (e: E) => Partial<Record<'kind' | 'namespace' | 'name' | 'uid' | 'apiVersion' | 'resourceVersion' | 'fieldPath', string>> | undefined,
): Record<string, (e: E) => string> {
  const keys = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;
  return Object.fromEntries(keys.map((k) => [`${prefix}.${k}`, (e: E) => ref(e)?.[k] ?? '']));
}

export const coreEvents = define<CoreEvent>({
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: { validate: validateCoreEvent, validateUpdate: validateCoreEvent, allowCreateOnUpdate: true, allowUnconditionalUpdate: true },
  columns: eventColumns(fromCore),
  fields: {
    ...referenceFields<CoreEvent>('involvedObject', (e) => e.involvedObject),
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component || e.reportingComponent || '',
    type: (e) => e.type ?? '',
  },
});

// ---- events.k8s.io/v1 -----------------------------------------------------------------------

export function validateEventsEvent(e: EventsEvent): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata?.namespace ?? '';
  if (!e.regarding?.namespace && ns !== 'default' && ns !== 'kube-system' && e.regarding) {
    errs.push(field.invalid(field.path('regarding', 'namespace'), e.regarding.namespace ?? '', 'does not match event.namespace'));
  }
  if (!e.eventTime) errs.push(field.required(field.path('eventTime'), ''));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(field.invalid(field.path('type'), '', `has invalid value: ${e.type ?? ''}`));
  if (e.deprecatedFirstTimestamp) errs.push(field.invalid(field.path('deprecatedFirstTimestamp'), '', 'needs to be unset'));
  if (e.deprecatedLastTimestamp) errs.push(field.invalid(field.path('deprecatedLastTimestamp'), '', 'needs to be unset'));
  if (e.deprecatedCount) errs.push(field.invalid(field.path('deprecatedCount'), '', 'needs to be unset'));
  if (e.deprecatedSource?.component || e.deprecatedSource?.host) errs.push(field.invalid(field.path('deprecatedSource'), '', 'needs to be unset'));
  if (e.series) {
    if ((e.series.count ?? 0) < 2) errs.push(field.invalid(field.path('series', 'count'), '', 'should be at least 2'));
    if (!e.series.lastObservedTime) errs.push(field.required(field.path('series', 'lastObservedTime'), ''));
  }
  if (!e.reportingController) errs.push(field.required(field.path('reportingController'), ''));
  errs.push(...qualifiedName(e.reportingController ?? '', field.path('reportingController')));
  if (!e.reportingInstance) errs.push(field.required(field.path('reportingInstance'), ''));
  errs.push(...tooLong('reportingInstance', e.reportingInstance, REPORTING_INSTANCE_LIMIT));
  if (!e.action) errs.push(field.required(field.path('action'), ''));
  errs.push(...tooLong('action', e.action, ACTION_LIMIT));
  if (!e.reason) errs.push(field.required(field.path('reason'), ''));
  errs.push(...tooLong('reason', e.reason, REASON_LIMIT));
  errs.push(...tooLong('note', e.note, NOTE_LIMIT));
  if (ns) errs.push(...dnsSubdomain(ns, field.path('namespace')));
  return errs;
}

function validateEventsEventUpdate(e: EventsEvent, old: EventsEvent): FieldError[] {
  const errs = validateEventsEvent(e);
  for (const k of ['regarding', 'related', 'reason', 'note', 'type', 'action', 'reportingController', 'reportingInstance', 'eventTime'] as const) {
    errs.push(...immutable(e[k], old[k], field.path(k)));
  }
  return errs;
}

export const eventsEvents = define<EventsEvent>({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: { validate: validateEventsEvent, validateUpdate: validateEventsEventUpdate, allowCreateOnUpdate: true, allowUnconditionalUpdate: true },
  columns: eventColumns(fromEvents),
  fields: {
    ...referenceFields<EventsEvent>('regarding', (e) => e.regarding),
    reason: (e) => e.reason ?? '',
    reportingController: (e) => e.reportingController ?? '',
    type: (e) => e.type ?? '',
  },
});
