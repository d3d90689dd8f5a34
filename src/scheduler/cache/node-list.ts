// The cache's NodeInfos as kube-scheduler keeps them (cache.nodeInfoListItem): by name, and in a
// doubly linked list ordered by last update (most recent first), each stamped with the cache
// generation of its last change. A snapshot at generation g walks from the head until it meets an
// item not newer than g, so it visits only what changed since.

import { NodeInfo } from '../framework/node-info.js';

export interface NodeItem {
  readonly name: string;
  readonly info: NodeInfo;
  generation: number;
  prev: NodeItem | undefined;
  next: NodeItem | undefined;
}

export class NodeList {
  private readonly items = new Map<string, NodeItem>();
  private headItem: NodeItem | undefined;
  private generation = 0;

  get(name: string): NodeInfo | undefined {
    return this.items.get(name)?.info;
  }

  /** The item for `name` (created when missing), moved to the head with a new generation. */
  touch(name: string): NodeInfo {
    let item = this.items.get(name);
    if (!item) {
      item = { name, info: new NodeInfo(), generation: 0, prev: undefined, next: undefined };
      this.items.set(name, item);
    } else this.unlink(item);
    item.generation = ++this.generation;
    item.next = this.headItem;
    if (this.headItem) this.headItem.prev = item;
    this.headItem = item;
    return item.info;
  }

  delete(name: string): void {
    const item = this.items.get(name);
    if (!item) return;
    this.unlink(item);
    this.items.delete(name);
    // A deletion is a change too: later snapshots must notice it.
    ++this.generation;
  }

  /** The most recently updated item. */
  head(): NodeItem | undefined {
    return this.headItem;
  }

  /** The current generation (that of the latest change). */
  currentGeneration(): number {
    return this.generation;
  }

  /** Every NodeInfo, in insertion order. */
  entries(): IterableIterator<[string, NodeItem]> {
    return this.items.entries();
  }

  values(): NodeInfo[] {
    return [...this.items.values()].map((i) => i.info);
  }

  private unlink(item: NodeItem): void {
    if (item.prev) item.prev.next = item.next;
    else if (this.headItem === item) this.headItem = item.next;
    if (item.next) item.next.prev = item.prev;
    item.prev = undefined;
    item.next = undefined;
  }
}
