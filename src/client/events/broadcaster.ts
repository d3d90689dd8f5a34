// client-go's EventBroadcaster: recorders hand events to it without blocking; each watcher (the
// sink writer, a logger, a test handler) has its own bounded buffer (1000 by default — events
// beyond it are dropped, never blocking the caller) and works through it in order.
// startRecordingToSink correlates each event (aggregation, repeat counting, spam filter) and writes
// it: a repeat as a patch (falling back to create if the event is gone), the rest as creates;
// transport failures are retried up to 12 times, 10 s apart (the first wait randomized); an answer
// from the server (a StatusError) is final.

import { isAlreadyExists, isNotFound } from '../../api/status-predicates.js';
import { isStatusError, messageOf } from '../../api/status.js';
import type { Clock, Timer } from '../../util/clock.js';
import { realClock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { silentLogger } from '../../util/log.js';
import { EventCorrelator, EventNamer, type CorrelatorOptions } from './correlator.js';
import { Recorder, type EventRecorder } from './recorder.js';
import type { Event, EventPatch, EventSink, EventSource } from './types.js';

export const DEFAULT_MAX_QUEUED_EVENTS = 1000;
export const MAX_TRIES_PER_EVENT = 12;
export const DEFAULT_SLEEP_DURATION_MS = 10_000;

export interface EventBroadcasterOptions {
  clock?: Clock;
  /** Uniform [0, 1), for the first retry's randomized wait. */
  random?: () => number;
  logger?: Logger;
  /** Buffer per watcher; events beyond it are dropped (1000). */
  maxQueuedEvents?: number;
  /** Wait between tries to write an event (10 s). */
  sleepDurationMs?: number;
  maxTriesPerEvent?: number;
  correlator?: Omit<CorrelatorOptions, 'clock' | 'namer'>;
}

export interface EventWatcher {
  /** Stops delivering; buffered events are discarded. */
  stop(): void;
  /** Events dropped because this watcher's buffer was full. */
  dropped(): number;
}

type Handler = (event: Event, signal: AbortSignal) => void | Promise<void>;

/** One watcher: a bounded buffer worked through in order by one async loop. */
class BufferedWatcher implements EventWatcher {
  private buffer: Event[] = [];
  private busy = false;
  private stopped = false;
  private droppedCount = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly capacity: number,
    private readonly handler: Handler,
    private readonly signal: AbortSignal,
    private readonly log: Logger,
    private readonly onStop: (w: BufferedWatcher) => void,
  ) {}

  push(event: Event): void {
    if (this.stopped) return;
    if (this.buffer.length >= this.capacity) {
      this.droppedCount++;
      return;
    }
    this.buffer.push(event);
    if (!this.busy) void this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.buffer = [];
    this.onStop(this);
    if (!this.busy) this.settleIdle();
  }

  dropped(): number {
    return this.droppedCount;
  }

  /** Resolves once the buffer is empty and nothing is being handled. */
  idle(): Promise<void> {
    if (!this.busy && this.buffer.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    this.busy = true;
    while (this.buffer.length > 0 && !this.stopped) {
      const event = this.buffer.shift()!;
      try {
        await this.handler(event, this.signal);
      } catch (err) {
        this.log.error('event handler failed', { error: messageOf(err) });
      }
    }
    this.busy = false;
    this.settleIdle();
  }

  private settleIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    let timer: Timer | undefined = undefined;
    const onAbort = () => {
      timer?.cancel();
      resolve(false);
    };
    timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class EventBroadcaster {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Logger;
  private readonly capacity: number;
  private readonly sleepDurationMs: number;
  private readonly maxTries: number;
  private readonly correlatorOptions: Omit<CorrelatorOptions, 'clock' | 'namer'>;
  private readonly namer = new EventNamer();
  private readonly watchers = new Set<BufferedWatcher>();
  private readonly shutdownController = new AbortController();

  constructor(options: EventBroadcasterOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.log = options.logger ?? silentLogger;
    this.capacity = options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS;
    this.sleepDurationMs = options.sleepDurationMs ?? DEFAULT_SLEEP_DURATION_MS;
    this.maxTries = options.maxTriesPerEvent ?? MAX_TRIES_PER_EVENT;
    this.correlatorOptions = options.correlator ?? {};
  }

  /** A recorder whose events carry `source` (component, and host if any). */
  newRecorder(source: EventSource): EventRecorder {
    return new Recorder(source, this.clock, this.namer, (e) => this.distribute(e), this.log);
  }

  /** Calls `handler` for every event, in order, off the caller's path. */
  startEventWatcher(handler: (event: Event) => void | Promise<void>): EventWatcher {
    return this.addWatcher((e) => handler(e));
  }

  /** Logs every event at info level ("Event occurred"). */
  startLogging(logger: Logger): EventWatcher {
    return this.addWatcher((e) => {
      const o = e.involvedObject;
      logger.info('Event occurred', {
        object: o.namespace ? `${o.namespace}/${o.name ?? ''}` : (o.name ?? ''),
        fieldPath: o.fieldPath ?? '',
        kind: o.kind ?? '',
        apiVersion: o.apiVersion ?? '',
        type: e.type ?? '',
        reason: e.reason ?? '',
        message: e.message ?? '',
      });
    });
  }

  /** Writes every event to `sink`, correlated (aggregated, counted, spam-filtered). */
  startRecordingToSink(sink: EventSink): EventWatcher {
    if (!sink.patch && !sink.update) throw new Error('an event sink needs patch or update');
    const correlator = new EventCorrelator({ ...this.correlatorOptions, clock: this.clock, namer: this.namer });
    return this.addWatcher((e, signal) => this.recordToSink(sink, e, correlator, signal));
  }

  /** Resolves once every watcher has handled everything buffered so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.watchers].map((w) => w.idle()));
  }

  /**
   * Stops accepting events, cuts retry waits short (an event being retried gets no more tries),
   * waits for the buffered events to be handled, then stops every watcher.
   */
  async shutdown(): Promise<void> {
    this.shutdownController.abort();
    await this.flush();
    for (const w of [...this.watchers]) w.stop();
  }

  private addWatcher(handler: Handler): EventWatcher {
    const watcher = new BufferedWatcher(this.capacity, handler, this.shutdownController.signal, this.log, (w) => this.watchers.delete(w));
    this.watchers.add(watcher);
    return watcher;
  }

  private distribute(event: Event): void {
    if (this.shutdownController.signal.aborted) return;
    for (const w of this.watchers) w.push(structuredClone(event));
  }

  private async recordToSink(sink: EventSink, event: Event, correlator: EventCorrelator, signal: AbortSignal): Promise<void> {
    const result = correlator.correlate(event);
    if (result.skip) return;
    for (let tries = 1; ; tries++) {
      if (await this.recordEvent(sink, result.event, result.patch, correlator)) return;
      if (tries >= this.maxTries) {
        this.log.error('unable to write event (retry limit exceeded)', { event: result.event.metadata?.name ?? '' });
        return;
      }
      // Randomize the first wait so that clients do not all retry in step.
      const wait = tries === 1 ? this.sleepDurationMs * this.random() : this.sleepDurationMs;
      if (!(await sleep(this.clock, wait, signal))) {
        this.log.warn('shutting down: not retrying event', { event: result.event.metadata?.name ?? '' });
        return;
      }
    }
  }

  /** One try; true when done (written, or refused by the server), false to retry. */
  private async recordEvent(sink: EventSink, event: Event, patch: EventPatch | undefined, correlator: EventCorrelator): Promise<boolean> {
    let written: Event | undefined;
    try {
      if (patch) {
        try {
          written = sink.patch ? await sink.patch(event, patch) : await sink.update!(withoutResourceVersion(event));
        } catch (err) {
          // The event may have been removed (expired) meanwhile: create it anew.
          if (!isNotFound(err)) throw err;
        }
      }
      if (!written) written = await sink.create(withoutResourceVersion(event));
      correlator.updateState(written);
      return true;
    } catch (err) {
      if (isStatusError(err)) {
        if (isAlreadyExists(err)) this.log.debug('server rejected event (will not retry)', { event: event.metadata?.name ?? '', error: err.message });
        else this.log.error('server rejected event (will not retry)', { event: event.metadata?.name ?? '', error: err.message });
        return true;
      }
      this.log.error('unable to write event (may retry after sleeping)', { event: event.metadata?.name ?? '', error: messageOf(err) });
      return false;
    }
  }
}

function withoutResourceVersion(event: Event): Event {
  const { resourceVersion: _rv, ...metadata } = event.metadata ?? {};
  return { ...event, metadata };
}
