// A scripted ListerWatcher for informer unit tests: lists answer from a list of pages (or throw),
// watches are FakeWatches the test pushes events into, ends, or breaks.

import type { KubeObject } from '../../api/object.js';
import type { ListOptions, WatchOptions } from '../rest/options.js';
import type { ObjectList } from '../rest/resource-client.js';
import type { WatchEvent, WatchInterface } from '../rest/watch.js';
import type { ListerWatcher } from './reflector.js';

export class FakeWatch<T extends KubeObject> implements WatchInterface<T> {
  private queue: (WatchEvent<T> | { end: true } | { error: Error })[] = [];
  private wake: (() => void) | undefined;
  stopped = false;

  constructor(readonly options: WatchOptions) {}

  push(event: WatchEvent<T>): void {
    this.queue.push(event);
    this.wake?.();
  }

  end(): void {
    this.queue.push({ end: true });
    this.wake?.();
  }

  fail(error: Error): void {
    this.queue.push({ error });
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    for (;;) {
      if (this.stopped) return;
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((r) => (this.wake = r));
        continue;
      }
      if ('end' in next) return;
      if ('error' in next) throw next.error;
      yield next;
    }
  }
}

type ListAnswer<T extends KubeObject> = ObjectList<T> | Error;
type WatchAnswer = Error | 'ok';

export class FakeListerWatcher<T extends KubeObject> implements ListerWatcher<T> {
  readonly listCalls: ListOptions[] = [];
  readonly watches: FakeWatch<T>[] = [];
  readonly watchCalls: WatchOptions[] = [];
  private lists: ListAnswer<T>[] = [];
  private watchAnswers: WatchAnswer[] = [];

  answerList(...answers: ListAnswer<T>[]): this {
    this.lists.push(...answers);
    return this;
  }

  /** Makes the next watch calls fail with these errors ('ok' opens one). */
  answerWatch(...answers: WatchAnswer[]): this {
    this.watchAnswers.push(...answers);
    return this;
  }

  async list(options: ListOptions): Promise<ObjectList<T>> {
    this.listCalls.push(options);
    const a = this.lists.shift();
    if (!a) throw new Error('no scripted list');
    if (a instanceof Error) throw a;
    return structuredClone(a);
  }

  async watch(options: WatchOptions): Promise<WatchInterface<T>> {
    this.watchCalls.push(options);
    const a = this.watchAnswers.shift() ?? 'ok';
    if (a instanceof Error) throw a;
    const w = new FakeWatch<T>(options);
    this.watches.push(w);
    return w;
  }

  /** The watch opened last. */
  get current(): FakeWatch<T> {
    const w = this.watches.at(-1);
    if (!w) throw new Error('no watch opened');
    return w;
  }
}

export function list<T extends KubeObject>(rv: string, items: T[], cont?: string): ObjectList<T> {
  return { metadata: { resourceVersion: rv, ...(cont ? { continue: cont } : {}) }, items };
}
