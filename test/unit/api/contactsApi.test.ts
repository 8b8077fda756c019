import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('GET /v1/email/contacts', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;

  beforeEach(async () => {
    db = openIndex(':memory:');
    const { account, inbox, sent } = seedAccount(db, 'me@example.test');
    const day = (n: number) => Date.UTC(2026, 0, n);
    writeMessages(db, account.id, [
      // Received: Dana twice, Daniel once (newer), a newsletter; the user's own address as a sender.
      messageInput({ remoteId: 'r1', labelIds: [inbox], sentAt: day(1), from: { name: 'Dana Scully', email: 'dana@fbi.test' } }),
      messageInput({ remoteId: 'r2', labelIds: [inbox], sentAt: day(2), from: { name: '', email: 'Dana@FBI.test' } }),
      messageInput({
        remoteId: 'r3',
        labelIds: [inbox],
        sentAt: day(5),
        from: { name: 'Daniel Jackson', email: 'daniel@sgc.test' },
      }),
      messageInput({
        remoteId: 'r4',
        labelIds: [inbox],
        sentAt: day(6),
        from: { name: 'Offers', email: 'deals_100%@shop.test' },
      }),
      messageInput({ remoteId: 'r5', labelIds: [inbox], sentAt: day(7), from: { name: 'Me', email: 'me@example.test' } }),
      // Sent by the user: to Daniel, cc Walter (who never wrote).
      messageInput({
        remoteId: 's1',
        labelIds: [sent],
        sentAt: day(3),
        from: { name: 'Me', email: 'me@example.test' },
        to: [{ name: 'Daniel J.', email: 'daniel@sgc.test' }],
        cc: [{ name: 'Walter Skinner', email: 'walter@fbi.test' }],
      }),
    ]);
    api = await buildLocalApi(db, dir.path);
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  const contacts = async (q: string, key = api.key('read:email')) => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/v1/email/contacts?q=${encodeURIComponent(q)}`,
      headers: { host, authorization: `Bearer ${key}` },
    });
    return {
      status: response.statusCode,
      body: response.json() as { data: Array<{ name: string; email: string; score: number }> },
    };
  };

  it('ranks people written to above people heard from, with their latest name, addresses folded to lower case', async () => {
    const { status, body } = await contacts('da');
    expect(status).toBe(200);
    expect(body.data.map((c) => [c.email, c.name, c.score])).toEqual([
      ['daniel@sgc.test', 'Daniel Jackson', 4],
      ['dana@fbi.test', 'Dana Scully', 2],
    ]);
  });

  it('matches a word inside the name and the start of the address, never the user, and LIKE wildcards literally', async () => {
    expect((await contacts('skinner')).body.data.map((c) => c.email)).toEqual(['walter@fbi.test']);
    expect((await contacts('walter@')).body.data.map((c) => c.email)).toEqual(['walter@fbi.test']);
    expect((await contacts('me')).body.data).toEqual([]);
    expect((await contacts('deals_100%')).body.data.map((c) => c.email)).toEqual(['deals_100%@shop.test']);
    expect((await contacts('deals_1000')).body.data).toEqual([]);
    expect((await contacts('%')).body.data).toEqual([]);
  });

  it('needs read:email and a query', async () => {
    expect((await contacts('da', api.key('read:calendar'))).status).toBe(403);
    const empty = await api.app.inject({
      method: 'GET',
      url: '/v1/email/contacts?q=',
      headers: { host, authorization: `Bearer ${api.key('read:email')}` },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'validation_error' });
  });
});
