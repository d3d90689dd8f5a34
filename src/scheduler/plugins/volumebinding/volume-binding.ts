// VolumeBinding (pkg/scheduler/framework/plugins/volumebinding): a pod's PersistentVolumeClaims
// decide where it may run. PreFilter rejects pods whose claims are missing or unbound Immediate
// ones ("pod has unbound immediate PersistentVolumeClaims"); Filter requires bound volumes' node
// affinity to admit the node ("node(s) had volume node affinity conflict") and every
// WaitForFirstConsumer claim to be served there by an available volume or its class's provisioner
// ("node(s) didn't find available persistent volumes to bind"); Reserve assumes the chosen
// bindings, Unreserve forgets them; PreBind writes them — the volume's claimRef for a static
// binding, volume.kubernetes.io/selected-node on a claim to provision — and waits, at most
// bindTimeoutSeconds (default 600, as kube-scheduler), until the PV controller has bound them all.

import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE, volumeBoundTo } from '../../../api/volume/binding.js';
import { resources } from '../../../client/rest/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin, Handle, PreBindPlugin, PreFilterPlugin, ReservePlugin, VolumeListers } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Code, Status } from '../../framework/status.js';
import { AssumeCache } from './assume-cache.js';
import { ERR_UNBOUND_IMMEDIATE, findPodVolumes, podClaims, type NodeBindings, type PodClaims } from './pod-volumes.js';

export const NAME = 'VolumeBinding';
const STATE_KEY = `PreFilter${NAME}`;
const POLL_MS = 100;

interface BindingState {
  claims: PodClaims;
  byNode: Map<string, NodeBindings>;
  reserved?: NodeBindings;
}

const usesClaims = (pod: Pod) => (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName);
const isFullyBound = (c: PersistentVolumeClaim | undefined) => !!c?.spec?.volumeName && c.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined;

export class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin {
  readonly name = NAME;
  private readonly assumed = new AssumeCache();

  constructor(
    private readonly handle: Handle,
    private readonly bindTimeoutMs: number,
  ) {}

  private listers(): VolumeListers | undefined {
    return this.handle.volumeListers && this.assumed.over(this.handle.volumeListers);
  }

  preFilter(state: CycleState, pod: Pod): Status | undefined {
    if (!usesClaims(pod)) return Status.skip();
    const listers = this.listers();
    if (!listers) return Status.error('VolumeBinding needs the scheduler\'s PersistentVolume listers');
    const claims = podClaims(pod, listers);
    if ('unresolvable' in claims) return Status.unresolvable(claims.unresolvable);
    if (claims.unboundImmediate.length) return Status.unresolvable(ERR_UNBOUND_IMMEDIATE);
    state.write(STATE_KEY, { claims, byNode: new Map() } satisfies BindingState);
    return undefined;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    const s = state.read<BindingState>(STATE_KEY);
    if (!s) return Status.missingState(STATE_KEY);
    const listers = this.listers();
    if (!nodeInfo.node || !listers) return Status.error('node not found');
    const { bindings, reasons } = findPodVolumes(s.claims, nodeInfo.node, listers.volumes(), listers);
    if (!bindings) return new Status(Code.UnschedulableAndUnresolvable, reasons);
    s.byNode.set(nodeInfo.name, bindings);
    return undefined;
  }

  reserve(state: CycleState, _pod: Pod, nodeName: string): Status | undefined {
    const s = state.read<BindingState>(STATE_KEY);
    const b = s?.byNode.get(nodeName);
    if (!s || !b) return undefined;
    for (const { pv, claim } of b.staticBindings) this.assumed.assumeVolume(volumeBoundTo(pv, claim) ?? pv);
    for (const claim of b.provisions) {
      this.assumed.assumeClaim({ ...claim, metadata: { ...claim.metadata, annotations: { ...(claim.metadata?.annotations ?? {}), [ANN_SELECTED_NODE]: nodeName } } });
    }
    s.reserved = b;
    return undefined;
  }

  unreserve(state: CycleState): void {
    const s = state.read<BindingState>(STATE_KEY);
    if (s?.reserved) this.forget(s.reserved);
  }

  private forget(b: NodeBindings): void {
    for (const { pv } of b.staticBindings) this.assumed.restoreVolume(pv.metadata?.name ?? '');
    for (const claim of b.provisions) this.assumed.restoreClaim(claim);
  }

  async preBind(state: CycleState, _pod: Pod, nodeName: string): Promise<Status | undefined> {
    const s = state.read<BindingState>(STATE_KEY);
    const b = s?.reserved;
    const listers = this.handle.volumeListers;
    if (!s || !b || !listers || s.claims.toBind.length === 0) return undefined;
    const client = this.handle.client;
    if (!client) return Status.error('VolumeBinding needs an API client');
    try {
      for (const { pv, claim } of b.staticBindings) {
        const current = listers.volumes().find((v) => v.metadata?.name === pv.metadata?.name) ?? pv;
        const bound = volumeBoundTo(current, claim);
        if (bound) await client.resource(resources.PERSISTENTVOLUMES).update(bound);
      }
      for (const claim of b.provisions) {
        if (claim.metadata?.annotations?.[ANN_SELECTED_NODE] === nodeName) continue;
        await client
          .resource(resources.PERSISTENTVOLUMECLAIMS)
          .namespace(claim.metadata?.namespace ?? '')
          .patch(claim.metadata?.name ?? '', 'merge', { metadata: { annotations: { [ANN_SELECTED_NODE]: nodeName } } });
      }
      return await this.waitBound(s.claims.toBind, b, listers);
    } catch (err) {
      return Status.error(`binding volumes: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.forget(b);
    }
  }

  /** Polls the claim informer until every claim is bound (or one can no longer be, or time runs out). */
  private async waitBound(claims: readonly PersistentVolumeClaim[], b: NodeBindings, listers: VolumeListers): Promise<Status | undefined> {
    const clock = this.handle.clock;
    const deadline = clock.now() + this.bindTimeoutMs;
    const provisioned = new Set(b.provisions.map((c) => c.metadata?.uid));
    for (;;) {
      let pending = 0;
      for (const c of claims) {
        const cur = listers.claim(c.metadata?.namespace ?? '', c.metadata?.name ?? '');
        if (!cur || cur.metadata?.uid !== c.metadata?.uid) return Status.error(`binding volumes: claim "${c.metadata?.name}" was deleted`);
        if (isFullyBound(cur)) continue;
        if (provisioned.has(cur.metadata?.uid) && cur.metadata?.annotations?.[ANN_SELECTED_NODE] === undefined) {
          return Status.error(`binding volumes: provisioning failed for PVC "${c.metadata?.name}"`);
        }
        pending++;
      }
      if (pending === 0) return undefined;
      if (clock.now() >= deadline) return Status.error('binding volumes: timed out waiting for the condition');
      if (this.handle.stopping?.aborted) return Status.error('binding volumes: the scheduler is stopping');
      await clock.sleep(POLL_MS);
    }
  }
}

export const newVolumeBinding = (args: Record<string, unknown> | undefined, handle: Handle) => {
  const seconds = typeof args?.['bindTimeoutSeconds'] === 'number' ? args['bindTimeoutSeconds'] : 600;
  return new VolumeBinding(handle, seconds * 1000);
};
