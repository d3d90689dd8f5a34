// terminationMessagePolicy FallbackToLogsOnError: a container that failed without a message gets
// the tail of its log as its terminated message, as the kubelet does — the last 80 lines, at most
// 2048 bytes, read from the CRI log file ("<time> <stream> <F|P> <text>" records). Read once per
// container and remembered.

import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus } from '../runtime/runtime.js';
import type { RuntimePod } from './runtime-pod.js';

const MAX_LINES = 80;
const MAX_BYTES = 2048;
/** Enough of the file's end to hold 80 short records with their prefixes. */
const READ_BYTES = 64 * 1024;

/** The text of CRI log records, partial records joined to their line. */
export function criLogText(records: string): string {
  let out = '';
  for (const line of records.split('\n')) {
    const m = /^\S+ (?:stdout|stderr) ([FP]) ?(.*)$/.exec(line);
    if (!m) continue;
    out += m[2] + (m[1] === 'F' ? '\n' : '');
  }
  return out;
}

/** The last `MAX_LINES` lines of text, then its last `MAX_BYTES` bytes. */
export function logTail(text: string): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const tail = Buffer.from(lines.slice(-MAX_LINES).join('\n') + (text.endsWith('\n') ? '\n' : ''));
  return tail.subarray(Math.max(0, tail.length - MAX_BYTES)).toString('utf8');
}

function readEnd(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, READ_BYTES);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    const text = buf.toString('utf8');
    // drop a record cut by the read window
    return size > length ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}

export class TerminationMessages {
  private readonly cache = new Map<string, string>();

  /** The pod's runtime state with fallback messages filled in for failed containers that want them. */
  apply(pod: Pod, state: RuntimePod): RuntimePod {
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
    const wants = new Set(specs.filter((c) => c.terminationMessagePolicy === 'FallbackToLogsOnError').map((c) => c.name));
    if (wants.size === 0) return state;
    return { ...state, containers: state.containers.map((c) => (wants.has(c.metadata.name) ? this.withMessage(c) : c)) };
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.cache.delete(id);
  }

  private withMessage(c: ContainerStatus): ContainerStatus {
    if (c.state !== 'exited' || c.exitCode === 0 || c.message || !c.logPath) return c;
    let message = this.cache.get(c.id);
    if (message === undefined) {
      try {
        message = logTail(criLogText(readEnd(c.logPath)));
      } catch {
        message = '';
      }
      this.cache.set(c.id, message);
    }
    return message ? { ...c, message } : c;
  }
}
