// The projected volume plugin: configMap, secret, downwardAPI and serviceAccountToken sources merged
// into one atomically written directory (on a tmpfs when possible) — the shape of the
// kube-api-access-* volume the service-account admission adds (token, kube-root-ca.crt's ca.crt,
// the namespace file). Tokens come from the TokenRequest API, bound to the pod; when the API server
// does not serve it, the token file is left out, a warning is reported, and the rest is written.

import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import { TokenRequestUnsupportedError } from '../../lookup/lookup.js';
import type { Payload } from '../atomic-writer.js';
import { SetUpError } from '../errors.js';
import { writeVolume } from './api-data.js';
import { DEFAULT_MODE, configMapPayload, downwardAPIPayload, secretPayload } from './payloads.js';
import type { PluginContext, VolumePlugin } from './plugin.js';

export const projectedPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~projected',
  handles: (v) => !!v.projected,
  async setUp(ctx: PluginContext, pod: Pod, volume: Volume, dir: string) {
    const source = volume.projected ?? {};
    const mode = source.defaultMode ?? DEFAULT_MODE;
    const namespace = pod.metadata?.namespace ?? '';
    const payload: Payload = new Map();
    const add = (p: Payload) => {
      for (const [k, v] of p) payload.set(k, v);
    };
    for (const s of source.sources ?? []) {
      if (s.configMap) add(await configMapPayload(ctx, namespace, s.configMap, mode));
      else if (s.secret) add(await secretPayload(ctx, namespace, s.secret, mode));
      else if (s.downwardAPI) add(await downwardAPIPayload(ctx, pod, s.downwardAPI.items, mode));
      else if (s.serviceAccountToken) {
        const sa = pod.spec?.serviceAccountName || 'default';
        const t = s.serviceAccountToken;
        try {
          const token = await ctx.tokens.get(namespace, sa, {
            audiences: t.audience ? [t.audience] : [],
            expirationSeconds: t.expirationSeconds ?? 3600,
            boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
          });
          payload.set(t.path, { data: Buffer.from(token.token, 'utf8'), mode });
        } catch (err) {
          if (err instanceof TokenRequestUnsupportedError) {
            ctx.warn(`projected volume ${volume.name}: no service account token at ${t.path} (${err.message})`);
            continue;
          }
          throw new SetUpError(`failed to fetch token: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    return writeVolume(ctx, pod, dir, payload, true);
  },
};
