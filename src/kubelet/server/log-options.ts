// The query of /containerLogs (and pods/log): follow, previous, tailLines, sinceSeconds or sinceTime,
// timestamps, limitBytes — parsed and validated as the kubelet's PodLogOptions conversion does.

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  /** Only the last N lines (counted in the file). */
  tailLines?: number;
  /** Only entries stamped at or after this time (ms since the epoch). */
  since?: number;
  timestamps: boolean;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}

export class LogOptionsError extends Error {
  override readonly name = 'LogOptionsError';
}

const flag = (query: URLSearchParams, name: string): boolean => {
  const v = query.get(name);
  if (v === null) return false;
  if (v === '' || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new LogOptionsError(`invalid value for ${name}: "${v}"`);
};

const integer = (query: URLSearchParams, name: string, min: number): number | undefined => {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new LogOptionsError(`invalid value for ${name}: "${v}"`);
  const n = Number(v);
  if (n < min) throw new LogOptionsError(`${name}: Invalid value: ${n}: must be ${min === 0 ? 'greater than or equal to 0' : 'greater than 0'}`);
  return n;
};

export function parseLogOptions(query: URLSearchParams, now: number): LogOptions {
  const options: LogOptions = { follow: flag(query, 'follow'), previous: flag(query, 'previous'), timestamps: flag(query, 'timestamps') };
  const tail = integer(query, 'tailLines', 0);
  if (tail !== undefined) options.tailLines = tail;
  const limit = integer(query, 'limitBytes', 1);
  if (limit !== undefined) options.limitBytes = limit;
  const sinceSeconds = integer(query, 'sinceSeconds', 1);
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new LogOptionsError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (sinceSeconds !== undefined) options.since = now - sinceSeconds * 1000;
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw new LogOptionsError(`invalid value for sinceTime: "${sinceTime}"`);
    options.since = t;
  }
  return options;
}
