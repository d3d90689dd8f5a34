// The one place that loads @peculiar/x509 (and the reflect-metadata polyfill its dependency
// injection container needs) and points it at Node's WebCrypto. Other pki files import from here.

import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };
export const subtle = webcrypto.subtle;
