// RestConfig from a kubeconfig file, as clientcmd reads one: the current context (or a named one)
// picks a cluster (server, certificate-authority[-data], insecure-skip-tls-verify, tls-server-name)
// and a user (client-certificate[-data], client-key[-data], token, tokenFile). File paths inside
// the kubeconfig are relative to the file's directory.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { RestConfig, TlsConfig } from './config.js';

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

export interface KubeconfigOptions {
  /** Use this context instead of current-context. */
  context?: string;
  /** Reads files the kubeconfig refers to (default: fs.readFileSync). */
  readFile?: (path: string) => Buffer;
}

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kubeconfig path clientcmd would use: $KUBECONFIG's first entry, else ~/.kube/config. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.KUBECONFIG ?? '').split(':').find((p) => p !== '');
  return first ?? join(homedir(), '.kube', 'config');
}

/** Reads and interprets a kubeconfig file. */
export function loadKubeconfig(path: string = defaultKubeconfigPath(), options: KubeconfigOptions = {}): RestConfig {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p));
  let text: string;
  try {
    text = readFile(path).toString('utf8');
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
  }
  return parseKubeconfig(text, { ...options, baseDir: dirname(resolve(path)) });
}

/** Interprets kubeconfig YAML text; relative file references resolve against baseDir. */
export function parseKubeconfig(text: string, options: KubeconfigOptions & { baseDir?: string } = {}): RestConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new KubeconfigError(`kubeconfig is not valid YAML: ${(err as Error).message}`);
  }
  if (!isDict(doc)) throw new KubeconfigError('kubeconfig is not a mapping');
  const contextName = options.context ?? str(doc['current-context']);
  if (!contextName) throw new KubeconfigError('kubeconfig has no current-context');
  const context = named(doc.contexts, 'context', contextName);
  if (!context) throw new KubeconfigError(`context "${contextName}" not found in kubeconfig`);
  const clusterName = str(context.cluster);
  const cluster = clusterName ? named(doc.clusters, 'cluster', clusterName) : undefined;
  if (!cluster) throw new KubeconfigError(`cluster "${clusterName ?? ''}" of context "${contextName}" not found in kubeconfig`);
  const userName = str(context.user);
  const user = (userName ? named(doc.users, 'user', userName) : undefined) ?? {};

  const server = str(cluster.server);
  if (!server) throw new KubeconfigError(`cluster "${clusterName}" has no server`);
  const baseDir = options.baseDir ?? process.cwd();
  const readFile = options.readFile ?? ((p: string) => readFileSync(p));
  const file = (p: string) => {
    const full = isAbsolute(p) ? p : join(baseDir, p);
    try {
      return readFile(full);
    } catch (err) {
      throw new KubeconfigError(`cannot read ${full}: ${(err as Error).message}`);
    }
  };
  const dataOrFile = (entry: Dict, key: string): Buffer | undefined => {
    const data = str(entry[`${key}-data`]);
    if (data) return Buffer.from(data, 'base64');
    const path = str(entry[key]);
    return path ? file(path) : undefined;
  };

  const tls: TlsConfig = {};
  const ca = dataOrFile(cluster, 'certificate-authority');
  if (ca) tls.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) tls.insecure = true;
  const serverName = str(cluster['tls-server-name']);
  if (serverName) tls.serverName = serverName;
  const cert = dataOrFile(user, 'client-certificate');
  const key = dataOrFile(user, 'client-key');
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  if ((cert === undefined) !== (key === undefined)) {
    throw new KubeconfigError(`user "${userName ?? ''}" has a client certificate without a key, or a key without a certificate`);
  }

  const config: RestConfig = { server, tls };
  const token = str(user.token);
  if (token) config.token = token;
  const tokenFile = str(user.tokenFile);
  if (!token && tokenFile) config.tokenFile = isAbsolute(tokenFile) ? tokenFile : join(baseDir, tokenFile);
  const namespace = str(context.namespace);
  config.namespace = namespace || 'default';
  return config;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Finds `{name, <field>: {...}}` in a kubeconfig list and returns the inner mapping. */
function named(list: unknown, field: string, name: string): Dict | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const entry of list as unknown[]) {
    if (isDict(entry) && entry.name === name) {
      const inner = entry[field];
      return isDict(inner) ? inner : {};
    }
  }
  return undefined;
}
