// The etcd v3 wire protocol: loads the etcd gRPC service definitions (the .proto files the etcd3
// npm package ships) once, and declares the few message shapes Kite sends and receives. Decoding
// options: int64 → number (revisions stay far below 2^53), enums → numbers, absent proto3 fields
// stay undefined (callers read them with `?? 0`), repeated fields are always arrays.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export interface ResponseHeader {
  revision?: number;
}

export interface KeyValueMsg {
  key?: Buffer;
  create_revision?: number;
  mod_revision?: number;
  version?: number;
  value?: Buffer;
}

export interface RangeRequest {
  key: Buffer;
  range_end?: Buffer;
  limit?: number;
  revision?: number;
  count_only?: boolean;
  keys_only?: boolean;
}

export interface RangeResponse {
  header?: ResponseHeader;
  kvs: KeyValueMsg[];
  more?: boolean;
  count?: number;
}

export interface PutResponse {
  header?: ResponseHeader;
  prev_kv?: KeyValueMsg;
}

export interface DeleteRangeResponse {
  header?: ResponseHeader;
  deleted?: number;
  prev_kvs: KeyValueMsg[];
}

/** Compare.CompareResult / Compare.CompareTarget numbers (rpc.proto). */
export const CompareResult = { Equal: 0, Greater: 1, Less: 2, NotEqual: 3 } as const;
export const CompareTarget = { Version: 0, Create: 1, Mod: 2, Value: 3 } as const;

export interface Compare {
  result: number;
  target: number;
  key: Buffer;
  create_revision?: number;
  mod_revision?: number;
}

export interface RequestOp {
  request_range?: RangeRequest;
  request_put?: { key: Buffer; value: Buffer; prev_kv?: boolean };
  request_delete_range?: { key: Buffer; prev_kv?: boolean };
}

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface ResponseOp {
  response_range?: RangeResponse;
  response_put?: PutResponse;
  response_delete_range?: DeleteRangeResponse;
}

export interface TxnResponse {
  header?: ResponseHeader;
  succeeded?: boolean;
  responses: ResponseOp[];
}

export interface CompactionRequest {
  revision: number;
  physical?: boolean;
}

export interface StatusResponse {
  header?: ResponseHeader;
  version?: string;
}

/** mvccpb.Event.EventType numbers. */
export const EventType = { Put: 0, Delete: 1 } as const;

export interface EventMsg {
  type?: number;
  kv?: KeyValueMsg;
  prev_kv?: KeyValueMsg;
}

export interface WatchRequest {
  create_request?: {
    key: Buffer;
    range_end?: Buffer;
    start_revision?: number;
    progress_notify?: boolean;
    prev_kv?: boolean;
  };
  cancel_request?: { watch_id: number };
  progress_request?: Record<string, never>;
}

export interface WatchResponse {
  header?: ResponseHeader;
  watch_id?: number;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: number;
  cancel_reason?: string;
  events: EventMsg[];
}

export type ServiceClientConstructor = grpc.ServiceClientConstructor;

interface EtcdServices {
  KV: ServiceClientConstructor;
  Watch: ServiceClientConstructor;
  Maintenance: ServiceClientConstructor;
}

let services: EtcdServices | undefined;

/** The etcdserverpb service constructors, loaded on first use. */
export function etcdServices(): EtcdServices {
  if (services) return services;
  const require = createRequire(import.meta.url);
  const protoDir = join(dirname(require.resolve('etcd3/package.json')), 'proto');
  const definition = protoLoader.loadSync(join(protoDir, 'rpc.proto'), {
    keepCase: true,
    longs: Number,
    arrays: true,
    defaults: false,
    includeDirs: [protoDir],
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as { etcdserverpb: EtcdServices };
  services = root.etcdserverpb;
  return services;
}
