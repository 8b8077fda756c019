import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmailSendService } from '../../../main/api/sendContract.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('POST /v1/email/send per-day cap', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let sends = 0;
  const counting: EmailSendService = {
    async submit() {
      sends++;
      return { id: `m${sends}`, thread_id: `t${sends}`, provider: 'gmail', status: 'sent', sent_at: '2026-11-23T10:00:00Z' };
    },
  };

  beforeEach(async () => {
    db = openIndex(':memory:');
    ensureAccount(db, 'gmail', 'me@example.test');
    sends = 0;
    api = await buildLocalApi(db, dir.path, { send: counting, rateLimits: { sendPerSecond: 1_000, sendPerDay: 3 } });
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  it('refuses the send past the daily cap with 429 rate_limited, before the provider is touched, with the cap in the headers', async () => {
    const key = api.key('write:email');
    const send = (n: number) =>
      api.app.inject({
        method: 'POST',
        url: '/v1/email/send',
        headers: { host, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ to: 'jane@example.test', subject: `Note ${n}`, body_text: 'hi' }),
      });
    const answers = [];
    for (let n = 1; n <= 4; n++) answers.push(await send(n));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    const refused = answers[3];
    expect(refused?.json()).toMatchObject({ code: 'rate_limited' });
    expect(refused?.json().request_id).toMatch(/\S/);
    expect(refused?.headers['x-ratelimit-limit']).toBe('3');
    expect(refused?.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(refused?.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(sends).toBe(3);
  });
});
