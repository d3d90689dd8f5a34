// The HTTP surface the endpoints use, for HTTP/1.1 and HTTP/2 requests alike: reading a bounded
// body, and writing JSON objects and Kubernetes Status errors.

import type { ServerRequest, ServerResponse } from '../serving/types.js';
import { newRequestEntityTooLarge } from '../../api/status-errors.js';
import { statusOf } from '../../api/status.js';

export type ApiRequest = ServerRequest;
export type ApiResponse = ServerResponse;

/** kube-apiserver's limit on a request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** How much of an oversized body is read and dropped so the client can read the 413. */
const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

export async function readBody(req: ApiRequest, limit = MAX_BODY_BYTES): Promise<Buffer> {
  // HTTP/2 can answer mid-body (the stream is then reset); HTTP/1.1 must drain the body to keep the
  // connection usable: read and drop up to a bound, past which the connection is closed instead.
  const http2 = req.httpVersionMajor === 2;
  if (http2 && Number(req.headers['content-length']) > limit) throw newRequestEntityTooLarge(`limit is ${limit}`);
  const discard = http2 ? 0 : MAX_DISCARD_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit + discard) break;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw newRequestEntityTooLarge(`limit is ${limit}`);
  return Buffer.concat(chunks);
}

export function writeJson(res: ApiResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(code, { 'content-type': contentType, 'content-length': data.length });
  res.end(data);
}

export function writeRaw(res: ApiResponse, code: number, data: Buffer | string, contentType: string, headers: Record<string, string> = {}): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  res.writeHead(code, { 'content-type': contentType, 'content-length': buf.length, ...headers });
  res.end(buf);
}

/** Answers with the Status of any thrown value (500 for anything that isn't a StatusError). */
/** Longest Status message sent: messages can quote client input (a 600 KB "kind"). */
const MAX_MESSAGE_LENGTH = 4096;

export function writeError(res: ApiResponse, err: unknown): void {
  const status = statusOf(err);
  if (status.message && status.message.length > MAX_MESSAGE_LENGTH) {
    status.message = `${status.message.slice(0, MAX_MESSAGE_LENGTH)}...(truncated)`;
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string> = {};
  if (status.details?.retryAfterSeconds) headers['retry-after'] = String(status.details.retryAfterSeconds);
  const data = Buffer.from(JSON.stringify(status));
  res.writeHead(status.code, { 'content-type': 'application/json', 'content-length': data.length, ...headers });
  res.end(data);
}
