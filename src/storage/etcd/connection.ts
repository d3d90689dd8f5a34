// The gRPC connection to etcd: one channel per endpoint (shared by the KV, Watch and Maintenance
// clients), unary calls with a deadline and error translation, bidirectional watch streams, and
// closing (in-flight calls are cancelled and fail with 'Closed'). With several endpoints, calls go
// to one of them and move to the next after it proves unreachable.

import * as grpc from '@grpc/grpc-js';
import { closedError, toStorageError, unreachable, type CallContext } from './errors.js';
import { etcdServices } from './proto.js';

export interface ConnectionOptions {
  endpoints: readonly string[];
  /** Bound on every unary call and on establishing a watch. */
  requestTimeoutMs: number;
  /** Bound on the first connection. */
  dialTimeoutMs: number;
}

type UnaryCallback<Res> = (err: grpc.ServiceError | null, res?: Res) => void;
type UnaryMethod = (
  req: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: UnaryCallback<unknown>,
) => grpc.ClientUnaryCall;

export type Service = 'KV' | 'Maintenance';

interface Member {
  channel: grpc.Channel;
  KV: grpc.Client;
  Watch: grpc.Client;
  Maintenance: grpc.Client;
}

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // Lists can be large; etcd's own client lifts the 4 MiB receive default the same way.
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
  // Reconnect quickly once etcd is back (the default backoff grows to two minutes).
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  // Notice a silently dead peer (no RST) on long watch streams. etcd permits pings every >= 5 s.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
};

/** "http://127.0.0.1:2379", "https://host:2379" or "host:2379" → gRPC target and whether it is TLS. */
export function parseEndpoint(endpoint: string): { target: string; tls: boolean } {
  const match = /^(https?):\/\/([^/]+)\/?$/.exec(endpoint);
  if (match) return { target: match[2] as string, tls: match[1] === 'https' };
  return { target: endpoint, tls: false };
}

export class Connection {
  readonly endpoints: readonly string[];
  readonly requestTimeoutMs: number;
  private readonly members: Member[];
  private current = 0;
  private closed = false;
  private readonly pending = new Set<grpc.ClientUnaryCall>();
  private readonly methods = new Map<string, UnaryMethod>();
  private readonly metadata = new grpc.Metadata();

  constructor(private readonly options: ConnectionOptions) {
    if (options.endpoints.length === 0) throw new Error('etcd: no endpoints given');
    this.endpoints = options.endpoints;
    this.requestTimeoutMs = options.requestTimeoutMs;
    const services = etcdServices();
    this.members = options.endpoints.map((endpoint) => {
      const { target, tls } = parseEndpoint(endpoint);
      const credentials = tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
      const channel = new grpc.Channel(target, credentials, CHANNEL_OPTIONS);
      const clientOptions = { channelOverride: channel };
      return {
        channel,
        KV: new services.KV(target, credentials, clientOptions),
        Watch: new services.Watch(target, credentials, clientOptions),
        Maintenance: new services.Maintenance(target, credentials, clientOptions),
      };
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Waits until some endpoint accepts a connection, within the dial timeout. */
  async dial(): Promise<void> {
    const deadline = Date.now() + this.options.dialTimeoutMs;
    const attempts = this.members.map(
      (member, index) =>
        new Promise<number>((resolve, reject) => {
          member.KV.waitForReady(deadline, (err) => (err ? reject(err) : resolve(index)));
        }),
    );
    try {
      this.current = await Promise.any(attempts);
    } catch (err) {
      const first = err instanceof AggregateError ? (err.errors[0] as unknown) : err;
      const detail = first instanceof Error ? first.message : String(first);
      throw unreachable(this.endpoints, `no connection within ${this.options.dialTimeoutMs} ms (${detail})`, undefined, err);
    }
  }

  /** One unary RPC on the current endpoint, bounded by the request timeout. */
  call<Res>(service: Service, method: string, request: unknown, ctx: Omit<CallContext, 'endpoints'>): Promise<Res> {
    if (this.closed) return Promise.reject(closedError(ctx.op));
    const memberIndex = this.current;
    const member = this.members[memberIndex] as Member;
    const fn = this.method(service, method, memberIndex, member);
    return new Promise<Res>((resolve, reject) => {
      const callback: UnaryCallback<unknown> = (err, res) => {
        this.pending.delete(call);
        if (err) {
          if (err.code === grpc.status.UNAVAILABLE) this.rotate(memberIndex);
          reject(toStorageError(err, { ...ctx, endpoints: this.endpoints, closed: this.closed }));
        } else {
          resolve(res as Res);
        }
      };
      // grpc-js captures the caller's stack (`new Error()`, async frames included) on every unary
      // call, only to append it to a failed call's message; failures here become StorageErrors
      // with their own stack, so the capture is skipped — it was ~2 % of an API server's CPU
      // under a create load in profiles. Only the synchronous start of the call runs without it.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      let call: grpc.ClientUnaryCall;
      try {
        call = fn.call(member[service], request, this.metadata, { deadline: Date.now() + this.requestTimeoutMs }, callback);
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
      this.pending.add(call);
    });
  }

  /** A new bidirectional Watch stream on the current endpoint. */
  watchStream(): grpc.ClientDuplexStream<unknown, unknown> {
    if (this.closed) throw closedError('watch');
    const client = (this.members[this.current] as Member).Watch as unknown as {
      Watch(metadata: grpc.Metadata, options: grpc.CallOptions): grpc.ClientDuplexStream<unknown, unknown>;
    };
    return client.Watch(this.metadata, {});
  }

  /** Moves to the next endpoint after `failed` proved unreachable. */
  rotate(failed: number): void {
    if (this.current === failed && this.members.length > 1) this.current = (failed + 1) % this.members.length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const call of this.pending) call.cancel();
    this.pending.clear();
    for (const member of this.members) {
      member.KV.close();
      member.Watch.close();
      member.Maintenance.close();
      member.channel.close();
    }
  }

  private method(service: Service, method: string, index: number, member: Member): UnaryMethod {
    const cacheKey = `${index}/${service}/${method}`;
    let fn = this.methods.get(cacheKey);
    if (!fn) {
      fn = (member[service] as unknown as Record<string, UnaryMethod>)[method];
      if (typeof fn !== 'function') throw new Error(`etcd: no method ${service}.${method}`);
      this.methods.set(cacheKey, fn);
    }
    return fn;
  }
}
