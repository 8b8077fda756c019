import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../main/api/server.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import type { SearchResponse } from '../../../shared/api/search.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';
import { buildTestApi } from '../../support/testApi.ts';

/** A search row carries its conversation as the mailbox list shows it, so the UI draws both with one row. */
describe('GET /v1/email/search rows with their conversation', () => {
  let db: IndexDb;
  let app: ApiServer;
  let token: string;
  const dir = makeTempDir();
  const day = (n: number) => Date.UTC(2024, 0, 1) + n * 24 * 3600 * 1000;

  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const work = upsertLabel(db, account.id, { remoteId: 'Label_1', name: 'Work', kind: 'user', role: null });
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'a1',
        threadRemoteId: 'plan',
        subject: 'Quarterly plan',
        bodyText: 'the plan for the quarter',
        sentAt: day(1),
        isUnread: false,
        labelIds: [inbox, work],
      }),
      messageInput({
        remoteId: 'a2',
        threadRemoteId: 'plan',
        subject: 'Re: Quarterly plan',
        from: { name: 'Bo Replier', email: 'bo@example.test' },
        bodyText: 'agreed, see the attached plan',
        sentAt: day(2),
        isStarred: true,
        attachments: [
          {
            partIndex: 1,
            remoteId: 'att1',
            filename: 'plan.pdf',
            mimeType: 'application/pdf',
            sizeBytes: 2000,
            contentId: null,
            isInline: false,
            blobSha256: null,
          },
        ],
        labelIds: [inbox],
      }),
      messageInput({ remoteId: 'a3', threadRemoteId: 'plan', subject: 'Re: Q3', bodyText: 'thanks', sentAt: day(3) }),
    ]);
    ({ app, token } = await buildTestApi(db, dir.path));
  });
  afterAll(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  it('gives each conversation row the thread summary the mailbox list gives: participants, counts, star, attachment, labels', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/email/search?q=plan',
      headers: { host: '127.0.0.1:7766', authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json() as SearchResponse;
    expect(page.data).toHaveLength(1);
    const [hit] = page.data;
    expect(hit?.matching_messages).toBe(2);
    const listed = await app.inject({
      method: 'GET',
      url: `/v1/email/threads?ids=${hit?.thread_id}`,
      headers: { host: '127.0.0.1:7766', authorization: `Bearer ${token}` },
    });
    const [summary] = (listed.json() as { data: unknown[] }).data;
    expect(hit?.thread).toEqual(summary);
    expect(hit?.thread).toMatchObject({
      id: hit?.thread_id,
      message_count: 3,
      unread_count: 2,
      is_starred: true,
      has_attachments: true,
      participants: expect.arrayContaining([expect.objectContaining({ email: 'bo@example.test' })]),
      label_ids: expect.arrayContaining([expect.stringMatching(/^lbl_/)]),
    });
    expect(hit?.thread.label_ids).toHaveLength(2);
  });
});
