import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureStatus, StatusError } from '../../api/status.js';
import { ConnectionError } from '../../client/rest/index.js';
import { CertificateRequestError } from './request-certificate.js';
import { serverHealthAfter } from './server-health.js';

const answer = (code: number, reason: string) => new StatusError(failureStatus(code, reason, 'no'));

describe('server health from a certificate request', () => {
  it('counts 401, 403 and 404 as answers of a working server, anything else as not', () => {
    for (const err of [answer(401, 'Unauthorized'), answer(403, 'Forbidden'), answer(404, 'NotFound')]) assert.equal(serverHealthAfter(err, false), true, err.message);
    for (const err of [answer(500, 'InternalError'), answer(503, 'ServiceUnavailable'), new ConnectionError('refused', { notProcessed: true, code: 'ECONNREFUSED' }), new Error('x')]) {
      assert.equal(serverHealthAfter(err, true), false, err.message);
    }
  });

  it('a request that was not signed in time or was denied says nothing new', () => {
    assert.equal(serverHealthAfter(new CertificateRequestError('denied'), true), true);
    assert.equal(serverHealthAfter(new CertificateRequestError('not issued in time'), false), false);
  });
});
