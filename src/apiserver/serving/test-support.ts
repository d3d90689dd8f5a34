// Test helpers for the serving and authn tests: a throwaway PKI (CA, serving certificate for
// 127.0.0.1/localhost, client certificates) and minimal HTTP/2 and HTTP/1.1 TLS clients.

import * as http2 from 'node:http2';
import * as https from 'node:https';
import {
  createCertificateAuthority,
  issueClientCertificate,
  issueServingCertificate,
  type CertificateAuthority,
  type KeyAndCertificate,
} from '../../util/pki/index.js';

export interface TestPki {
  ca: CertificateAuthority;
  serving: KeyAndCertificate;
  client(commonName: string, organizations?: string[]): Promise<KeyAndCertificate>;
}

export async function createTestPki(): Promise<TestPki> {
  const ca = await createCertificateAuthority({ commonName: 'test-ca', validityDays: 1 });
  const serving = await issueServingCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    validityDays: 1,
  });
  return {
    ca,
    serving,
    client: (commonName, organizations = []) => issueClientCertificate(ca, { commonName, organizations, validityDays: 1 }),
  };
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TestRequest {
  port: number;
  caPem: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  client?: KeyAndCertificate;
}

/** One request over a fresh HTTP/2 session. */
export function h2Request(r: TestRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${r.port}`, {
      ca: r.caPem,
      ...(r.client ? { cert: r.client.certPem, key: r.client.keyPem } : {}),
    });
    session.on('error', reject);
    const stream = session.request({ ':method': r.method ?? 'GET', ':path': r.path, ...r.headers });
    let status = 0;
    let headers: TestResponse['headers'] = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = h as TestResponse['headers'];
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      session.close();
      resolve({ status, headers, body: Buffer.concat(chunks).toString() });
    });
    stream.on('error', reject);
    stream.end(r.body);
  });
}

/** One request over HTTPS/1.1 (no keep-alive agent). */
export function h1Request(r: TestRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: r.port,
        path: r.path,
        method: r.method ?? 'GET',
        headers: r.headers,
        ca: r.caPem,
        agent: false,
        ...(r.client ? { cert: r.client.certPem, key: r.client.keyPem } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}
