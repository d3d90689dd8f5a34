// DefaultTolerationSeconds admission, as kube-apiserver's: a new pod that does not tolerate the
// node.kubernetes.io/not-ready or node.kubernetes.io/unreachable NoExecute taints gets a toleration
// for each, for 300 s by default (kube-apiserver's --default-not-ready-toleration-seconds and
// --default-unreachable-toleration-seconds) — so the taint manager evicts it five minutes after its node fails.

import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export class DefaultTolerationSeconds implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';

  constructor(
    private readonly notReadySeconds = 300,
    private readonly unreachableSeconds = 300,
  ) {}

  admit(attrs: AdmissionAttributes): void {
    if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.resource.group !== '' || attrs.resource.resource !== 'pods') return;
    const pod = attrs.object as Pod | undefined;
    if (!pod) return;
    const tolerations: Toleration[] = [...(pod.spec?.tolerations ?? [])];
    const tolerates = (key: string) =>
      tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
    const add: Toleration[] = [];
    if (!tolerates(TAINT_NODE_NOT_READY)) {
      add.push({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.notReadySeconds });
    }
    if (!tolerates(TAINT_NODE_UNREACHABLE)) {
      add.push({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.unreachableSeconds });
    }
    if (add.length === 0) return;
    (pod as { spec: NonNullable<Pod['spec']> }).spec = { ...(pod.spec ?? { containers: [] }), tolerations: [...tolerations, ...add] };
  }
}
