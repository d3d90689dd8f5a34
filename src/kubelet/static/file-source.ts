// The kubelet's file config source (Kubernetes' pkg/kubelet/config/file.go): the pod manifests in
// the static pod path — a directory (regular files not starting with ".") or a single file — read
// at start, again on every change the directory watch reports, and every file check period
// (20 s) in case a change was missed. Each read is diffed by pod UID against the last one: new
// pods are added, vanished ones (file removed, or its content changed: a new UID) are deleted.
// A file that does not parse is logged and skipped. As in Kubernetes (file_linux.go keeps its
// store on a failed watch event, the periodic listing replaces it), a file that parsed before and
// breaks keeps its last pod on a read its watch triggered (an editor mid-save), and loses it on the
// next periodic read. The first time a pod is seen is kubernetes.io/config.seen.

import { readFileSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { parseManifest } from './manifest.js';
import { CONFIG_SEEN_ANNOTATION } from './pod-source-annotations.js';

export interface StaticPodHandlers {
  podUpdated(pod: Pod): void;
  podDeleted(pod: Pod): void;
}

export interface FileSourceOptions {
  /** The static pod path (the kubelet's staticPodPath). */
  path: string;
  nodeName: string;
  handlers: StaticPodHandlers;
  clock: Clock;
  logger: Logger;
  /** How often the path is read again regardless of watch events (fileCheckFrequency, 20 s). */
  checkMs: number;
  /** Watch the directory for changes (default true). */
  watch?: boolean;
}

/** A change burst (an editor writing a file) is read once, this long after its first event. */
const WATCH_SETTLE_MS = 100;

export class FileSource {
  /** The pods of the last read, by UID. */
  private pods = new Map<string, Pod>();
  /** The last good pod of each file, kept while the file fails to parse. */
  private readonly byFile = new Map<string, Pod>();
  /** Files whose last read failed, so each failure is logged once. */
  private readonly broken = new Map<string, string>();
  private timer: Timer | undefined;
  private pending: Timer | undefined;
  private watcher: FSWatcher | undefined;
  private stopped = false;

  constructor(private readonly o: FileSourceOptions) {}

  /** Reads the path once (delivering its pods) and starts watching it. */
  start(): void {
    // (each read starts the watch when there is none)
    this.rescan();
    this.timer = this.o.clock.setInterval(() => this.rescan(), this.o.checkMs);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.pending?.cancel();
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** The pods of the last read. */
  list(): Pod[] {
    return [...this.pods.values()];
  }

  /** Reads the path and delivers what changed; `fromWatch`: a watch event asked for this read. */
  rescan(fromWatch = false): void {
    if (this.stopped) return;
    if (!this.watcher && this.o.watch !== false) this.startWatch();
    const next = new Map<string, Pod>();
    for (const file of this.files()) {
      const pod = this.read(file, fromWatch);
      if (!pod) continue;
      const uid = pod.metadata?.uid ?? '';
      if (next.has(uid)) {
        this.o.logger.warn('static pod manifest duplicates another one, skipped', { file });
        continue;
      }
      const seen = this.pods.get(uid)?.metadata?.annotations?.[CONFIG_SEEN_ANNOTATION] ?? new Date(this.o.clock.now()).toISOString();
      pod.metadata!.annotations = { ...pod.metadata!.annotations, [CONFIG_SEEN_ANNOTATION]: seen };
      next.set(uid, pod);
    }
    const prev = this.pods;
    this.pods = next;
    for (const [uid, pod] of prev) if (!next.has(uid)) this.o.handlers.podDeleted(pod);
    for (const [uid, pod] of next) if (!prev.has(uid)) this.o.handlers.podUpdated(pod);
  }

  private files(): string[] {
    let isDir: boolean;
    try {
      isDir = statSync(this.o.path).isDirectory();
    } catch {
      // a missing path is no pods; it is looked at again every period
      return [];
    }
    if (!isDir) return [this.o.path];
    let names: string[];
    try {
      names = readdirSync(this.o.path).sort();
    } catch (err) {
      this.o.logger.warn('cannot read the static pod path', { path: this.o.path, error: err as Error });
      return [...this.byFile.keys()];
    }
    const files: string[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const file = join(this.o.path, name);
      try {
        if (statSync(file).isFile()) files.push(file);
      } catch {
        // removed meanwhile
      }
    }
    for (const file of this.byFile.keys()) if (!files.includes(file)) this.byFile.delete(file);
    return files;
  }

  private read(file: string, keepLastGood: boolean): Pod | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      this.byFile.delete(file);
      return undefined;
    }
    const result = parseManifest(text, { path: file, nodeName: this.o.nodeName });
    if ('error' in result) {
      if (this.broken.get(file) !== result.error) this.o.logger.error('cannot use static pod manifest', { file, error: result.error });
      this.broken.set(file, result.error);
      const last = keepLastGood ? this.byFile.get(file) : undefined;
      if (!last) this.byFile.delete(file);
      return last ? structuredClone(last) : undefined;
    }
    this.broken.delete(file);
    this.byFile.set(file, result.pod);
    return structuredClone(result.pod);
  }

  private startWatch(): void {
    if (this.watcher) return;
    try {
      if (!statSync(this.o.path).isDirectory()) return;
      this.watcher = watch(this.o.path, () => this.changed());
      this.watcher.on('error', () => {
        // the directory went away: the periodic read notices, and watches again once it is back
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined;
    }
  }

  private changed(): void {
    if (this.pending || this.stopped) return;
    this.pending = this.o.clock.setTimeout(() => {
      this.pending = undefined;
      this.rescan(true);
    }, WATCH_SETTLE_MS);
  }
}
