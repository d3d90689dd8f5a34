// The service-account signing key pair (kube-apiserver's --service-account-signing-key-file and
// --service-account-key-file): an ECDSA P-256 key in DIR/sa.key with its public half in DIR/sa.pub,
// created on first start and reused after; and further verification keys from PEM files. The key id is Kubernetes': base64url(SHA-256(DER SPKI)).

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC_MODE, SECRET_MODE, readIfExists, writeFileAtomic } from './files.js';

export interface ServiceAccountKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The JWS `kid`: base64url of the SHA-256 of the public key's DER SubjectPublicKeyInfo. */
  keyId: string;
  paths: { key: string; pub: string };
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

/** Loads DIR/sa.key (and rewrites DIR/sa.pub from it), or creates both when the key is missing. */
export async function loadOrCreateServiceAccountKey(dir: string): Promise<ServiceAccountKey> {
  const paths = { key: join(dir, 'sa.key'), pub: join(dir, 'sa.pub') };
  const existing = await readIfExists(paths.key);
  let privateKey: KeyObject;
  if (existing) {
    privateKey = createPrivateKey(existing);
  } else {
    privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await writeFileAtomic(paths.key, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, SECRET_MODE);
  }
  const publicKey = createPublicKey(privateKey);
  const pubPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  if ((await readIfExists(paths.pub)) !== pubPem) await writeFileAtomic(paths.pub, pubPem, PUBLIC_MODE);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), paths };
}

/** Every key in PEM files (public keys, or private keys whose public half is taken), as
 *  --service-account-key-file reads them: tokens signed by any of them are accepted. */
export async function loadVerificationKeys(paths: readonly string[]): Promise<KeyObject[]> {
  const keys: KeyObject[] = [];
  for (const path of paths) {
    const text = await readFile(path, 'utf8');
    const blocks = text.match(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
    const usable = blocks.filter((b) => /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|PRIVATE KEY|RSA PRIVATE KEY|EC PRIVATE KEY)-----/.test(b));
    if (usable.length === 0) throw new Error(`${path}: no public or private key found`);
    for (const block of usable) keys.push(createPublicKey(block));
  }
  return keys;
}
