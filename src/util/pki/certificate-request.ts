// Creating a PKCS#10 certificate signing request with a fresh ECDSA P-256 key (what a joining or
// rotating kubelet does), with Node's crypto and the DER writer alone: subject O…/CN, the
// subjectAltName DNS names and IPs as an extensionRequest attribute, signed ecdsa-with-SHA256.
// Reading and signing requests (csr.ts) use the X.509 library; a node never needs it.

import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { toPem } from './keys.js';
import { bitString, contextConstructed, contextPrimitive, octetString, oid, sequence, set, smallInteger, utf8String } from './der.js';

export interface CertificateRequestOptions {
  commonName: string;
  organizations?: readonly string[];
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
};

/** The Name: O=… then CN=…, one attribute per RDN (as Go's pkix.Name orders them). */
function subject(commonName: string, organizations: readonly string[]): Buffer {
  const rdn = (type: string, value: string) => set(sequence(oid(type), utf8String(value)));
  return sequence(...organizations.map((o) => rdn(OID.organization, o)), rdn(OID.commonName, commonName));
}

/** An IP address's bytes: 4 for IPv4, 16 for IPv6. */
export function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

function attributes(dnsNames: readonly string[], ipAddresses: readonly string[]): Buffer {
  const names = [...dnsNames.map((d) => contextPrimitive(2, Buffer.from(d, 'ascii'))), ...ipAddresses.map((ip) => contextPrimitive(7, ipBytes(ip)))];
  if (names.length === 0) return contextConstructed(0);
  const san = sequence(oid(OID.subjectAltName), octetString(sequence(...names)));
  return contextConstructed(0, sequence(oid(OID.extensionRequest), set(sequence(san))));
}

export async function createCertificateRequest(options: CertificateRequestOptions): Promise<{ csrPem: string; keyPem: string }> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const info = sequence(smallInteger(0), subject(options.commonName, options.organizations ?? []), spki, attributes(options.dnsNames ?? [], options.ipAddresses ?? []));
  const signature = sign('sha256', info, { key: privateKey, dsaEncoding: 'der' });
  const der = sequence(info, sequence(oid(OID.ecdsaWithSha256)), bitString(signature));
  return { csrPem: toPem('CERTIFICATE REQUEST', der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
