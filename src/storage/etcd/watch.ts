// One Kite watch = one etcd Watch stream with one watcher (prev_kv, progress_notify). Owns the
// translation of etcd watch responses into BackendEvent batches and onProgress calls, the start
// handshake (resolve once etcd confirmed the watcher; refuse a compacted start with 'Expired'),
// progress requests, and ending (stop, stream failure → onError).
//
// Progress: answers to WatchProgressRequest carry watch_id -1 and the store revision. etcd before
// 3.4.31 / 3.5.13 may send that answer ahead of events it covers (they sit in another queue of the
// server's send loop), so on such servers an answer is trusted only after a second request's
// answer arrives (a barrier: by then the send loop has flushed what was queued before the first),
// and not before a watch that started in the past has had time to be synced (etcd syncs lagging
// watchers every 100 ms). Periodic progress_notify responses (own watch_id, no events) are ordered
// with events on every version and are always trusted.

import type { ClientDuplexStream } from '@grpc/grpc-js';
import type { BackendEvent, BackendWatch, BackendWatchHandler } from '../backend.js';
import { StorageError, expired } from '../errors.js';
import type { Connection } from './connection.js';
import { closedError, toStorageError, unreachable } from './errors.js';
import { EventType, type EventMsg, type WatchRequest, type WatchResponse } from './proto.js';

const EMPTY = Buffer.alloc(0);
/** watch_id of an answer to a WatchProgressRequest (sent to every watcher of the stream). */
const BROADCAST_ID = -1;
/** How long a watch that started in the past waits before trusting progress answers on old etcd. */
const CATCH_UP_GRACE_MS = 300;

export interface WatchParams {
  key: Buffer;
  rangeEnd?: Buffer;
  /** The key as given, for error messages. */
  keyText: string;
  afterRevision: number;
  /** The server orders progress answers after the events they cover. */
  reliableProgress: boolean;
}

export function toBackendEvent(ev: EventMsg): BackendEvent {
  const kv = ev.kv ?? {};
  const key = kv.key ? kv.key.toString('utf8') : '';
  const revision = kv.mod_revision ?? 0;
  const prev = ev.prev_kv;
  if ((ev.type ?? EventType.Put) === EventType.Delete) {
    const event: BackendEvent = { type: 'delete', key, revision, created: false };
    if (prev) {
      event.prevValue = prev.value ?? EMPTY;
      event.prevRevision = prev.mod_revision ?? 0;
    }
    return event;
  }
  const event: BackendEvent = {
    type: 'put',
    key,
    revision,
    created: (kv.create_revision ?? 0) === revision,
    value: kv.value ?? EMPTY,
  };
  if (prev) {
    event.prevValue = prev.value ?? EMPTY;
    event.prevRevision = prev.mod_revision ?? 0;
  }
  return event;
}

type State = 'starting' | 'active' | 'done';

export class EtcdWatch implements BackendWatch {
  private state: State = 'starting';
  private readonly stream: ClientDuplexStream<unknown, unknown>;
  private watchId: number | undefined;
  /** Highest revision delivered (event or progress); the watch starts "after" afterRevision. */
  private lastRevision: number;
  private readonly queued: BackendEvent[][] = [];
  private settleStart: { resolve: (w: EtcdWatch) => void; reject: (e: Error) => void } | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private createdRevision = 0;
  private createdAt = 0;
  /** A progress request the caller made that has not been answered yet. */
  private progressWanted = false;
  /** Old etcd: the first answer's revision, waiting for the barrier answer. */
  private barrierCandidate: number | undefined;
  /** Old etcd: the caller asked again while a barrier was in flight. */
  private progressAgain = false;
  private progressTimer: NodeJS.Timeout | undefined;
  /** Old etcd: the watch started in the past and may still be catching up. */
  private catchingUp: boolean;

  constructor(
    private readonly conn: Connection,
    private readonly params: WatchParams,
    private readonly handler: BackendWatchHandler,
    private readonly onDone: (watch: EtcdWatch) => void,
  ) {
    this.lastRevision = params.afterRevision;
    this.catchingUp = !params.reliableProgress;
    this.stream = conn.watchStream();
    this.stream.on('data', (msg: unknown) => this.onMessage(msg as WatchResponse));
    this.stream.on('error', (err: unknown) => this.fail(toStorageError(err, this.ctx())));
    this.stream.on('end', () => this.fail(unreachable(conn.endpoints, 'watch stream ended', params.keyText)));
  }

  /** Sends the create request; resolves once etcd confirmed the watcher and the start is not compacted. */
  start(): Promise<EtcdWatch> {
    const started = new Promise<EtcdWatch>((resolve, reject) => {
      this.settleStart = { resolve, reject };
    });
    this.startTimer = setTimeout(
      () =>
        this.fail(
          unreachable(this.conn.endpoints, `watch not established within ${this.conn.requestTimeoutMs} ms`, this.params.keyText),
        ),
      this.conn.requestTimeoutMs,
    );
    const request: WatchRequest = {
      create_request: {
        key: this.params.key,
        start_revision: this.params.afterRevision + 1,
        prev_kv: true,
        progress_notify: true,
      },
    };
    if (this.params.rangeEnd && request.create_request) request.create_request.range_end = this.params.rangeEnd;
    this.stream.write(request);
    return started;
  }

