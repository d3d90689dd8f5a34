// The taint eviction controller (pkg/controller/tainteviction): node and pod events become keys
// ("node/NAME", "pod/NS/NAME"); reconcile hands the pods concerned, with their node's NoExecute
// taints, to the NoExecuteTaintManager, which deletes them now or after their tolerationSeconds.
// An evicted pod first gets the DisruptionTarget condition (reason DeletionByTaintManager).

import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { formatTime } from '../../api/meta.js';
import { messageOf } from '../../api/status.js';
import { isNotFound } from '../../api/status-predicates.js';
import { objectOf, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { podsByNode, POD_NODE_INDEX } from './pod-index.js';
import { NoExecuteTaintManager } from './taint-manager.js';

const noExecute = (node: Node | undefined): Taint[] => (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
const taintsKey = (taints: readonly Taint[]) => JSON.stringify(taints.map((t) => [t.key, t.value ?? '', t.effect]).sort());

export class TaintEvictionController extends QueueController {
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly manager: NoExecuteTaintManager;
  /** The NoExecute taints each node had when last reconciled. */
  private readonly nodeTaints = new Map<string, string>();

  constructor(ctx: ControllerContext) {
    super('taint-eviction-controller', ctx, { workers: ctx.settings.concurrentSyncs });
    this.nodes = ctx.informers.forResource<Node>(resources.NODES);
    this.pods = podsByNode(ctx.informers);
    const recorder = ctx.recorder('taint-eviction-controller');
    this.manager = new NoExecuteTaintManager({
      clock: ctx.clock,
      evict: (key) => this.evict(key),
      event: (key, message) => {
        const { namespace, name } = splitKey(key);
        const pod = this.pods.lister().namespace(namespace).get(name);
        recorder.event({ apiVersion: 'v1', kind: 'Pod', namespace, name, ...(pod?.metadata?.uid ? { uid: pod.metadata.uid } : {}) }, 'Normal', 'TaintManagerEviction', message);
      },
      onError: (key, err) => this.log.warn('eviction failed', { pod: key, error: messageOf(err) }),
    });
    this.nodes.addEventHandler({
      onAdd: (n) => this.queue.add(`node/${n.metadata?.name ?? ''}`),
      onUpdate: (_, n) => this.queue.add(`node/${n.metadata?.name ?? ''}`),
      onDelete: (n) => this.queue.add(`node/${objectOf(n).metadata?.name ?? ''}`),
    });
    const onPod = (p: Pod) => this.queue.add(`pod/${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`);
    this.pods.addEventHandler({ onAdd: onPod, onUpdate: (_, p) => onPod(p), onDelete: (p) => onPod(objectOf(p)) });
  }

  override async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.manager.stop(), { once: true });
    await super.run(signal);
  }

  protected async reconcile(key: string): Promise<void> {
    if (key.startsWith('node/')) return this.reconcileNode(key.slice(5));
    const podKey = key.slice(4);
    const { namespace, name } = splitKey(podKey);
    const pod = this.pods.lister().namespace(namespace).get(name);
    if (!pod?.spec?.nodeName || pod.metadata?.deletionTimestamp) {
      this.manager.forget(podKey);
      return;
    }
    const node = this.nodes.lister().get(pod.spec.nodeName);
    this.manager.processPod(podKey, pod.spec.tolerations ?? [], noExecute(node));
  }

  private reconcileNode(name: string): void {
    const taints = noExecute(this.nodes.lister().get(name));
    const key = taintsKey(taints);
    if (this.nodeTaints.get(name) === key) return;
    if (taints.length === 0) this.nodeTaints.delete(name);
    else this.nodeTaints.set(name, key);
    for (const pod of this.pods.getIndexer().byIndex(POD_NODE_INDEX, name)) {
      const podKey = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
      if (pod.metadata?.deletionTimestamp) continue;
      this.manager.processPod(podKey, pod.spec?.tolerations ?? [], taints);
    }
  }

  private async evict(podKey: string): Promise<void> {
    const { namespace, name } = splitKey(podKey);
    const pods = this.ctx.client.resource<Pod>(resources.PODS).namespace(namespace);
    const pod = this.pods.lister().namespace(namespace).get(name);
    try {
      if (pod && !(pod.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.status === 'True')) {
        const condition = {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'DeletionByTaintManager',
          message: 'Taint manager: deleting due to NoExecute taint',
          lastTransitionTime: formatTime(this.ctx.clock.now()),
        };
        await pods.patch(name, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
      }
      await pods.delete(name, pod?.metadata?.uid ? { preconditions: { uid: pod.metadata.uid } } : {});
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}
