// imagePullSecrets → the AuthConfig of an image pull, as the kubelet's credential keyring does it:
// each secret of type kubernetes.io/dockerconfigjson (`.dockerconfigjson`, {"auths": {…}}) or
// kubernetes.io/dockercfg (`.dockercfg`, the entries themselves) names registries; an entry
// matches an image when its host is the image's registry host and its path (if any) is a prefix of
// the image's repository. The most specific match wins. Secrets that are absent or malformed are
// skipped, as Kubernetes does. No serverAddress is sent: the match is made here, and containerd 1.6
// pulled anonymously when given serverAddress "host:port" (test/kubelet-containerd.test.ts).

import type { Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { AuthConfig } from '../runtime/runtime.js';
import type { ConfigLookup } from './lookup/lookup.js';

interface DockerConfigEntry {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
  registrytoken?: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The registry host and repository path of an image reference ("busybox" → docker.io, library/busybox). */
export function imageLocation(image: string): { host: string; path: string } {
  const name = (image.split('@')[0] ?? '').replace(/:[^/:]*$/, '');
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { host: first, path: name.slice(slash + 1) };
  }
  return { host: DOCKER_HUB, path: slash >= 0 ? name : `library/${name}` };
}

/** A docker config key ("https://host:5000/v1/", "host/path") as host and path. */
function keyLocation(key: string): { host: string; path: string } {
  const bare = key.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  const slash = bare.indexOf('/');
  const host = slash >= 0 ? bare.slice(0, slash) : bare;
  const path = slash >= 0 ? bare.slice(slash + 1) : '';
  // the legacy Docker Hub key "https://index.docker.io/v1/" names the whole registry
  return { host, path: DOCKER_HUB_ALIASES.has(host) && path === 'v1' ? '' : path };
}

function sameHost(a: string, b: string): boolean {
  return a === b || (DOCKER_HUB_ALIASES.has(a) && DOCKER_HUB_ALIASES.has(b));
}

/** The docker config entries of a pull secret, or none when it is not one. */
export function dockerConfigEntries(secret: Secret): Record<string, DockerConfigEntry> {
  const data = secret.data ?? {};
  const decode = (value: string | undefined): unknown => {
    if (value === undefined) return undefined;
    try {
      return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  };
  const json = decode(data['.dockerconfigjson']) as { auths?: Record<string, DockerConfigEntry> } | undefined;
  if (json?.auths && typeof json.auths === 'object') return json.auths;
  const cfg = decode(data['.dockercfg']) as Record<string, DockerConfigEntry> | undefined;
  return cfg && typeof cfg === 'object' ? cfg : {};
}

function toAuthConfig(entry: DockerConfigEntry): AuthConfig {
  let { username, password } = entry;
  if ((username === undefined || password === undefined) && entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  return {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(entry.auth ? { auth: entry.auth } : {}),
    ...(entry.identitytoken ? { identityToken: entry.identitytoken } : {}),
    ...(entry.registrytoken ? { registryToken: entry.registrytoken } : {}),
  };
}

/** The credentials for pulling `image` from the given secrets' entries, most specific first. */
export function matchPullCredentials(secrets: readonly Secret[], image: string): AuthConfig[] {
  const target = imageLocation(image);
  const found: { specificity: number; auth: AuthConfig }[] = [];
  for (const secret of secrets) {
    for (const [key, entry] of Object.entries(dockerConfigEntries(secret))) {
      const at = keyLocation(key);
      if (!sameHost(at.host, target.host)) continue;
      if (at.path && target.path !== at.path && !target.path.startsWith(`${at.path}/`)) continue;
      found.push({ specificity: at.path.length, auth: toAuthConfig(entry) });
    }
  }
  // a stable sort: among equally specific entries, the secrets' order
  return found.sort((a, b) => b.specificity - a.specificity).map((f) => f.auth);
}

/** Reads the pod's imagePullSecrets (absent ones skipped) and returns the credentials for `image`. */
export async function podPullCredentials(lookup: ConfigLookup, pod: Pod, image: string): Promise<AuthConfig[]> {
  const names = (pod.spec?.imagePullSecrets ?? []).map((r) => r.name).filter((n): n is string => !!n);
  if (names.length === 0) return [];
  const namespace = pod.metadata?.namespace ?? 'default';
  const secrets = (await Promise.all(names.map((name) => lookup.getSecret(namespace, name)))).filter((s): s is Secret => s !== undefined);
  return matchPullCredentials(secrets, image);
}
