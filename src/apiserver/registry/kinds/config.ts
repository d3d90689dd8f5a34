// core/v1 configmaps and secrets: the DATA (and secret TYPE) columns, the secrets "type" field
// selector, stringData folded into base64 data, the Opaque default, key syntax, the 1 MiB limit,
// the per-type required keys, and immutability (`immutable: true`, secret type).

import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import { isConfigMapKey } from '../../../api/validation/names.js';
import type { Strategy } from '../resource.js';
import { ageColumn, deepEqual, define, immutable } from './util.js';

const MAX_SIZE = 1024 * 1024;

function validateKeys(data: Record<string, string> | undefined, name: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(data ?? {})) {
    for (const m of isConfigMapKey(key)) errs.push(field.invalid(field.path(name).key(key), key, m));
  }
  return errs;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const decodedLength = (b64: string): number => Buffer.from(b64, 'base64').length;

function validateImmutable(obj: { immutable?: boolean; data?: unknown; binaryData?: unknown }, old: typeof obj, dataFields: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable !== true) return errs;
  if (obj.immutable !== true) errs.push(field.forbidden(field.path('immutable'), 'field is immutable when `immutable` is set'));
  for (const f of dataFields) {
    const k = f as 'data' | 'binaryData';
    if (!deepEqual(obj[k] ?? {}, old[k] ?? {})) errs.push(field.forbidden(field.path(f), 'field is immutable when `immutable` is set'));
  }
  return errs;
}

// ---- configmaps -----------------------------------------------------------------------------

function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateKeys(cm.data, 'data');
  let total = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    if (cm.binaryData && key in cm.binaryData) errs.push(field.invalid(field.path('data').key(key), key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(value);
  }
  errs.push(...validateKeys(cm.binaryData, 'binaryData'));
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    if (cm.data && key in cm.data) errs.push(field.invalid(field.path('binaryData').key(key), key, 'duplicate of key present in data'));
    if (!BASE64.test(value)) errs.push(field.invalid(field.path('binaryData').key(key), '<binary data>', 'illegal base64 data'));
    total += decodedLength(value);
  }
  if (total > MAX_SIZE) errs.push(field.tooLong(field.path(''), '', MAX_SIZE));
  return errs;
}

export const configMapStrategy: Strategy<ConfigMap> = {
  validate: validateConfigMap,
  validateUpdate: (cm, old) => [...validateConfigMap(cm), ...validateImmutable(cm, old, ['data', 'binaryData'])],
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const configmaps = define<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  strategy: configMapStrategy,
  columns: [
    { name: 'Data', type: 'string', description: 'Data contains the configuration data.', cell: (cm) => Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length },
    ageColumn(),
  ],
});

// ---- secrets --------------------------------------------------------------------------------

/** The v1 → internal conversion of stringData: written over data as base64, then dropped. */
export function foldStringData(secret: Secret): void {
  if (!secret.stringData) return;
  const data = (secret.data ??= {});
  for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  delete secret.stringData;
}

const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function validateSecret(secret: Secret): FieldError[] {
  const errs = validateKeys(secret.data, 'data');
  const dp = field.path('data');
  let total = 0;
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    if (!BASE64.test(value)) errs.push(field.invalid(dp.key(key), '<secret contents redacted>', 'illegal base64 data'));
    else total += decodedLength(value);
  }
  if (total > MAX_SIZE) errs.push(field.tooLong(dp, '', MAX_SIZE));
  const data = secret.data ?? {};
  const type = secret.type ?? '';
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (!secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(field.required(field.path('metadata', 'annotations').key('kubernetes.io/service-account.name'), ''));
      }
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = requiredKeys[type]![0]!;
      if (!(key in data)) {
        errs.push(field.required(dp.key(key), ''));
        break;
      }
      try {
        JSON.parse(Buffer.from(data[key]!, 'base64').toString('utf8'));
      } catch (err) {
        errs.push(field.invalid(dp.key(key), '<secret contents redacted>', err instanceof Error ? err.message : String(err)));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) {
        errs.push(field.required(dp.key('username'), ''), field.required(dp.key('password'), ''));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(field.required(dp.key('ssh-privatekey'), ''));
      break;
    case 'kubernetes.io/tls':
      for (const key of requiredKeys[type]!) if (!(key in data)) errs.push(field.required(dp.key(key), ''));
      break;
    default:
  }
  return errs;
}

export const secretStrategy: Strategy<Secret> = {
  defaults(secret) {
    foldStringData(secret);
    secret.type ||= 'Opaque';
  },
  validate: validateSecret,
  validateUpdate: (secret, old) => [
    ...validateSecret(secret),
    ...immutable(secret.type ?? '', old.type ?? '', field.path('type')),
    ...validateImmutable(secret, old, ['data']),
  ],
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const secrets = define<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  singular: 'secret',
  namespaced: true,
  strategy: secretStrategy,
  columns: [
    { name: 'Type', type: 'string', description: 'Used to facilitate programmatic handling of secret data.', cell: (s) => s.type ?? '' },
    { name: 'Data', type: 'string', description: 'Data contains the secret data.', cell: (s) => Object.keys(s.data ?? {}).length },
    ageColumn(),
  ],
  fields: { type: (s) => s.type ?? '' },
});
