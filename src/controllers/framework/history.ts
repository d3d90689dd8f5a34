// ControllerRevisions (pkg/controller/history), the revision history StatefulSets and DaemonSets
// share: a revision per distinct pod template, named `<owner>-<hash>`, whose data is the patch
// that restores the template (`{"spec":{"template":{…,"$patch":"replace"}}}`, what `kubectl
// rollout undo` applies), numbered 1, 2, …; pods carry the hash as the `controller-revision-hash`
// label. Creating a revision whose name is taken by different data bumps the collision count;
// re-using an older equal revision renumbers it as the newest; history beyond
// revisionHistoryLimit is deleted oldest first, never a revision a live pod still runs.

import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject, OwnerReference } from '../../api/object.js';
import { isAlreadyExists, isNotFound } from '../../api/status-predicates.js';
import type { ResourceClient } from '../../client/rest/index.js';
import { canonicalJson, computeHash } from './hash.js';

export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** The data a revision of a template carries. */
export interface TemplatePatch {
  spec: { template: PodTemplateSpec & { $patch: 'replace' } };
}

/** ControllerRevisionName: the owner's name (at most 223 characters) and the hash. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

export function templatePatch(template: PodTemplateSpec | undefined): TemplatePatch {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The template a revision restores (the inverse of templatePatch). */
export function templateOf(revision: ControllerRevision): PodTemplateSpec {
  const data = revision.data as Partial<TemplatePatch> | undefined;
  const { $patch: _, ...template } = data?.spec?.template ?? { $patch: 'replace' as const };
  return structuredClone(template);
}

/** NewControllerRevision: labelled as the template, controlled by the owner, named by the hash of its data. */
export function newRevision(owner: KubeObject, ownerRef: OwnerReference, template: PodTemplateSpec | undefined, revision: number, collisionCount: number): ControllerRevision {
  const data = templatePatch(template);
  const hash = computeHash(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(owner.metadata?.name ?? '', hash),
      namespace: owner.metadata?.namespace,
      labels: { ...template?.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [ownerRef],
    },
    data,
    revision,
  };
}

/** EqualRevision: the same data. */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** SortControllerRevisions: by revision, then creation time, then name. */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort(
    (a, b) =>
      a.revision - b.revision ||
      (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') ||
      (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  );
}

/** NextRevision: one more than the highest. */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

/** The revisions beyond the limit to delete, oldest first, sparing the live ones (by name). */
export function revisionsToTruncate(sorted: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): ControllerRevision[] {
  const history = sorted.filter((r) => !live.has(r.metadata?.name ?? ''));
  return history.slice(0, Math.max(0, history.length - Math.max(0, limit)));
}

export interface UpdateRevisionResult {
  /** The revision the owner's template is at now. */
  revision: ControllerRevision;
  /** The collision count to record in the owner's status. */
  collisionCount: number;
  /** Every owned revision after the call, sorted. */
  revisions: ControllerRevision[];
}

/**
 * The owner's update revision (getStatefulSetRevisions / constructHistory): an existing revision
 * with the template's data (renumbered as the newest if it is not), else a new one, created with
 * collision handling.
 */
export async function ensureUpdateRevision(
  client: ResourceClient<ControllerRevision>,
  owner: KubeObject,
  ownerRef: OwnerReference,
  template: PodTemplateSpec | undefined,
  owned: readonly ControllerRevision[],
  collisionCount: number,
): Promise<UpdateRevisionResult> {
  const revisions = sortRevisions(owned);
  const next = nextRevision(revisions);
  const candidate = newRevision(owner, ownerRef, template, next, collisionCount);
  const equal = revisions.filter((r) => equalRevision(r, candidate));
  const latest = equal[equal.length - 1];
  if (latest) {
    if (latest === revisions[revisions.length - 1]) return { revision: latest, collisionCount, revisions };
    const renumbered = await client.update({ ...latest, revision: next });
    return { revision: renumbered, collisionCount, revisions: sortRevisions(revisions.map((r) => (r === latest ? renumbered : r))) };
  }
  const created = await createRevision(client, owner, ownerRef, template, next, collisionCount);
  return { ...created, revisions: sortRevisions([...revisions, created.revision]) };
}

/** CreateControllerRevision: a name taken by different data bumps the collision count and tries again. */
async function createRevision(
  client: ResourceClient<ControllerRevision>,
  owner: KubeObject,
  ownerRef: OwnerReference,
  template: PodTemplateSpec | undefined,
  revision: number,
  collisionCount: number,
): Promise<{ revision: ControllerRevision; collisionCount: number }> {
  for (let count = collisionCount; ; count++) {
    const candidate = newRevision(owner, ownerRef, template, revision, count);
    try {
      return { revision: await client.create(candidate), collisionCount: count };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await client.get(candidate.metadata?.name ?? '');
      const ours = existing.metadata?.ownerReferences?.some((r) => r.uid === ownerRef.uid);
      if (ours && equalRevision(existing, candidate)) return { revision: existing, collisionCount: count };
    }
  }
}

/** Deletes the revisions beyond revisionHistoryLimit (a revision already gone is fine). */
export async function truncateHistory(client: ResourceClient<ControllerRevision>, sorted: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): Promise<void> {
  for (const r of revisionsToTruncate(sorted, live, limit)) {
    try {
      await client.delete(r.metadata?.name ?? '');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
