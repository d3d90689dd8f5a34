// The CRI list filters (id, state, sandbox, label selector), and the records as the CRI shapes that
// lists and status calls answer.

import type { Container, ContainerFilter, ContainerStatus, PodSandbox, PodSandboxFilter, PodSandboxStatus } from '../runtime.js';
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

export function toPodSandboxStatus(s: SandboxRecord): PodSandboxStatus {
  const { id, state, createdAt, ips } = s;
  // The pod network is the host's.
  return { id, metadata: s.config.metadata, state, createdAt, ips, hostNetwork: true, labels: s.config.labels, annotations: s.config.annotations };
}

export function toContainerStatus(c: ContainerRecord): ContainerStatus {
  const { id, state, createdAt, startedAt, finishedAt, exitCode, imageRef, reason, message, logPath } = c;
  const { metadata, image, labels, annotations, mounts } = c.config;
  return { id, metadata, state, createdAt, startedAt, finishedAt, exitCode, image, imageRef, reason, message, labels, annotations, mounts, logPath };
}
