// The token cleaner (pkg/controller/bootstrap/tokencleaner): deletes bootstrap token Secrets
// (kube-system, type bootstrap.kubernetes.io/token) once their expiration has passed, and looks
// at a token again when it is due to expire. Kubernetes runs it when kubeadm turns it on; Kite's
// controller manager runs it by default, since `kite token create` makes expiring tokens.

import type { Secret } from 'kubernetes-types/core/v1.js';
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE } from '../../api/bootstrap-token.js';
import { isNotFound } from '../../api/status-predicates.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';

/** When the token Secret expires (ms since the epoch), or undefined when it does not (or is not a token). */
export function tokenExpiry(secret: Secret): number | undefined {
  if (secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE || secret.metadata?.namespace !== BOOTSTRAP_TOKEN_NAMESPACE) return undefined;
  const raw = secret.data?.expiration;
  if (raw === undefined) return undefined;
  const at = Date.parse(Buffer.from(raw, 'base64').toString('utf8'));
  // an unparseable expiration makes the token unusable (the authenticator refuses it): clean it up
  return Number.isNaN(at) ? 0 : at;
}

export class TokenCleaner extends QueueController {
  private readonly secrets: SharedIndexInformer<Secret>;

  constructor(ctx: ControllerContext) {
    super('tokencleaner', ctx, { workers: 1 });
    this.secrets = ctx.informers.forResource<Secret>(resources.SECRETS);
    const onSecret = (secret: Secret) => {
      if (tokenExpiry(secret) !== undefined) this.enqueue(secret);
    };
    this.secrets.addEventHandler({ onAdd: onSecret, onUpdate: (_, s) => onSecret(s) });
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const secret = this.secrets.lister().namespace(namespace).get(name);
    if (!secret || secret.metadata?.deletionTimestamp) return;
    const expiry = tokenExpiry(secret);
    if (expiry === undefined) return;
    const left = expiry - this.ctx.clock.now();
    if (left > 0) {
      this.enqueueAfter(key, left);
      return;
    }
    this.log.info('deleting expired bootstrap token', { secret: key });
    try {
      await this.ctx.client.resource<Secret>(resources.SECRETS).namespace(namespace).delete(name, { preconditions: { uid: secret.metadata?.uid ?? '' } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
