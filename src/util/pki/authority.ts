// Creating a self-signed certificate authority (the cluster CA that signs serving, client and
// kubelet certificates): ECDSA P-256, basicConstraints CA:true, keyUsage certSign/cRLSign.

import { generateKeyPair } from './keys.js';
import { randomSerial, subjectName, validity, type CertificateAuthority, type ValidityOptions } from './sign.js';
import { x509 } from './x509-lib.js';

export interface CertificateAuthorityOptions extends ValidityOptions {
  commonName: string;
}

export async function createCertificateAuthority(options: CertificateAuthorityOptions): Promise<CertificateAuthority> {
  const { keys, keyPem } = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subjectName(options.commonName),
    keys: { privateKey: keys.privateKey, publicKey: keys.publicKey },
    signingAlgorithm: keys.signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
    ...validity(options),
  });
  return { certPem: cert.toString('pem') + '\n', keyPem };
}
