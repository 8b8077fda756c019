import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, control, failure, GMAIL_MODIFY, gmailFor, signIn, start } from './harness.ts';

const FULL = 'https://mail.google.com/';

describe('Gmail API v1 against the corpus mailbox', () => {
  let emu: RunningEmulator;
  let gmail: ReturnType<typeof gmailFor>;
  beforeAll(async () => {
    emu = await start({ serviceOptions: { google: { quotaEnabled: false } } });
    gmail = gmailFor(emu, await signIn(emu, [FULL]));
  });
  afterAll(() => emu.stop());

  it('getProfile reports totals and the historyId', async () => {
    const { data } = await gmail.users.getProfile({ userId: 'me' });
    expect(data.emailAddress).toBe('alice@gmail.test');
    expect(data.messagesTotal).toBe(6049);
    expect(Number(data.threadsTotal)).toBeLessThan(6049);
    expect(Number(data.historyId)).toBeGreaterThan(0);
  });

  it('labels list/get/create', async () => {
    const { data } = await gmail.users.labels.list({ userId: 'me' });
    expect(data.labels?.map((l) => l.id)).toEqual(
      expect.arrayContaining(['INBOX', 'SPAM', 'TRASH', 'UNREAD', 'CATEGORY_UPDATES', 'Label_1']),
    );
    const inbox = await gmail.users.labels.get({ userId: 'me', id: 'INBOX' });
    expect(inbox.data.messagesTotal).toBeGreaterThan(1000);
    const created = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Projects' } });
    expect(created.data.id).toMatch(/^Label_/);
    expect((await failure(gmail.users.labels.create({ userId: 'me', requestBody: { name: 'projects' } }))).status).toBe(409);
    expect((await failure(gmail.users.labels.get({ userId: 'me', id: 'Label_nope' }))).error.errors[0].reason).toBe('notFound');
  });

  it('messages.list pages with maxResults and pageToken, excludes spam/trash by default', async () => {
    const first = await gmail.users.messages.list({ userId: 'me', maxResults: 500 });
    expect(first.data.messages).toHaveLength(500);
    expect(first.data.messages?.[0]?.id).toMatch(/^[0-9a-f]{16}$/);
    const second = await gmail.users.messages.list({ userId: 'me', maxResults: 500, pageToken: first.data.nextPageToken ?? '' });
    expect(second.data.messages?.[0]?.id).not.toBe(first.data.messages?.[0]?.id);
    const dflt = await gmail.users.messages.list({ userId: 'me' });
    expect(dflt.data.messages).toHaveLength(100);
    const spam = await gmail.users.messages.list({ userId: 'me', labelIds: ['SPAM'], maxResults: 1 });
    expect(spam.data.resultSizeEstimate).toBeGreaterThan(1000);
    const all = await gmail.users.messages.list({ userId: 'me', includeSpamTrash: true, maxResults: 1 });
    expect(all.data.resultSizeEstimate).toBe(6049);
  });

  it('supports a useful q subset', async () => {
    const unread = await gmail.users.messages.list({ userId: 'me', q: 'is:unread', maxResults: 500 });
    expect(unread.data.resultSizeEstimate).toBeGreaterThan(100);
    const att = await gmail.users.messages.list({ userId: 'me', q: 'has:attachment subject:archive' });
    expect(att.data.resultSizeEstimate).toBe(3);
    const msgid = await gmail.users.messages.list({ userId: 'me', q: 'rfc822msgid:large-1@example.org' });
    expect(msgid.data.messages).toHaveLength(1);
    const dated = await gmail.users.messages.list({ userId: 'me', q: 'after:2002/10/02 before:2002/10/03 subject:archive' });
    expect(dated.data.resultSizeEstimate).toBe(1);
  });

  it("keeps an 8-bit ISO-8859-1 corpus message's bytes (raw and the part's body data)", async () => {
    const list = await gmail.users.messages.list({
      userId: 'me',
      q: 'rfc822msgid:E17ytUl-0005ta-00@rhenium.btinternet.com',
      includeSpamTrash: true,
    });
    const id = list.data.messages?.[0]?.id ?? '';
    const raw = await gmail.users.messages.get({ userId: 'me', id, format: 'raw' });
    const bytes = Buffer.from(raw.data.raw ?? '', 'base64url');
    expect(bytes.includes(Buffer.from('Ananova:\xa0', 'latin1'))).toBe(true);
    const full = await gmail.users.messages.get({ userId: 'me', id, format: 'full' });
    const body = Buffer.from(full.data.payload?.body?.data ?? '', 'base64url');
    expect(body.includes(Buffer.from('Ananova:\xa0', 'latin1'))).toBe(true);
  });

  it('messages.get in raw, full, metadata and minimal formats; attachments.get', async () => {
    const { data: list } = await gmail.users.messages.list({ userId: 'me', q: 'rfc822msgid:large-0@example.org' });
    const id = list.messages?.[0]?.id ?? '';
    const full = await gmail.users.messages.get({ userId: 'me', id, format: 'full' });
    expect(full.data.payload?.mimeType).toBe('multipart/mixed');
    const [text, file] = full.data.payload?.parts ?? [];
    expect(text?.partId).toBe('0');
    expect(Buffer.from(text?.body?.data ?? '', 'base64url').toString()).toContain('archive for this quarter');
    expect(file?.filename).toBe('archive-1.bin');
    expect(file?.body?.size).toBe(1024 * 1024);
    const att = await gmail.users.messages.attachments.get({ userId: 'me', messageId: id, id: file?.body?.attachmentId ?? '' });
    expect(Buffer.from(att.data.data ?? '', 'base64url').length).toBe(1024 * 1024);
    const raw = await gmail.users.messages.get({ userId: 'me', id, format: 'raw' });
    expect(Buffer.from(raw.data.raw ?? '', 'base64url').toString()).toContain('Message-ID: <large-0@example.org>');
    const meta = await gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: ['Subject'] });
    expect(meta.data.payload?.headers).toEqual([{ name: 'Subject', value: 'Quarterly archive 1' }]);
    const min = await gmail.users.messages.get({ userId: 'me', id, format: 'minimal' });
    expect(min.data.payload).toBeUndefined();
    expect(min.data.labelIds).toContain('INBOX');
    // Gmail ids are signed 64-bit hex: parsable but unknown -> 404, unparsable -> 400 "Invalid id value".
    expect((await failure(gmail.users.messages.get({ userId: 'me', id: '7fffffffffffffff' }))).status).toBe(404);
    expect((await failure(gmail.users.messages.get({ userId: 'me', id: 'ffffffffffffffff' }))).status).toBe(400);
  });

  it('builds payload trees for every corpus message without failing', async () => {
    const { data } = await gmail.users.messages.list({ userId: 'me', includeSpamTrash: true, maxResults: 60, q: 'is:unread' });
    for (const m of data.messages ?? []) {
      const got = await gmail.users.messages.get({ userId: 'me', id: m.id ?? '' });
      expect(got.data.payload?.headers?.length).toBeGreaterThan(0);
    }
  });

  it('threads list/get/modify/trash', async () => {
    const { data } = await gmail.users.threads.list({ userId: 'me', maxResults: 50 });
    expect(data.threads).toHaveLength(50);
    const multi = [] as string[];
    for (const t of data.threads ?? []) {
      const got = await gmail.users.threads.get({ userId: 'me', id: t.id ?? '', format: 'minimal' });
      if ((got.data.messages?.length ?? 0) > 1) multi.push(t.id ?? '');
    }
    expect(multi.length).toBeGreaterThan(0);
    const modified = await gmail.users.threads.modify({
      userId: 'me',
      id: multi[0] ?? '',
      requestBody: { addLabelIds: ['STARRED'] },
    });
    expect(modified.data.messages?.every((m) => m.labelIds?.includes('STARRED'))).toBe(true);
    const trashed = await gmail.users.threads.trash({ userId: 'me', id: multi[0] ?? '' });
    expect(trashed.data.messages?.every((m) => m.labelIds?.includes('TRASH'))).toBe(true);
  });

  it('send threads a reply only with threadId + References + same subject; history records every change', async () => {
    const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId ?? '';
    const root = Buffer.from(
      'To: bob@example.com\r\nSubject: Lunch plans\r\nMessage-ID: <lunch-1@outpost.test>\r\n\r\nNoon?\r\n',
    ).toString('base64url');
    const sent = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: root } });
    expect(sent.data.labelIds).toEqual(['SENT']);
    const reply = Buffer.from(
      'To: bob@example.com\r\nSubject: Re: Lunch plans\r\nIn-Reply-To: <lunch-1@outpost.test>\r\nReferences: <lunch-1@outpost.test>\r\n\r\nOr one?\r\n',
    ).toString('base64url');
    const threaded = await gmail.users.messages.send({
      userId: 'me',
      requestBody: { raw: reply, threadId: sent.data.threadId ?? '' },
    });
    expect(threaded.data.threadId).toBe(sent.data.threadId);
    const otherSubject = Buffer.from(
      'To: bob@example.com\r\nSubject: Something else\r\nReferences: <lunch-1@outpost.test>\r\n\r\nx\r\n',
    ).toString('base64url');
    const split = await gmail.users.messages.send({
      userId: 'me',
      requestBody: { raw: otherSubject, threadId: sent.data.threadId ?? '' },
    });
    expect(split.data.threadId).not.toBe(sent.data.threadId);
    await gmail.users.messages.modify({ userId: 'me', id: sent.data.id ?? '', requestBody: { addLabelIds: ['STARRED'] } });
    await gmail.users.messages.trash({ userId: 'me', id: split.data.id ?? '' });
    await gmail.users.messages.untrash({ userId: 'me', id: split.data.id ?? '' });
    await gmail.users.messages.delete({ userId: 'me', id: split.data.id ?? '' });
    const inserted = await gmail.users.messages.insert({ userId: 'me', requestBody: { raw: root, labelIds: ['INBOX'] } });
    await gmail.users.messages.batchModify({
      userId: 'me',
      requestBody: { ids: [inserted.data.id ?? ''], removeLabelIds: ['INBOX'] },
    });
    const h = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
    const kinds = (h.data.history ?? []).flatMap((r) => Object.keys(r).filter((k) => k !== 'id' && k !== 'messages'));
    expect(kinds).toEqual([
      'messagesAdded',
      'messagesAdded',
      'messagesAdded',
      'labelsAdded',
      'labelsAdded',
      'labelsRemoved',
      'messagesDeleted',
      'messagesAdded',
      'labelsRemoved',
    ]);
    const ids = (h.data.history ?? []).map((r) => Number(r.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const onlyAdded = await gmail.users.history.list({
      userId: 'me',
      startHistoryId: start,
      historyTypes: ['messageAdded'],
      maxResults: 2,
    });
    expect(onlyAdded.data.history).toHaveLength(2);
    expect(onlyAdded.data.nextPageToken).toBeTruthy();
  });

  it('history.list answers 404 when startHistoryId is older than the retained window', async () => {
    const before = (await gmail.users.getProfile({ userId: 'me' })).data.historyId ?? '';
    await control(emu, 'POST', '/google/users/alice@gmail.test/history/expire');
    await control(
      emu,
      'POST',
      '/google/users/alice@gmail.test/threads/' +
        (await gmail.users.threads.list({ userId: 'me', maxResults: 1 })).data.threads?.[0]?.id +
        '/reply',
      { body: 'new' },
    );
    const gone = await failure(gmail.users.history.list({ userId: 'me', startHistoryId: String(Number(before) - 1) }));
    expect(gone.status).toBe(404);
    expect(gone.error.errors[0].reason).toBe('notFound');
  });

  it('control changes show up in history and the snapshot', async () => {
    const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId ?? '';
    const added = await control(emu, 'POST', '/google/users/alice@gmail.test/messages', {
      raw: 'From: x@example.com\r\nTo: alice@gmail.test\r\nSubject: hi\r\n\r\nhello\r\n',
    });
    const h = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'] });
    expect(h.data.history?.[0]?.messagesAdded?.[0]?.message?.id).toBe(added.id);
    const snap = await control(emu, 'GET', '/snapshot');
    expect(snap.google['alice@gmail.test'].messages.find((m: { id: string }) => m.id === added.id).labelIds).toEqual([
      'INBOX',
      'UNREAD',
    ]);
  });

  it('bad input: invalid labels, bad format, empty raw', async () => {
    const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 1 });
    const id = data.messages?.[0]?.id ?? '';
    expect(
      (await failure(gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['NOPE'] } }))).status,
    ).toBe(400);
    expect((await failure(gmail.users.messages.get({ userId: 'me', id, format: 'weird' }))).status).toBe(400);
    expect((await failure(gmail.users.messages.send({ userId: 'me', requestBody: {} }))).status).toBe(400);
    const res = await fetch(`${emu.baseUrl}/gmail/v1/users/me/nothing-here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as AnyJson).error.code).toBe(404);
  });

  it('gmail.modify cannot delete permanently (needs https://mail.google.com/)', async () => {
    const limited = gmailFor(emu, await signIn(emu, [GMAIL_MODIFY]));
    const { data } = await limited.users.messages.list({ userId: 'me', maxResults: 1 });
    expect((await failure(limited.users.messages.delete({ userId: 'me', id: data.messages?.[0]?.id ?? '' }))).status).toBe(403);
  });

  it('pretty-prints JSON by default and answers compact JSON for prettyPrint=false', async () => {
    const auth = await signIn(emu, [FULL]);
    const headers = { authorization: `Bearer ${auth.credentials.access_token}` };
    const pretty = await (await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers })).text();
    const compact = await (await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile?prettyPrint=false`, { headers })).text();
    expect(pretty).toContain('\n  "emailAddress": "alice@gmail.test"');
    expect(compact).not.toContain('\n');
    expect(JSON.parse(compact)).toEqual(JSON.parse(pretty));
  });
});
