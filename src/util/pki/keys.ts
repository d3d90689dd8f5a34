// Private keys: generating ECDSA P-256 key pairs and moving keys between PEM (PKCS#8, what Kite
// writes; SEC1 and PKCS#1 are read too) and the WebCrypto CryptoKeys that @peculiar/x509 signs with.

import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';

const subtle = webcrypto.subtle;

export type CryptoKey = webcrypto.CryptoKey;

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The WebCrypto algorithm to sign certificates with (hash included). */
  signingAlgorithm: webcrypto.EcdsaParams | webcrypto.Algorithm;
}

const EC_GEN: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

const CURVES: Record<string, { curve: string; hash: string }> = {
  prime256v1: { curve: 'P-256', hash: 'SHA-256' },
  secp384r1: { curve: 'P-384', hash: 'SHA-384' },
  secp521r1: { curve: 'P-521', hash: 'SHA-512' },
};

/** A fresh ECDSA P-256 key pair (extractable) and its private key as PKCS#8 PEM. */
export async function generateKeyPair(): Promise<{ keys: SigningKey; keyPem: string }> {
  const pair = (await subtle.generateKey(EC_GEN, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const der = Buffer.from(await subtle.exportKey('pkcs8', pair.privateKey));
  return {
    keys: { privateKey: pair.privateKey, publicKey: pair.publicKey, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } },
    keyPem: toPem('PRIVATE KEY', der),
  };
}

/** Imports a PEM private key (EC on P-256/384/521, or RSA) for signing. */
export async function importSigningKey(keyPem: string): Promise<SigningKey> {
  const key = createPrivateKey(keyPem);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (key.asymmetricKeyType === 'ec') {
    const named = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (!named) throw new Error(`unsupported EC curve ${key.asymmetricKeyDetails?.namedCurve ?? '?'}`);
    const alg: webcrypto.EcKeyImportParams = { name: 'ECDSA', namedCurve: named.curve };
    return {
      privateKey: await subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']),
      publicKey: await subtle.importKey('spki', spki, alg, true, ['verify']),
      signingAlgorithm: { name: 'ECDSA', hash: named.hash },
    };
  }
  if (key.asymmetricKeyType === 'rsa') {
    const alg: webcrypto.RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return {
      privateKey: await subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']),
      publicKey: await subtle.importKey('spki', spki, alg, true, ['verify']),
      signingAlgorithm: alg,
    };
  }
  throw new Error(`unsupported private key type ${key.asymmetricKeyType ?? '?'}`);
}

/** Wraps DER bytes in PEM armour with 64-character lines. */
export function toPem(label: string, der: Uint8Array | ArrayBuffer): string {
  const b64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
