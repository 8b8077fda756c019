import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../main/api/server.ts';
import { memoryLog } from '../../../main/core/log.ts';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';
import { buildTestApi, TEST_HOST } from '../../support/testApi.ts';

describe('failures in the log', () => {
  const dir = makeTempDir();
  const memory = memoryLog();
  let db: WritableDb;
  let app: ApiServer;
  let token: string;
  beforeAll(async () => {
    db = openIndex(':memory:');
    seedAccount(db);
    ({ app, token } = await buildTestApi(db, dir.path, {
      log: memory.log,
      logDir: '/data/outpost/logs',
      // A dependency failing the way a bug does: a plain Error, no code.
      connectAccount: async () => {
        throw new Error('the connector fell over');
      },
    }));
  });
  afterAll(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  const errorLines = () => memory.lines().filter((line) => (line.level as number) >= 50);

  it('writes one error line per 500, with the request id the caller got, the route and the stack', async () => {
    const failed = await app.inject({
      method: 'POST',
      url: '/v1/accounts/connect?attempt=1',
      headers: { host: TEST_HOST, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ provider: 'google' }),
    });
    expect(failed.statusCode).toBe(500);
    const requestId = failed.headers['x-request-id'] as string;
    expect(failed.json()).toEqual({
      code: 'internal_error',
      message: `internal error; see the log in /data/outpost/logs (request ${requestId})`,
      request_id: requestId,
    });
    const lines = errorLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      component: 'api',
      request_id: requestId,
      method: 'POST',
      route: '/v1/accounts/connect',
      err: {
        type: 'Error',
        message: 'the connector fell over',
        stack: expect.stringMatching(/^Error: the connector fell over\n\s+at /),
      },
    });
  });

  it('logs no request lines, and no 4xx at error level', async () => {
    const before = memory.lines().length;
    for (const url of ['/v1/email/threads/thr_999', '/v1/email/threads?limit=0', '/v1/nope', '/v1/email/threads'])
      await app.inject({ url, headers: { host: TEST_HOST, authorization: `Bearer ${token}` } });
    await app.inject({ url: '/v1/email/threads', headers: { host: TEST_HOST } });
    expect(memory.lines().slice(before)).toEqual([]);
  });
});
