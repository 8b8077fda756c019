/** Base64url padding as Gmail sends it (and the switch), modify's answer, prettyPrint=false on errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, control, type gmailFor as GmailFor, gmailFor, signIn, start } from './harness.ts';

const FULL = 'https://mail.google.com/';
type Gmail = ReturnType<typeof GmailFor>;

/** Every body.data in a payload tree. */
function bodyData(part: AnyJson): string[] {
  return [...(part.body?.data ? [part.body.data as string] : []), ...(part.parts ?? []).flatMap(bodyData)];
}

/** RFC 4648 §5 base64url, strictly: with padding it must be a multiple of 4 long; without, no `=` at all. */
const PADDED = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;
const UNPADDED = /^[A-Za-z0-9_-]*$/;

describe('Gmail base64url padding, modify answer, prettyPrint on errors', () => {
  let emu: RunningEmulator;
  let gmail: Gmail;
  let token: string;
  /** A message with an attachment and text parts whose lengths are not all multiples of 3. */
  let withAttachment: string;
  beforeAll(async () => {
    emu = await start({ serviceOptions: { google: { quotaEnabled: false } } });
    const auth = await signIn(emu, [FULL]);
    token = auth.credentials.access_token ?? '';
    gmail = gmailFor(emu, auth);
    const { data } = await gmail.users.messages.list({ userId: 'me', q: 'has:attachment', maxResults: 1 });
    withAttachment = data.messages?.[0]?.id ?? '';
  });
  afterAll(() => emu.stop());

  async function encodedFields(id: string) {
    const raw = (await gmail.users.messages.get({ userId: 'me', id, format: 'raw' })).data.raw ?? '';
    const full = (await gmail.users.messages.get({ userId: 'me', id, format: 'full' })).data;
    const att = JSON.stringify(full.payload).match(/"attachmentId":"([^"]+)"/)?.[1] ?? '';
    const attData = (await gmail.users.messages.attachments.get({ userId: 'me', messageId: id, id: att })).data.data ?? '';
    const thread = (await gmail.users.threads.get({ userId: 'me', id: full.threadId ?? '', format: 'full' })).data;
    const threadData = (thread.messages ?? []).flatMap((m) => bodyData(m.payload));
    return { raw, data: bodyData(full.payload), attData, threadData };
  }

  /** Enough messages that some raw sizes are not multiples of 3 (so padding shows). */
  async function someIds(n: number): Promise<string[]> {
    const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: n });
    return (data.messages ?? []).map((m) => m.id ?? '');
  }

  it('by default pads raw (as Gmail) and leaves body.data and attachment data unpadded', async () => {
    expect(await control(emu, 'GET', '/google/encoding')).toEqual({ rawPadded: true, dataPadded: false });
    let paddedSeen = 0;
    for (const id of await someIds(12)) {
      const raw = (await gmail.users.messages.get({ userId: 'me', id, format: 'raw' })).data.raw ?? '';
      expect(raw).toMatch(PADDED);
      expect(raw.length % 4).toBe(0);
      if (raw.endsWith('=')) paddedSeen++;
    }
    expect(paddedSeen).toBeGreaterThan(0);
    const f = await encodedFields(withAttachment);
    expect(f.raw.length % 4).toBe(0);
    expect([...f.data, f.attData, ...f.threadData].every((d) => UNPADDED.test(d))).toBe(true);
    expect([...f.data, f.attData].some((d) => d.length % 4 !== 0)).toBe(true);
  });

  it('POST /_control/google/encoding switches padding for raw and for data, each decoding to the same bytes', async () => {
    const before = await encodedFields(withAttachment);
    expect(await control(emu, 'POST', '/google/encoding', { padding: false })).toEqual({ rawPadded: false, dataPadded: false });
    const none = await encodedFields(withAttachment);
    expect(await control(emu, 'POST', '/google/encoding', { padding: true })).toEqual({ rawPadded: true, dataPadded: true });
    const all = await encodedFields(withAttachment);
    await control(emu, 'POST', '/google/encoding', { rawPadding: true, dataPadding: false });
    expect(none.raw).toMatch(UNPADDED);
    for (const d of [all.raw, ...all.data, all.attData, ...all.threadData]) expect(d).toMatch(PADDED);
    for (const d of [all.raw, ...all.data, all.attData, ...all.threadData]) expect(d.length % 4).toBe(0);
    const bytes = (s: string) => Buffer.from(s, 'base64url').toString('hex');
    expect(bytes(none.raw)).toBe(bytes(before.raw));
    expect(bytes(all.raw)).toBe(bytes(before.raw));
    expect(all.data.map(bytes)).toEqual(before.data.map(bytes));
    expect(bytes(all.attData)).toBe(bytes(before.attData));
  });

  it('accepts raw padded or unpadded (and standard-alphabet) on insert and send', async () => {
    // 1 and 2 bytes beyond a multiple of 3: the padded forms end in "==" and "=".
    const base = 'To: bob@gmail.test\r\nSubject: pad\r\n\r\nbody';
    for (const rest of [1, 2]) {
      const extra = 'x'.repeat((rest - ((base.length + 2) % 3) + 3) % 3 || 3);
      const mime = Buffer.from(`${base}${extra}\r\n`);
      expect(mime.length % 3).toBe(rest);
      const unpadded = mime.toString('base64url');
      const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
      expect(padded).not.toBe(unpadded);
      for (const raw of [padded, unpadded, mime.toString('base64')]) {
        const inserted = await gmail.users.messages.insert({ userId: 'me', requestBody: { raw, labelIds: ['INBOX'] } });
        const sent = await gmail.users.messages.send({ userId: 'me', requestBody: { raw } });
        const back = await gmail.users.messages.get({ userId: 'me', id: inserted.data.id ?? '', format: 'raw' });
        expect(Buffer.from(back.data.raw ?? '', 'base64url').equals(mime)).toBe(true);
        const sentBack = await gmail.users.messages.get({ userId: 'me', id: sent.data.id ?? '', format: 'raw' });
        expect(Buffer.from(sentBack.data.raw ?? '', 'base64url').toString()).toContain(`body${extra}`);
      }
    }
  });

  it('messages.modify answers the Message with exactly id, threadId and labelIds', async () => {
    const [id] = await someIds(1);
    const res = await fetch(`${emu.baseUrl}/gmail/v1/users/me/messages/${id}/modify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ addLabelIds: ['STARRED'] }),
    });
    const body = (await res.json()) as AnyJson;
    expect(res.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['id', 'labelIds', 'threadId']);
    expect(body.id).toBe(id);
    expect(body.labelIds).toContain('STARRED');
  });

  it('errors (handler, auth, unknown method, injected fault, batch part) are compact JSON with prettyPrint=false', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const urls: Array<[string, RequestInit]> = [
      [`${emu.baseUrl}/gmail/v1/users/me/messages/0123456789abcdef?format=raw`, { headers: auth }],
      [`${emu.baseUrl}/gmail/v1/users/me/profile`, {}],
      [`${emu.baseUrl}/gmail/v1/users/me/nothing-here`, { headers: auth }],
      [`${emu.baseUrl}/gmail/v1/users/me/labels`, { headers: auth }],
    ];
    await control(emu, 'POST', '/faults', { fault: { endpoint: 'gmail.users.labels.list', kind: 'status', status: 503 } });
    for (const [url, init] of urls) {
      const pretty = await fetch(url, init);
      const prettyText = await pretty.text();
      expect(pretty.status).toBeGreaterThanOrEqual(400);
      expect(prettyText).toContain('\n  "error": {');
      const sep = url.includes('?') ? '&' : '?';
      const compact = await fetch(`${url}${sep}prettyPrint=false`, init);
      const compactText = await compact.text();
      expect(compact.status).toBe(pretty.status);
      expect(compactText).not.toContain('\n');
      expect(JSON.parse(compactText).error.code).toBe(pretty.status);
      if (url.endsWith('/labels'))
        await control(emu, 'POST', '/faults', { fault: { endpoint: 'gmail.users.labels.list', kind: 'status', status: 503 } });
    }
    await control(emu, 'DELETE', '/faults');
    const boundary = 'b0und';
    const part = (path: string) =>
      `--${boundary}\r\nContent-Type: application/http\r\n\r\nGET /gmail/v1/users/me/messages/${path}\r\n\r\n`;
    const batch = await fetch(`${emu.baseUrl}/batch/gmail/v1`, {
      method: 'POST',
      headers: { ...auth, 'content-type': `multipart/mixed; boundary=${boundary}` },
      body: `${part('0123456789abcdef?prettyPrint=false')}${part('0123456789abcdef')}--${boundary}--\r\n`,
    });
    const text = await batch.text();
    expect(text).toContain('{"error":{"code":404');
    expect(text).toContain('{\n  "error": {\n    "code": 404');
  });
});
