// Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf) → JSON objects: the
// 4-byte magic "k8s\0", then a runtime.Unknown envelope whose typeMeta names the kind and whose
// raw bytes are that kind's message. The result is the object kubectl would have sent as JSON,
// with apiVersion and kind from the envelope (the endpoint's where the envelope leaves them out,
// as kube-apiserver's protobuf decoder does).

import protobuf from 'protobufjs';
import { newBadRequest } from '../../api/status-errors.js';
import { messageFor, protoSchema, unknownMessage } from './schema.js';
import { message } from './to-json.js';
import type { Decoded } from './well-known.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The group, version and kind the endpoint expects: the defaults for an envelope without them. */
export interface ProtobufTarget {
  group: string;
  version: string;
  kind: string;
}

function decodeMessage(type: protobuf.Type, bytes: Uint8Array): Decoded {
  try {
    return type.decode(bytes) as unknown as Decoded;
  } catch (err) {
    throw newBadRequest(`error decoding protobuf request body: ${(err as Error).message}`);
  }
}

/** Decodes one protobuf body into the JSON form of its object; malformed or unknown → 400. */
export function decodeProtobuf(body: Buffer, target: ProtobufTarget): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw newBadRequest(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`);
  }
  const envelope = decodeMessage(unknownMessage(), body.subarray(MAGIC.length));
  const typeMeta = (envelope['typeMeta'] ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion || (target.group ? `${target.group}/${target.version}` : target.version);
  const kind = typeMeta.kind || target.kind;
  if (envelope['contentEncoding']) throw newBadRequest(`unsupported content encoding "${String(envelope['contentEncoding'])}"`);
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const type = messageFor(group, version, kind);
  if (!type) throw newBadRequest(`no kind "${kind}" is registered for version "${apiVersion}"`);
  const raw = (envelope['raw'] as Uint8Array | undefined) ?? new Uint8Array();
  const decoded = decodeMessage(type, raw);
  let json: unknown;
  try {
    json = message(protoSchema(), type, decoded);
  } catch (err) {
    // Schemas nest schemas: a hostile depth overflows the stack here rather than in decoding.
    if (err instanceof RangeError) throw newBadRequest(`error decoding protobuf request body: ${err.message}`);
    throw err;
  }
  return { apiVersion, kind, ...(json as Record<string, unknown>) };
}
