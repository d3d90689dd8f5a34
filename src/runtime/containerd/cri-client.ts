// One gRPC connection to a CRI endpoint (containerd's unix socket) with both services on it, and
// unary calls as promises: a deadline from the injected clock on every call, and gRPC errors
// turned into Kite's (NOT_FOUND → RuntimeNotFoundError, everything else → CriCallError).

import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../../util/clock.js';
import { RuntimeNotFoundError } from '../errors.js';
import { criServices } from './proto.js';

/** A failed CRI call other than NotFound; `code` is the gRPC status code. */
export class CriCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(`CRI ${method}: ${grpc.status[code] ?? code}: ${details}`);
    this.name = 'CriCallError';
  }
}

export interface CallTarget {
  /** What NOT_FOUND refers to, for RuntimeNotFoundError. */
  what: 'sandbox' | 'container' | 'image';
  id: string;
  /** The image the call uses: a NOT_FOUND whose message names an image is about this one. */
  image?: string;
}

/** The RuntimeNotFoundError for a NOT_FOUND from a call on target. */
export function notFoundError(target: CallTarget, details: string): RuntimeNotFoundError {
  if (target.image !== undefined && /\bimage\b/i.test(details)) return new RuntimeNotFoundError('image', target.image);
  return new RuntimeNotFoundError(target.what, target.id);
}

type Unary = (request: object, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, response: unknown) => void) => void;

/** The grpc-js target for an endpoint: "unix:///run/containerd/containerd.sock" or a bare socket path. */
export function grpcTarget(endpoint: string): string {
  if (endpoint.startsWith('unix:')) return endpoint;
  if (endpoint.startsWith('/')) return `unix://${endpoint}`;
  return endpoint;
}

export class CriClient {
  private readonly runtimeClient: grpc.Client;
  private readonly imageClient: grpc.Client;

  constructor(
    endpoint: string,
    private readonly clock: Clock,
    private readonly defaultTimeoutMs: number,
  ) {
    const services = criServices();
    const options: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
    };
    const target = grpcTarget(endpoint);
    const credentials = grpc.credentials.createInsecure();
    this.runtimeClient = new services.RuntimeService(target, credentials, options);
    // Both services share one channel (one connection to the socket).
    this.imageClient = new services.ImageService(target, credentials, { ...options, channelOverride: this.runtimeClient.getChannel() });
  }

  runtime<T>(method: string, request: object, target?: CallTarget, timeoutMs?: number): Promise<T> {
    return this.call<T>(this.runtimeClient, method, request, target, timeoutMs);
  }

  image<T>(method: string, request: object, target?: CallTarget, timeoutMs?: number): Promise<T> {
    return this.call<T>(this.imageClient, method, request, target, timeoutMs);
  }

  close(): void {
    this.imageClient.close();
    this.runtimeClient.close();
  }

  private call<T>(client: grpc.Client, method: string, request: object, target: CallTarget | undefined, timeoutMs: number | undefined): Promise<T> {
    const fn = (client as unknown as Record<string, Unary>)[method];
    if (typeof fn !== 'function') return Promise.reject(new Error(`CRI has no method ${method}`));
    const deadline = this.clock.now() + (timeoutMs ?? this.defaultTimeoutMs);
    return new Promise<T>((resolve, reject) => {
      fn.call(client, request, new grpc.Metadata(), { deadline }, (err, response) => {
        if (!err) return resolve(response as T);
        if (err.code === grpc.status.NOT_FOUND && target) return reject(notFoundError(target, err.details || err.message));
        reject(new CriCallError(method, err.code, err.details || err.message));
      });
    });
  }
}

export function isGrpcCode(err: unknown, code: grpc.status): boolean {
  return err instanceof CriCallError && err.code === code;
}
