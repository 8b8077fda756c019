import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, getApiKey } from '../../../main/api/auth/apiKeys.ts';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

/**
 * `Content-Type: application/json` with nothing after it is what many HTTP
 * clients send for a call without a body (a script's default headers): it is
 * no body, on every route, never a 400.
 */
describe('an empty body with a JSON content type', () => {
  const dir = makeTempDir();
  let db: WritableDb;
  let api: LocalApiHarness;
  beforeAll(async () => {
    db = openIndex(':memory:');
    seedAccount(db);
    api = await buildLocalApi(db, dir.path);
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
    dir.remove();
  });

  const emptyJson = (method: 'POST' | 'DELETE', url: string, credential = api.adminSession) =>
    api.app.inject({
      method,
      url,
      headers: { host, authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'content-length': '0' },
      payload: '',
    });

  it('revokes a key on DELETE /v1/keys/{id}', async () => {
    const { info } = createApiKey(db, 'script', ['read:email']);
    const response = await emptyJson('DELETE', `/v1/keys/${info.id}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ id: info.id, revoked_at: expect.any(String) });
    expect(getApiKey(db, info.id)?.revoked_at).not.toBeNull();
  });

  it('gives a route with a body schema its defaults, as an absent body does', async () => {
    const response = await emptyJson('POST', '/v1/email/sync', api.key('write:email'));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().data).toMatchObject({ status: 'queued', mode: 'incremental' });
    // Also with a charset, and with only whitespace.
    const withCharset = await api.app.inject({
      method: 'POST',
      url: '/v1/calendar/sync',
      headers: { host, authorization: `Bearer ${api.adminSession}`, 'content-type': 'application/json; charset=utf-8' },
      payload: ' \r\n',
    });
    expect(withCharset.statusCode, withCharset.body).toBe(200);
  });

  it('still refuses a body a route requires, naming the missing field, and malformed JSON', async () => {
    const missing = await emptyJson('POST', '/v1/keys');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'validation_error', field: 'name' });
    const malformed = await api.app.inject({
      method: 'POST',
      url: '/v1/email/sync',
      headers: { host, authorization: `Bearer ${api.adminSession}`, 'content-type': 'application/json' },
      payload: '{"mode":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'validation_error', message: 'request body is not valid JSON' });
  });
});
