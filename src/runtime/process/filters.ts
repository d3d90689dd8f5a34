// The CRI list filters (id, state, sandbox, label selector) and the record → CRI shapes they list.

import type { Container, ContainerFilter, PodSandbox, PodSandboxFilter } from '../runtime.js';
import type { ContainerRecord, SandboxRecord } from './records.js';

function labelsMatch(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  return !selector || Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function sandboxMatches(r: SandboxRecord, f: PodSandboxFilter | undefined): boolean {
  return (!f?.id || r.id === f.id) && (!f?.state || r.state === f.state) && labelsMatch(r.config.labels, f?.labelSelector);
}

export function containerMatches(r: ContainerRecord, f: ContainerFilter | undefined): boolean {
  return (
    (!f?.id || r.id === f.id) &&
    (!f?.state || r.state === f.state) &&
    (!f?.podSandboxId || r.sandboxId === f.podSandboxId) &&
    labelsMatch(r.config.labels, f?.labelSelector)
  );
}

export function toPodSandbox(r: SandboxRecord): PodSandbox {
  const { id, state, createdAt } = r;
  return { id, metadata: r.config.metadata, state, createdAt, labels: r.config.labels, annotations: r.config.annotations };
}

export function toContainer(r: ContainerRecord): Container {
  return {
    id: r.id,
    podSandboxId: r.sandboxId,
    metadata: r.config.metadata,
    image: r.config.image,
    imageRef: r.imageRef,
    state: r.state,
    createdAt: r.createdAt,
    labels: r.config.labels,
    annotations: r.config.annotations,
  };
}
