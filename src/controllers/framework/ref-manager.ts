// ControllerRefManager (pkg/controller/controller_ref_manager.go): decides which of the objects a
// controller's selector covers it owns. An object controlled by another owner is left alone; one
// it controls that no longer matches is released (unless the owner is being deleted); a matching
// orphan is adopted — after a fresh, uncached read of the owner confirms it still exists with
// the same UID and is not being deleted (asked once per claim). Adoption and release are
// strategic-merge patches of metadata.ownerReferences carrying the object's UID.

import type { KubeObject, OwnerReference } from '../../api/object.js';
import { isInvalid, isNotFound } from '../../api/status-predicates.js';
import type { Selector } from '../../api/labels/index.js';
import { controllerOf } from '../../api/meta.js';
import type { ResourceClient } from '../../client/rest/index.js';

export interface ClaimContext<T extends KubeObject> {
  owner: KubeObject;
  /** The owner reference to add on adoption (controller: true, blockOwnerDeletion: true). */
  ownerRef: OwnerReference;
  selector: Selector;
  /** The owned resource's client, scoped to the owner's namespace. */
  client: ResourceClient<T>;
  /** Throws when the owner must not adopt (gone, replaced or being deleted); called at most once. */
  recheckOwner: () => Promise<void>;
  /** The kind named in errors ("Pod", "ReplicaSet"). */
  kind: string;
}

/** Claims the objects; returns those the owner controls after adoption and release. Throws an
 *  aggregate of the adoption and release errors after trying every object. */
export async function claimObjects<T extends KubeObject>(ctx: ClaimContext<T>, objects: readonly T[]): Promise<T[]> {
  const claimed: T[] = [];
  const errors: string[] = [];
  let canAdopt: Promise<void> | undefined;
  const ownerUid = ctx.owner.metadata?.uid;
  const ownerDeleting = !!ctx.owner.metadata?.deletionTimestamp;
  for (const obj of objects) {
    const ref = controllerOf(obj);
    const matches = ctx.selector.matches(obj.metadata?.labels);
    const name = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      try {
        await ctx.client.patch(obj.metadata?.name ?? '', 'strategic', {
          metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: obj.metadata?.uid },
        });
      } catch (err) {
        if (!isNotFound(err) && !isInvalid(err)) errors.push(`release ${ctx.kind} ${name}: ${String(err)}`);
      }
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp) continue;
    if (ctx.owner.metadata?.namespace && ctx.owner.metadata.namespace !== obj.metadata?.namespace) continue;
    try {
      canAdopt ??= ctx.recheckOwner();
      try {
        await canAdopt;
      } catch (err) {
        throw new Error(`can't adopt ${ctx.kind} ${name} (${obj.metadata?.uid}): ${err instanceof Error ? err.message : String(err)}`);
      }
      const adopted = await ctx.client.patch(obj.metadata?.name ?? '', 'strategic', {
        metadata: { ownerReferences: [ctx.ownerRef], uid: obj.metadata?.uid },
      });
      claimed.push(adopted);
    } catch (err) {
      if (!isNotFound(err)) errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  return claimed;
}

/** RecheckDeletionTimestamp: a fresh GET of the owner, refusing adoption if it is gone, replaced or being deleted. */
export function recheckDeletionTimestamp(get: () => Promise<KubeObject>, owner: KubeObject): () => Promise<void> {
  return async () => {
    const fresh = await get();
    const ns = owner.metadata?.namespace;
    const name = owner.metadata?.name;
    if (fresh.metadata?.uid !== owner.metadata?.uid) {
      throw new Error(`original ${ns}/${name} is gone: got uid ${fresh.metadata?.uid}, wanted ${owner.metadata?.uid}`);
    }
    if (fresh.metadata?.deletionTimestamp) throw new Error(`${ns}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };
}
