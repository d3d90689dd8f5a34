import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Secret } from 'kubernetes-types/core/v1.js';
import { staticLookup } from './lookup/lookup.js';
import { imageLocation, matchPullCredentials, podPullCredentials } from './pull-secrets.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const dockerConfigJson = (name: string, auths: Record<string, object>): Secret => ({
  metadata: { name, namespace: 'default' },
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) },
});

describe('image pull secrets', () => {
  it('finds the registry host and repository of an image', () => {
    assert.deepEqual(imageLocation('busybox'), { host: 'docker.io', path: 'library/busybox' });
    assert.deepEqual(imageLocation('user/app:1'), { host: 'docker.io', path: 'user/app' });
    assert.deepEqual(imageLocation('127.0.0.1:5000/kite/app:1'), { host: '127.0.0.1:5000', path: 'kite/app' });
    assert.deepEqual(imageLocation('localhost/app@sha256:abc'), { host: 'localhost', path: 'app' });
  });

  it('turns the matching entry into an AuthConfig, username and password from auth when absent', () => {
    const secret = dockerConfigJson('reg', {
      'https://127.0.0.1:5000': { auth: b64('kite:s3cret:with-colon') },
      'other.example:5000': { username: 'x', password: 'y' },
    });
    assert.deepEqual(matchPullCredentials([secret], '127.0.0.1:5000/kite/app:1'), [
      { username: 'kite', password: 's3cret:with-colon', auth: b64('kite:s3cret:with-colon') },
    ]);
    assert.deepEqual(matchPullCredentials([secret], 'elsewhere.example/app:1'), []);
  });

  it('prefers the most specific path; the legacy Docker Hub key matches every Hub image; .dockercfg works', () => {
    const hub = dockerConfigJson('hub', { 'https://index.docker.io/v1/': { username: 'hub', password: 'p' } });
    const team: Secret = {
      metadata: { name: 'team' },
      type: 'kubernetes.io/dockercfg',
      data: { '.dockercfg': b64(JSON.stringify({ 'docker.io/team': { username: 'team', password: 'q' } })) },
    };
    assert.deepEqual(matchPullCredentials([hub, team], 'team/app').map((a) => a.username), ['team', 'hub']);
    assert.deepEqual(matchPullCredentials([hub, team], 'busybox').map((a) => a.username), ['hub']);
    assert.deepEqual(matchPullCredentials([hub, team], 'teamster/app').map((a) => a.username), ['hub']);
  });

  it("reads the pod's imagePullSecrets, skipping absent and malformed ones", async () => {
    const lookup = staticLookup({
      secrets: [
        dockerConfigJson('reg', { 'reg.example': { username: 'u', password: 'p' } }),
        { metadata: { name: 'bad', namespace: 'default' }, data: { '.dockerconfigjson': b64('{not json') } },
      ],
    });
    const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], imagePullSecrets: [{ name: 'missing' }, { name: 'bad' }, { name: 'reg' }] } };
    assert.deepEqual(await podPullCredentials(lookup, pod, 'reg.example/app:1'), [{ username: 'u', password: 'p' }]);
    assert.deepEqual(await podPullCredentials(lookup, { ...pod, spec: { containers: [] } }, 'reg.example/app:1'), []);
  });
});
