// Finding and pinning the cluster CA before trusting anything (kubeadm's discovery with
// --discovery-token-ca-cert-hash): the CA's hash is "sha256:" + hex SHA-256 of its
// SubjectPublicKeyInfo. discoverCa opens a TLS connection to the API server without presenting
// any credential, takes the CA from the certificate chain the server sends, and accepts it only
// if its hash is one of the pins and the server's certificate verifies against it.

import { createHash, X509Certificate } from 'node:crypto';
import { connect, type DetailedPeerCertificate } from 'node:tls';

/** "sha256:<hex>" of the certificate's public key (SubjectPublicKeyInfo, DER). */
export function caCertHash(caPem: string): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

export function parseCaCertHash(text: string): string {
  const m = /^sha256:([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!m) throw new Error(`invalid CA certificate hash "${text}": expected sha256:<64 hex digits>`);
  return `sha256:${m[1]!.toLowerCase()}`;
}

const derToPem = (der: Buffer): string => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

/** The certificates the server presented, leaf first. */
async function peerChain(server: URL, timeoutMs: number): Promise<X509Certificate[]> {
  const port = Number(server.port || 443);
  const host = server.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake with ${server.host} within ${timeoutMs} ms`)), timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const chain: X509Certificate[] = [];
      let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (cert?.raw && !chain.some((c) => c.raw.equals(cert!.raw))) {
        chain.push(new X509Certificate(cert.raw));
        cert = cert.issuerCertificate;
      }
      socket.end();
      resolve(chain);
    });
  });
}

/** The PEM of the CA in the server's chain whose hash is pinned; throws when there is none. */
export async function discoverCa(serverUrl: string, pins: readonly string[], timeoutMs = 10_000): Promise<string> {
  const wanted = new Set(pins.map(parseCaCertHash));
  const chain = await peerChain(new URL(serverUrl), timeoutMs);
  const leaf = chain[0];
  if (!leaf) throw new Error(`${serverUrl} presented no certificate`);
  for (const cert of chain) {
    const pem = derToPem(cert.raw);
    if (!cert.ca || !wanted.has(caCertHash(pem))) continue;
    if (!leaf.checkIssued(cert) && leaf !== cert) continue;
    if (leaf !== cert && !leaf.verify(cert.publicKey)) continue;
    return pem;
  }
  const seen = chain.filter((c) => c.ca).map((c) => caCertHash(derToPem(c.raw)));
  throw new Error(`none of the CA certificates ${serverUrl} presented matches the pinned hash (presented: ${seen.join(', ') || 'no CA certificate'})`);
}
