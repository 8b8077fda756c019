/**
 * Gmail's deleting and label-managing methods through @googleapis/gmail: messages.batchDelete,
 * threads.untrash and threads.delete, labels.update (PUT, full replace), labels.patch and
 * labels.delete, with the history each writes and every documented error (scopes, system labels,
 * name collisions, unknown ids, over 1000 ids).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { control, failure, GMAIL_MODIFY, gmailFor, signIn, start } from './harness.ts';

const FULL = 'https://mail.google.com/';
const LABELS = 'https://www.googleapis.com/auth/gmail.labels';

function raw(subject: string, extra = ''): string {
  return Buffer.from(
    `From: carol@example.com\r\nTo: alice@gmail.test\r\nSubject: ${subject}\r\n${extra}Content-Type: text/plain\r\n\r\nBody of ${subject}.\r\n`,
  ).toString('base64url');
}

describe('Gmail batchDelete, threads untrash/delete, labels update/patch/delete', () => {
  let emu: RunningEmulator;
  let gmail: ReturnType<typeof gmailFor>;
  let modifyOnly: ReturnType<typeof gmailFor>;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' }, serviceOptions: { google: { quotaEnabled: false } } });
    gmail = gmailFor(emu, await signIn(emu, [FULL]));
    modifyOnly = gmailFor(emu, await signIn(emu, [GMAIL_MODIFY]));
  });
  afterAll(() => emu.stop());

  const insert = async (subject: string, extra = '', threadId?: string) =>
    (
      await gmail.users.messages.insert({
        userId: 'me',
        requestBody: { raw: raw(subject, extra), labelIds: ['INBOX'], threadId },
      })
    ).data;
  const historyId = async () => (await gmail.users.getProfile({ userId: 'me' })).data.historyId ?? '';
  const historySince = async (startHistoryId: string) =>
    (await gmail.users.history.list({ userId: 'me', startHistoryId })).data.history ?? [];
  /** A thread of two messages. */
  const thread = async (subject: string) => {
    const first = await insert(subject, `Message-ID: <${subject.replace(/\W/g, '')}@example.com>\r\n`);
    const second = await insert(
      `Re: ${subject}`,
      `In-Reply-To: <${subject.replace(/\W/g, '')}@example.com>\r\n`,
      first.threadId ?? '',
    );
    expect(second.threadId).toBe(first.threadId);
    return { threadId: first.threadId ?? '', ids: [first.id ?? '', second.id ?? ''] };
  };

  it('messages.batchDelete deletes every named message (204, one messageDeleted each), ignoring unknown ids', async () => {
    const a = await insert('Batch A');
    const b = await insert('Batch B');
    const before = await historyId();
    const res = await gmail.users.messages.batchDelete({
      userId: 'me',
      requestBody: { ids: [a.id ?? '', b.id ?? '', '7fffffffffffffff'] },
    });
    expect(res.status).toBe(204);
    expect((await failure(gmail.users.messages.get({ userId: 'me', id: a.id ?? '' }))).status).toBe(404);
    const deleted = (await historySince(before)).flatMap((h) => h.messagesDeleted ?? []).map((r) => r.message?.id);
    expect(deleted.sort()).toEqual([a.id, b.id].sort());
  });

  it('messages.batchDelete needs https://mail.google.com/ and at most 1000 ids', async () => {
    const c = await insert('Batch C');
    const denied = await failure(modifyOnly.users.messages.batchDelete({ userId: 'me', requestBody: { ids: [c.id ?? ''] } }));
    expect(denied.status).toBe(403);
    expect(denied.error.errors[0].reason).toBe('insufficientPermissions');
    const tooMany = Array.from({ length: 1001 }, (_, i) => (i + 1).toString(16));
    const over = await failure(gmail.users.messages.batchDelete({ userId: 'me', requestBody: { ids: tooMany } }));
    expect(over.status).toBe(400);
    const empty = await failure(gmail.users.messages.batchDelete({ userId: 'me', requestBody: { ids: [] } }));
    expect(empty.status).toBe(400);
    expect((await gmail.users.messages.get({ userId: 'me', id: c.id ?? '', format: 'minimal' })).status).toBe(200);
  });

  it('threads.untrash takes every message of the thread out of the trash and answers the Thread', async () => {
    const t = await thread('Untrash me');
    await gmail.users.threads.trash({ userId: 'me', id: t.threadId });
    const before = await historyId();
    const { data } = await modifyOnly.users.threads.untrash({ userId: 'me', id: t.threadId });
    expect(data.id).toBe(t.threadId);
    expect(data.messages?.map((m) => m.id)).toEqual(t.ids);
    for (const m of data.messages ?? []) expect(m.labelIds).not.toContain('TRASH');
    const removed = (await historySince(before)).flatMap((h) => h.labelsRemoved ?? []);
    expect(removed.map((r) => [r.message?.id, r.labelIds])).toEqual(t.ids.map((id) => [id, ['TRASH']]));
    expect((await failure(gmail.users.threads.untrash({ userId: 'me', id: '7fffffffffffffff' }))).status).toBe(404);
    expect((await failure(gmail.users.threads.untrash({ userId: 'me', id: 'not-an-id' }))).status).toBe(400);
  });

  it('threads.delete deletes every message of the thread (204); needs https://mail.google.com/', async () => {
    const t = await thread('Delete me');
    const denied = await failure(modifyOnly.users.threads.delete({ userId: 'me', id: t.threadId }));
    expect(denied.status).toBe(403);
    const before = await historyId();
    const res = await gmail.users.threads.delete({ userId: 'me', id: t.threadId });
    expect(res.status).toBe(204);
    expect((await failure(gmail.users.threads.get({ userId: 'me', id: t.threadId }))).status).toBe(404);
    const deleted = (await historySince(before)).flatMap((h) => h.messagesDeleted ?? []).map((r) => r.message?.id);
    expect(deleted.sort()).toEqual([...t.ids].sort());
    expect((await failure(gmail.users.threads.delete({ userId: 'me', id: t.threadId }))).status).toBe(404);
  });

  it('labels.update replaces the label (PUT): fields left out go back to their defaults', async () => {
    const { data: label } = await gmail.users.labels.create({
      userId: 'me',
      requestBody: {
        name: 'Receipts',
        labelListVisibility: 'labelShowIfUnread',
        messageListVisibility: 'hide',
        color: { textColor: '#000000', backgroundColor: '#ffffff' },
      },
    });
    const { data } = await gmail.users.labels.update({
      userId: 'me',
      id: label.id ?? '',
      requestBody: { id: label.id, name: 'Invoices', labelListVisibility: 'labelShow', messageListVisibility: 'show' },
    });
    expect(data).toMatchObject({
      id: label.id,
      name: 'Invoices',
      type: 'user',
      labelListVisibility: 'labelShow',
      messageListVisibility: 'show',
    });
    expect(data.color).toBeUndefined();
    const listed = (await gmail.users.labels.list({ userId: 'me' })).data.labels?.find((l) => l.id === label.id);
    expect(listed?.name).toBe('Invoices');
    const noName = await failure(gmail.users.labels.update({ userId: 'me', id: label.id ?? '', requestBody: { id: label.id } }));
    expect(noName.status).toBe(400);
  });

  it('labels.patch changes only the fields given; the labels scope is enough', async () => {
    const labeler = gmailFor(emu, await signIn(emu, [LABELS]));
    const { data: label } = await labeler.users.labels.create({
      userId: 'me',
      requestBody: { name: 'Travel', labelListVisibility: 'labelShowIfUnread', messageListVisibility: 'hide' },
    });
    const { data } = await labeler.users.labels.patch({ userId: 'me', id: label.id ?? '', requestBody: { name: 'Trips' } });
    expect(data).toMatchObject({
      id: label.id,
      name: 'Trips',
      labelListVisibility: 'labelShowIfUnread',
      messageListVisibility: 'hide',
    });
    const colored = await labeler.users.labels.patch({
      userId: 'me',
      id: label.id ?? '',
      requestBody: { color: { textColor: '#ffffff', backgroundColor: '#000000' } },
    });
    expect(colored.data).toMatchObject({ name: 'Trips', color: { textColor: '#ffffff', backgroundColor: '#000000' } });
  });

  it('system labels cannot be updated, patched or deleted (400); unknown labels are 404; names collide 409', async () => {
    const put = await failure(
      gmail.users.labels.update({ userId: 'me', id: 'INBOX', requestBody: { id: 'INBOX', name: 'Box' } }),
    );
    expect(put.status).toBe(400);
    expect(put.error.errors[0].reason).toBe('invalidArgument');
    expect(
      (await failure(gmail.users.labels.patch({ userId: 'me', id: 'STARRED', requestBody: { name: 'Stars' } }))).status,
    ).toBe(400);
    const del = await failure(gmail.users.labels.delete({ userId: 'me', id: 'TRASH' }));
    expect(del.status).toBe(400);
    expect(del.error.errors[0].reason).toBe('invalidArgument');
    expect((await failure(gmail.users.labels.patch({ userId: 'me', id: 'Label_nope', requestBody: { name: 'X' } }))).status).toBe(
      404,
    );
    expect((await failure(gmail.users.labels.delete({ userId: 'me', id: 'Label_nope' }))).status).toBe(404);

    const { data: one } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Alpha' } });
    const { data: two } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Beta' } });
    const clash = await failure(gmail.users.labels.patch({ userId: 'me', id: two.id ?? '', requestBody: { name: 'alpha' } }));
    expect(clash.status).toBe(409);
    expect(clash.error.errors[0].reason).toBe('duplicate');
    const clashPut = await failure(
      gmail.users.labels.update({ userId: 'me', id: two.id ?? '', requestBody: { id: two.id, name: 'ALPHA' } }),
    );
    expect(clashPut.status).toBe(409);
    // A label keeps its own name under another case without colliding with itself.
    expect((await gmail.users.labels.patch({ userId: 'me', id: one.id ?? '', requestBody: { name: 'ALPHA' } })).data.name).toBe(
      'ALPHA',
    );
    const systemName = await failure(
      gmail.users.labels.patch({ userId: 'me', id: two.id ?? '', requestBody: { name: 'Inbox' } }),
    );
    expect(systemName.status).toBe(409);
  });

  it('labels.delete removes the label from its messages with labelRemoved records, then the label (204)', async () => {
    const { data: label } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Doomed' } });
    const m1 = await insert('Labelled one');
    const m2 = await insert('Labelled two');
    await gmail.users.messages.batchModify({
      userId: 'me',
      requestBody: { ids: [m1.id ?? '', m2.id ?? ''], addLabelIds: [label.id ?? ''] },
    });
    const before = await historyId();
    const res = await gmail.users.labels.delete({ userId: 'me', id: label.id ?? '' });
    expect(res.status).toBe(204);
    const removed = (await historySince(before)).flatMap((h) => h.labelsRemoved ?? []);
    expect(removed.map((r) => [r.message?.id, r.labelIds]).sort()).toEqual(
      [
        [m1.id, [label.id]],
        [m2.id, [label.id]],
      ].sort(),
    );
    const got = await gmail.users.messages.get({ userId: 'me', id: m1.id ?? '', format: 'minimal' });
    expect(got.data.labelIds).toEqual(['INBOX']);
    expect((await failure(gmail.users.labels.get({ userId: 'me', id: label.id ?? '' }))).status).toBe(404);
  });

  it("charges each method the units of Google's usage-limits table", async () => {
    const spent = async (): Promise<number> => (await control(emu, 'GET', '/google/quota')).spent['alice@gmail.test'];
    const cost = async (call: () => Promise<unknown>) => {
      const before = await spent();
      await call();
      return (await spent()) - before;
    };
    const body = { message: { raw: raw('Quota draft') } };
    const draft = (await gmail.users.drafts.create({ userId: 'me', requestBody: body })).data;
    const other = (await gmail.users.drafts.create({ userId: 'me', requestBody: body })).data;
    const t = await thread('Quota thread');
    const { data: label } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Quota label' } });
    const lone = await insert('Quota lone');
    const costs = {
      'drafts.create': await cost(() => gmail.users.drafts.create({ userId: 'me', requestBody: body })),
      'drafts.get': await cost(() => gmail.users.drafts.get({ userId: 'me', id: draft.id ?? '' })),
      'drafts.list': await cost(() => gmail.users.drafts.list({ userId: 'me' })),
      'drafts.update': await cost(() => gmail.users.drafts.update({ userId: 'me', id: draft.id ?? '', requestBody: body })),
      'drafts.send': await cost(() => gmail.users.drafts.send({ userId: 'me', requestBody: { id: draft.id } })),
      'drafts.delete': await cost(() => gmail.users.drafts.delete({ userId: 'me', id: other.id ?? '' })),
      'messages.batchDelete': await cost(() =>
        gmail.users.messages.batchDelete({ userId: 'me', requestBody: { ids: [lone.id ?? ''] } }),
      ),
      'threads.untrash': await cost(() => gmail.users.threads.untrash({ userId: 'me', id: t.threadId })),
      'threads.delete': await cost(() => gmail.users.threads.delete({ userId: 'me', id: t.threadId })),
      'labels.update': await cost(() =>
        gmail.users.labels.update({ userId: 'me', id: label.id ?? '', requestBody: { id: label.id, name: 'Quota label 2' } }),
      ),
      'labels.patch': await cost(() =>
        gmail.users.labels.patch({ userId: 'me', id: label.id ?? '', requestBody: { name: 'Q3' } }),
      ),
      'labels.delete': await cost(() => gmail.users.labels.delete({ userId: 'me', id: label.id ?? '' })),
    };
    expect(costs).toEqual({
      'drafts.create': 10,
      'drafts.get': 5,
      'drafts.list': 5,
      'drafts.update': 15,
      'drafts.send': 100,
      'drafts.delete': 10,
      'messages.batchDelete': 50,
      'threads.untrash': 10,
      'threads.delete': 20,
      'labels.update': 5,
      'labels.patch': 5,
      'labels.delete': 5,
    });
  });
});
