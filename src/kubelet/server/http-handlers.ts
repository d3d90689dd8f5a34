// The kubelet API's plain HTTP endpoints: /healthz, /pods, /containerLogs/<ns>/<pod>/<container>,
// /stats/summary and /metrics/resource. Errors are answered as metav1 Status objects.

import { access } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../util/clock.js';
import { drained } from '../../util/drain.js';
import type { KubeletHost } from './host.js';
import { LogOptionsError, parseLogOptions } from './log-options.js';
import { readContainerLog, type LogSink } from './log-reader.js';
import { renderResourceMetrics } from './resource-metrics.js';

export class HttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message, 'BadRequest');
export const notFound = (message: string) => new HttpError(404, message, 'NotFound');

export function statusBody(code: number, message: string, reason: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

export function writeStatus(res: ServerResponse, err: unknown): void {
  const e = err instanceof HttpError ? err : new HttpError(500, (err as Error)?.message ?? String(err), 'InternalError');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = statusBody(e.code, e.message, e.reason);
  res.writeHead(e.code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function writeJson(res: ServerResponse, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': data.length });
  res.end(data);
}

function responseSink(res: ServerResponse): LogSink {
  return {
    write: async (chunk) => {
      if (res.destroyed || res.writableEnded) return;
      if (!res.write(chunk)) await drained(res);
    },
  };
}

export async function serveContainerLogs(
  host: KubeletHost,
  clock: Clock,
  req: IncomingMessage,
  res: ServerResponse,
  parts: string[],
  query: URLSearchParams,
): Promise<void> {
  const [namespace, pod, container] = parts;
  if (!namespace || !pod || !container || parts.length !== 3) throw notFound('path must be /containerLogs/<namespace>/<pod>/<container>');
  let options;
  try {
    options = parseLogOptions(query, clock.now());
  } catch (err) {
    if (err instanceof LogOptionsError) throw badRequest(err.message);
    throw err;
  }
  const location = await host.findContainer(namespace, pod, container);
  if (!location) throw notFound(`container "${container}" in pod "${pod}" is not available`);
  const path = options.previous ? location.previousLogPath : location.logPath;
  if (!path) throw badRequest(`previous terminated container "${container}" in pod "${pod}" not found`);
  try {
    await access(path);
  } catch {
    throw notFound(`log file for container "${container}" in pod "${pod}" not found`);
  }
  const aborted = new AbortController();
  res.once('close', () => aborted.abort());
  req.once('close', () => aborted.abort());
  res.writeHead(200, { 'content-type': 'text/plain' });
  if (options.follow) res.flushHeaders();
  const isRunning = async () => {
    if (options.previous) return false;
    try {
      return (await host.runtime.containerStatus(location.containerId)).state === 'running';
    } catch {
      return false;
    }
  };
  await readContainerLog(path, options, responseSink(res), { clock, isRunning, signal: aborted.signal });
  res.end();
}

export async function servePods(host: KubeletHost, res: ServerResponse): Promise<void> {
  writeJson(res, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: await host.listPods() });
}

export async function serveSummary(host: KubeletHost, res: ServerResponse): Promise<void> {
  writeJson(res, await host.summaryStats());
}

export async function serveResourceMetrics(host: KubeletHost, res: ServerResponse): Promise<void> {
  const body = renderResourceMetrics(await host.summaryStats());
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
