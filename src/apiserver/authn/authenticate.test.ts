import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { FakeClock, type Clock } from '../../util/clock.js';
import { createCertificateAuthority, issueClientCertificate } from '../../util/pki/index.js';
import { startSecureServer, type SecureServer } from '../serving/secure-server.js';
import { createTestPki, h1Request, h2Request, type TestPki, type TestRequest } from '../serving/test-support.js';
import { withAuthentication } from './authenticate.js';
import { createTokenAuthenticator, parseTokenFile } from './token-file.js';
import { createUnionAuthenticator } from './union.js';
import { createX509Authenticator } from './x509.js';

const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

let pki: TestPki;
before(async () => {
  pki = await createTestPki();
});

async function serve(options: { clock?: Clock; anonymous?: boolean } = {}): Promise<SecureServer> {
  const tokens = parseTokenFile('secret-token,bob,uid-42,"dev,ops"\n');
  const authenticator = createUnionAuthenticator(
    [createX509Authenticator({ clock: options.clock }), createTokenAuthenticator(tokens)],
    { anonymous: options.anonymous },
  );
  const handler = withAuthentication(authenticator, (_req, res, user) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(user));
  });
  return startSecureServer({ port: 0, tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.ca.certPem }, handler });
}

async function both(server: SecureServer, r: Omit<TestRequest, 'port' | 'caPem' | 'path'>): Promise<Array<{ status: number; body: unknown }>> {
  const req = { port: server.port, caPem: pki.ca.certPem, path: '/api', ...r };
  return (await Promise.all([h2Request(req), h1Request(req)])).map((res) => ({ status: res.status, body: JSON.parse(res.body) }));
}

test('a client certificate authenticates as CN with O as groups plus system:authenticated', async () => {
  const server = await serve();
  try {
    const client = await pki.client('jane', ['dev', 'ops']);
    for (const res of await both(server, { client })) {
      assert.deepEqual(res, { status: 200, body: { name: 'jane', groups: ['dev', 'ops', 'system:authenticated'] } });
    }
  } finally {
    await server.close();
  }
});

test('no certificate and no token → 401 with the Kubernetes Status body', async () => {
  const server = await serve();
  try {
    for (const res of await both(server, {})) assert.deepEqual(res, { status: 401, body: UNAUTHORIZED });
  } finally {
    await server.close();
  }
});

test('a static token authenticates; an unknown token or other scheme → 401', async () => {
  const server = await serve();
  try {
    for (const res of await both(server, { headers: { authorization: 'Bearer secret-token' } })) {
      assert.deepEqual(res.body, { name: 'bob', uid: 'uid-42', groups: ['dev', 'ops', 'system:authenticated'] });
    }
    for (const authorization of ['Bearer wrong', 'Basic c2VjcmV0LXRva2Vu', 'Bearer', 'bearer  secret-token']) {
      for (const res of await both(server, { headers: { authorization } })) assert.deepEqual(res, { status: 401, body: UNAUTHORIZED }, authorization);
    }
  } finally {
    await server.close();
  }
});

test('a certificate from a different CA, an expired one, or a serving-only one → 401', async () => {
  const server = await serve();
  try {
    const otherCa = await createCertificateAuthority({ commonName: 'evil', validityDays: 1 });
    const foreign = await issueClientCertificate(otherCa, { commonName: 'admin', organizations: ['system:masters'], validityDays: 1 });
    const past = new FakeClock(Date.now() - 10 * 86_400_000);
    const expired = await issueClientCertificate(pki.ca, { commonName: 'old', validityDays: 1, clock: past });
    for (const client of [foreign, expired, pki.serving]) {
      for (const res of await both(server, { client })) assert.deepEqual(res, { status: 401, body: UNAUTHORIZED });
    }
  } finally {
    await server.close();
  }
});

test('expiry is checked against the injected clock on every request', async () => {
  const clock = new FakeClock(Date.now());
  const server = await serve({ clock });
  try {
    const client = await pki.client('jane');
    assert.equal((await both(server, { client }))[0]!.status, 200);
    await clock.step(2 * 86_400_000);
    for (const res of await both(server, { client })) assert.equal(res.status, 401);
  } finally {
    await server.close();
  }
});

test('with anonymous enabled, only requests without credentials become system:anonymous', async () => {
  const server = await serve({ anonymous: true });
  try {
    for (const res of await both(server, {})) {
      assert.deepEqual(res, { status: 200, body: { name: 'system:anonymous', groups: ['system:unauthenticated'] } });
    }
    for (const res of await both(server, { headers: { authorization: 'Bearer wrong' } })) assert.equal(res.status, 401);
  } finally {
    await server.close();
  }
});
