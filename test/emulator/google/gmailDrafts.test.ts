/**
 * Gmail users.drafts.* through @googleapis/gmail: list (maxResults, pageToken, q, includeSpamTrash),
 * get in each format, create, update (a new message replaces the draft's), delete, send (the draft and its
 * message are deleted, a new SENT message is added), each with the history records Gmail writes, and the
 * documented errors: unknown draft 404, no recipients 400, missing raw 400, scopes 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, failure, GMAIL_MODIFY, gmailFor, signIn, start } from './harness.ts';

const COMPOSE = 'https://www.googleapis.com/auth/gmail.compose';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const LABELS = 'https://www.googleapis.com/auth/gmail.labels';

function raw(headers: Record<string, string>, body = 'Draft body.'): string {
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return Buffer.from(`${head}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`).toString('base64url');
}

describe('Gmail drafts', () => {
  let emu: RunningEmulator;
  let gmail: ReturnType<typeof gmailFor>;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' }, serviceOptions: { google: { quotaEnabled: false } } });
    gmail = gmailFor(emu, await signIn(emu, [GMAIL_MODIFY]));
  });
  afterAll(() => emu.stop());

  const historySince = async (startHistoryId: string) =>
    (await gmail.users.history.list({ userId: 'me', startHistoryId })).data.history ?? [];
  const historyId = async () => (await gmail.users.getProfile({ userId: 'me' })).data.historyId ?? '';

  it('create gives the message the DRAFT label and records messageAdded', async () => {
    const before = await historyId();
    const { data } = await gmail.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw({ To: 'carol@example.com', Subject: 'Plans' }) } },
    });
    expect(data.id).toMatch(/^r-?\d+$/);
    expect(data.message).toMatchObject({ labelIds: ['DRAFT'] });
    expect(data.message?.id).toMatch(/^[0-9a-f]{16}$/);
    const history = await historySince(before);
    expect(history).toHaveLength(1);
    expect(history[0]?.messagesAdded?.[0]?.message).toMatchObject({ id: data.message?.id, labelIds: ['DRAFT'] });
    // The draft's message is a message like any other: messages.get finds it, labelIds DRAFT lists it.
    const msg = await gmail.users.messages.get({ userId: 'me', id: data.message?.id ?? '', format: 'metadata' });
    expect(msg.data.labelIds).toEqual(['DRAFT']);
    const listed = await gmail.users.messages.list({ userId: 'me', labelIds: ['DRAFT'] });
    expect(listed.data.messages?.map((m) => m.id)).toContain(data.message?.id);
    // history.list with labelId DRAFT keeps the record (its message carries the label).
    const drafts = await gmail.users.history.list({ userId: 'me', startHistoryId: before, labelId: 'DRAFT' });
    expect(drafts.data.history?.[0]?.messagesAdded?.[0]?.message?.id).toBe(data.message?.id);
    const inbox = await gmail.users.history.list({ userId: 'me', startHistoryId: before, labelId: 'INBOX' });
    expect(inbox.data.history).toBeUndefined();
  });

  it('get answers the draft in every format; an unknown draft is 404', async () => {
    const { data: created } = await gmail.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw({ To: 'dave@example.com', Subject: 'Formats' }, 'Format check.') } },
    });
    const id = created.id ?? '';
    const full = await gmail.users.drafts.get({ userId: 'me', id });
    expect(full.data.id).toBe(id);
    expect(full.data.message?.payload?.headers).toEqual(expect.arrayContaining([{ name: 'Subject', value: 'Formats' }]));
    const rawView = await gmail.users.drafts.get({ userId: 'me', id, format: 'raw' });
    expect(Buffer.from(rawView.data.message?.raw ?? '', 'base64url').toString()).toContain('Format check.');
    const minimal = await gmail.users.drafts.get({ userId: 'me', id, format: 'minimal' });
    expect(minimal.data.message?.payload).toBeUndefined();
    expect(minimal.data.message?.labelIds).toEqual(['DRAFT']);
    const metadata = await gmail.users.drafts.get({ userId: 'me', id, format: 'metadata' });
    expect(metadata.data.message?.payload?.headers?.length).toBeGreaterThan(0);
    const badFormat = await failure(gmail.users.drafts.get({ userId: 'me', id, format: 'nope' }));
    expect(badFormat.status).toBe(400);
    const missing = await failure(gmail.users.drafts.get({ userId: 'me', id: 'r1234567890' }));
    expect(missing.status).toBe(404);
    expect(missing.error.errors[0].reason).toBe('notFound');
  });

  it('list pages with maxResults/pageToken, filters with q and leaves trashed drafts out unless asked', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { data } = await gmail.users.drafts.create({
        userId: 'me',
        requestBody: { message: { raw: raw({ To: 'erin@example.com', Subject: `Paged ${i}` }) } },
      });
      ids.push(data.id ?? '');
    }
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await gmail.users.drafts.list({ userId: 'me', maxResults: 2, pageToken });
      for (const d of data.drafts ?? []) {
        // The list's Message carries only id and threadId (ListDraftsResponse's description).
        expect(Object.keys(d.message ?? {}).sort()).toEqual(['id', 'threadId']);
        seen.push(d.id ?? '');
      }
      pageToken = data.nextPageToken ?? undefined;
      pages++;
    } while (pageToken);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(new Set(seen).size).toBe(seen.length);

    const q = await gmail.users.drafts.list({ userId: 'me', q: 'subject:"Paged 3"' });
    expect(q.data.drafts?.map((d) => d.id)).toEqual([ids[3]]);
    expect(q.data.resultSizeEstimate).toBe(1);

    const draft = await gmail.users.drafts.get({ userId: 'me', id: ids[4] ?? '', format: 'minimal' });
    await gmail.users.messages.trash({ userId: 'me', id: draft.data.message?.id ?? '' });
    const plain = await gmail.users.drafts.list({ userId: 'me', maxResults: 500 });
    expect(plain.data.drafts?.map((d) => d.id)).not.toContain(ids[4]);
    const withTrash = await gmail.users.drafts.list({ userId: 'me', maxResults: 500, includeSpamTrash: true });
    expect(withTrash.data.drafts?.map((d) => d.id)).toContain(ids[4]);
    const none = await gmail.users.drafts.list({ userId: 'me', q: 'subject:nothing-like-this' });
    expect(none.data.drafts).toBeUndefined();
    expect(none.data.resultSizeEstimate).toBe(0);
  });

  it("update replaces the draft's message with a new one (messageDeleted + messageAdded), keeping the draft id", async () => {
    const { data: created } = await gmail.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw({ To: 'frank@example.com', Subject: 'First words' }) } },
    });
    const before = await historyId();
    const { data: updated } = await gmail.users.drafts.update({
      userId: 'me',
      id: created.id ?? '',
      requestBody: { message: { raw: raw({ To: 'frank@example.com', Subject: 'Second words' }, 'Better.') } },
    });
    expect(updated.id).toBe(created.id);
    expect(updated.message?.id).not.toBe(created.message?.id);
    expect(updated.message?.labelIds).toEqual(['DRAFT']);
    const gone = await failure(gmail.users.messages.get({ userId: 'me', id: created.message?.id ?? '' }));
    expect(gone.status).toBe(404);
    const history = await historySince(before);
    expect(history.flatMap((h) => h.messagesDeleted ?? []).map((r) => r.message?.id)).toEqual([created.message?.id]);
    expect(history.flatMap((h) => h.messagesAdded ?? []).map((r) => r.message?.id)).toEqual([updated.message?.id]);
    const got = await gmail.users.drafts.get({ userId: 'me', id: created.id ?? '', format: 'raw' });
    expect(Buffer.from(got.data.message?.raw ?? '', 'base64url').toString()).toContain('Subject: Second words');
    const unknown = await failure(
      gmail.users.drafts.update({ userId: 'me', id: 'r42', requestBody: { message: { raw: raw({ To: 'x@example.com' }) } } }),
    );
    expect(unknown.status).toBe(404);
    const noRaw = await failure(gmail.users.drafts.update({ userId: 'me', id: created.id ?? '', requestBody: {} }));
    expect(noRaw.status).toBe(400);
  });

  it('send deletes the draft and its message and adds a new SENT message in the same thread', async () => {
    const { data: created } = await gmail.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw({ To: 'gina@example.com', Subject: 'Off it goes' }) } },
    });
    const before = await historyId();
    const { data: sent } = await gmail.users.drafts.send({ userId: 'me', requestBody: { id: created.id } });
    // Google's drafts guide: "a new message with an updated ID is created with the SENT system label".
    expect(sent.id).not.toBe(created.message?.id);
    expect(sent.threadId).toBe(created.message?.threadId);
    expect(sent.labelIds).toEqual(['SENT']);
    const history = await historySince(before);
    expect(history.flatMap((h) => h.messagesDeleted ?? []).map((r) => r.message?.id)).toEqual([created.message?.id]);
    expect(history.flatMap((h) => h.messagesAdded ?? []).map((r) => r.message)).toEqual([
      { id: sent.id, threadId: sent.threadId, labelIds: ['SENT'] },
    ]);
    expect((await failure(gmail.users.messages.get({ userId: 'me', id: created.message?.id ?? '' }))).status).toBe(404);
    expect((await failure(gmail.users.drafts.get({ userId: 'me', id: created.id ?? '' }))).status).toBe(404);
    const again = await failure(gmail.users.drafts.send({ userId: 'me', requestBody: { id: created.id } }));
    expect(again.status).toBe(404);
    const msg = await gmail.users.messages.get({ userId: 'me', id: sent.id ?? '', format: 'raw' });
    expect(Buffer.from(msg.data.raw ?? '', 'base64url').toString()).toMatch(/^Message-ID: </im);
  });

  it('send with a new message sends that content; a draft without recipients is 400 and stays a draft', async () => {
    const { data: created } = await gmail.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw({ Subject: 'Nobody yet' }) } },
    });
    const refused = await failure(gmail.users.drafts.send({ userId: 'me', requestBody: { id: created.id } }));
    expect(refused.status).toBe(400);
    expect(refused.error).toMatchObject({
      message: 'Recipient address required',
      errors: [{ reason: 'invalidArgument' }],
      status: 'INVALID_ARGUMENT',
    });
    expect(
      (await gmail.users.drafts.get({ userId: 'me', id: created.id ?? '', format: 'minimal' })).data.message?.labelIds,
    ).toEqual(['DRAFT']);
    const { data: sent } = await gmail.users.drafts.send({
      userId: 'me',
      requestBody: { id: created.id, message: { raw: raw({ To: 'hank@example.com', Subject: 'Somebody now' }) } },
    });
    expect(sent.labelIds).toEqual(['SENT']);
    const got = await gmail.users.messages.get({
      userId: 'me',
      id: sent.id ?? '',
      format: 'metadata',
      metadataHeaders: ['Subject'],
    });
    expect(got.data.payload?.headers).toEqual([{ name: 'Subject', value: 'Somebody now' }]);
    const noId = await failure(gmail.users.drafts.send({ userId: 'me', requestBody: {} }));
    expect(noId.status).toBe(400);
  });

  it('a reply draft joins its thread (threadId honoured as messages.send does)', async () => {
    const { data: first } = await gmail.users.messages.send({
      userId: 'me',
      requestBody: { raw: raw({ To: 'ivy@example.com', Subject: 'Thread me', 'Message-ID': '<thread-me@example.com>' }) },
    });
    const { data: reply } = await gmail.users.drafts.create({
      userId: 'me',
      requestBody: {
        message: {
          threadId: first.threadId,
          raw: raw({ To: 'ivy@example.com', Subject: 'Re: Thread me', 'In-Reply-To': '<thread-me@example.com>' }),
        },
      },
    });
    expect(reply.message?.threadId).toBe(first.threadId);
  });

  it('delete removes the draft and its message (messageDeleted); a second delete is 404', async () => {
    const { data: created } = await gmail.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw({ To: 'jon@example.com', Subject: 'Never mind' }) } },
    });
    const before = await historyId();
    const res = await gmail.users.drafts.delete({ userId: 'me', id: created.id ?? '' });
    expect(res.status).toBe(204);
    const history = await historySince(before);
    expect(history.flatMap((h) => h.messagesDeleted ?? []).map((r) => r.message?.id)).toEqual([created.message?.id]);
    expect((await failure(gmail.users.drafts.delete({ userId: 'me', id: created.id ?? '' }))).status).toBe(404);
  });

  it('checks the scopes the discovery document lists: readonly reads drafts but cannot write them', async () => {
    const reader = gmailFor(emu, await signIn(emu, [READONLY]));
    expect((await reader.users.drafts.list({ userId: 'me' })).status).toBe(200);
    const denied = await failure(
      reader.users.drafts.create({ userId: 'me', requestBody: { message: { raw: raw({ To: 'k@example.com' }) } } }),
    );
    expect(denied.status).toBe(403);
    expect(denied.error.errors[0].reason).toBe('insufficientPermissions');
    const composer = gmailFor(emu, await signIn(emu, [COMPOSE]));
    const { data } = await composer.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw({ To: 'k@example.com', Subject: 'Compose scope' }) } },
    });
    expect((await composer.users.drafts.get({ userId: 'me', id: data.id ?? '' })).status).toBe(200);
    const labelsOnly = gmailFor(emu, await signIn(emu, [LABELS]));
    expect((await failure(labelsOnly.users.drafts.list({ userId: 'me' }))).status).toBe(403);
  });

  it('answers a draft create without a message 400', async () => {
    const res: AnyJson = await failure(gmail.users.drafts.create({ userId: 'me', requestBody: {} }));
    expect(res.status).toBe(400);
    expect(res.error.errors[0].reason).toBe('invalidArgument');
  });
});
