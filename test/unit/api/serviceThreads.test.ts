import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('GET /api/threads (the services document\'s "next steps")', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let accountId: string;

  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    accountId = account.id;
    writeMessages(
      db,
      account.id,
      Array.from({ length: 5 }, (_, n) =>
        messageInput({
          remoteId: `m${n}`,
          threadRemoteId: `t${n}`,
          subject: `Thread ${n}`,
          sentAt: 1_000 + n,
          labelIds: [inbox],
        }),
      ),
    );
    api = await buildLocalApi(db, dir.path);
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
  });

  const get = (query: string, headers: Record<string, string>) =>
    api.app.inject({ method: 'GET', url: `/api/threads${query}`, headers: { host, ...headers } });
  const cookie = () => ({ cookie: `authjs.session-token=${api.adminSession}` });

  it('pages through the inbox newest first for the admin session cookie', async () => {
    const first = await get('?limit=3', cookie());
    expect(first.statusCode).toBe(200);
    const body = first.json() as { threads: Array<{ subject: string }>; nextCursor: string | null };
    expect(body.threads.map((t) => t.subject)).toEqual(['Thread 4', 'Thread 3', 'Thread 2']);
    const second = (await get(`?limit=3&cursor=${encodeURIComponent(body.nextCursor ?? '')}`, cookie())).json() as {
      threads: Array<{ subject: string }>;
      nextCursor: string | null;
    };
    expect(second.threads.map((t) => t.subject)).toEqual(['Thread 1', 'Thread 0']);
    expect(second.nextCursor).toBeNull();
    expect((await get(`?serviceId=${accountId}&label=all&limit=50`, cookie())).json().threads).toHaveLength(5);
  });

  it('refuses API keys and strangers, and unknown services, with JSON errors', async () => {
    expect((await get('', { authorization: `Bearer ${api.key('read:email')}` })).statusCode).toBe(403);
    expect((await get('', {})).statusCode).toBe(401);
    const unknown = await get('?serviceId=nope', cookie());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
    expect((await get('?limit=0', cookie())).statusCode).toBe(400);
  });
});