  requestProgress(): void {
    if (this.state === 'done') return;
    this.progressWanted = true;
    if (this.barrierCandidate !== undefined) this.progressAgain = true;
    else if (this.state === 'active' && !this.progressTimer) this.sendProgressRequest();
  }

  stop(): void {
    if (this.state === 'done') return;
    this.finish();
    this.settleStart?.reject(closedError('watch stopped before it started'));
    this.settleStart = undefined;
  }

  /** Ends the watch with an error (no call follows). */
  fail(err: StorageError): void {
    if (this.state === 'done') return;
    const starting = this.state === 'starting';
    this.finish();
    if (starting) {
      this.settleStart?.reject(err);
      this.settleStart = undefined;
    } else {
      this.handler.onError(err);
    }
  }

  private finish(): void {
    this.state = 'done';
    clearTimeout(this.startTimer);
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    this.stream.cancel();
    this.onDone(this);
  }

  private ctx(): { op: string; key: string; revision: number; endpoints: readonly string[]; closed: boolean } {
    return {
      op: 'watch',
      key: this.params.keyText,
      revision: this.params.afterRevision,
      endpoints: this.conn.endpoints,
      closed: this.conn.isClosed,
    };
  }

  private onMessage(msg: WatchResponse): void {
    if (this.state === 'done') return;
    const id = msg.watch_id ?? 0;
    if (msg.created) {
      this.watchId = id;
      this.createdRevision = msg.header?.revision ?? 0;
      this.createdAt = performance.now();
      if (this.params.afterRevision >= this.createdRevision) this.catchingUp = false;
      if (msg.canceled) {
        this.fail(this.cancelError(msg));
        return;
      }
      this.activate();
      return;
    }
    if (id === BROADCAST_ID) {
      this.onProgressAnswer(msg.header?.revision ?? 0);
      return;
    }
    if (id !== this.watchId) return;
    if (msg.canceled) {
      this.fail(this.cancelError(msg));
      return;
    }
    if (msg.events.length === 0) {
      // A periodic progress notification: ordered with this watcher's events.
      this.catchingUp = false;
      this.deliverProgress(msg.header?.revision ?? 0);
      return;
    }
    const events = msg.events.map(toBackendEvent);
    const last = (events[events.length - 1] as BackendEvent).revision;
    if (last > this.lastRevision) this.lastRevision = last;
    if (last >= this.createdRevision) this.catchingUp = false;
    if (this.state === 'starting') this.queued.push(events);
    else this.handler.onEvents(events);
  }

  private activate(): void {
    if (this.state !== 'starting') return;
    this.state = 'active';
    clearTimeout(this.startTimer);
    const settle = this.settleStart;
    this.settleStart = undefined;
    settle?.resolve(this);
    for (const batch of this.queued.splice(0)) {
      if (this.state !== 'active') return;
      this.handler.onEvents(batch);
    }
    if (this.progressWanted) this.sendProgressRequest();
  }

  private cancelError(msg: WatchResponse): StorageError {
    const compacted = msg.compact_revision ?? 0;
    if (compacted > 0) return expired(this.params.afterRevision, compacted);
    const reason = msg.cancel_reason ?? 'canceled by etcd';
    if (reason.includes('compacted')) return expired(this.params.afterRevision);
    return new StorageError('Internal', `etcd canceled the watch on ${this.params.keyText}: ${reason}`, this.params.keyText);
  }

  private sendProgressRequest(): void {
    if (this.state !== 'active') return;
    this.stream.write({ progress_request: {} } satisfies WatchRequest);
  }

  private onProgressAnswer(revision: number): void {
    if (this.state !== 'active') return;
    if (this.params.reliableProgress) {
      this.deliverProgress(revision);
      return;
    }
    if (this.catchingUp) {
      const waited = performance.now() - this.createdAt;
      if (waited < CATCH_UP_GRACE_MS) {
        this.barrierCandidate = undefined;
        if (!this.progressTimer) {
          this.progressTimer = setTimeout(() => {
            this.progressTimer = undefined;
            this.sendProgressRequest();
          }, CATCH_UP_GRACE_MS - waited);
        }
        return;
      }
      this.catchingUp = false;
    }
    if (this.barrierCandidate === undefined) {
      this.barrierCandidate = revision;
      this.sendProgressRequest();
      return;
    }
    const trusted = this.barrierCandidate;
    this.barrierCandidate = undefined;
    this.deliverProgress(trusted);
    // A request made while the barrier was in flight needs its own answer.
    if (this.progressAgain && this.state === 'active') {
      this.progressAgain = false;
      this.progressWanted = true;
      this.barrierCandidate = revision;
      this.sendProgressRequest();
    }
  }

  private deliverProgress(revision: number): void {
    if (this.state !== 'active') return;
    if (revision > this.lastRevision) this.lastRevision = revision;
    this.progressWanted = false;
    this.handler.onProgress(this.lastRevision);
  }
}
