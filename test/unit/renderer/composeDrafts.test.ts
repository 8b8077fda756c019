import { describe, expect, it } from 'vitest';
import { draftFor, invalidAddresses, sendBody, splitAddresses } from '../../../renderer/src/composeDrafts.ts';
import type { Message, Thread } from '../../../shared/api/threads.ts';
import { decodeDraftParam, draftFromJson } from '../../../shared/composeDraft.ts';

function message(overrides: Partial<Message>): Message {
  return {
    id: 'msg_1',
    thread_id: 'thr_9',
    account_id: 'acc',
    provider_message_id: 'p1',
    rfc822_message_id: 'a@b',
    subject: 'Plans',
    from: { name: 'Ann Lee', email: 'ann@example.test' },
    to: [{ name: '', email: 'me@example.test' }],
    cc: [{ name: 'Bo', email: 'bo@example.test' }],
    bcc: [],
    reply_to: [],
    date: '2026-11-20T10:00:00.000Z',
    snippet: '',
    body_text: 'Lunch at noon?\nOr one?',
    body_html: null,
    is_unread: false,
    is_starred: false,
    label_ids: [],
    attachments: [],
    contact_id: null,
    deal_id: null,
    ...overrides,
  };
}

const thread = (messages: Message[]) => ({ id: 'thr_9', messages }) as unknown as Thread;

describe('compose drafts', () => {
  it('answers the message named rather than the newest, and says which', () => {
    const older = message({ id: 'msg_1', from: { name: 'Ann', email: 'ann@example.test' }, body_text: 'First' });
    const newer = message({ id: 'msg_2', from: { name: 'Cy', email: 'cy@example.test' }, body_text: 'Second' });
    const draft = draftFor(thread([older, newer]), 'reply', ['me@example.test'], 'msg_1');
    expect(draft).toMatchObject({ to: ['Ann <ann@example.test>'], threadId: 'thr_9', inReplyTo: 'msg_1' });
    expect(draft.body).toContain('> First');
    const byDefault = draftFor(thread([older, newer]), 'reply', ['me@example.test']);
    expect(byDefault.inReplyTo).toBeUndefined();
    expect(byDefault.body).toContain('> Second');
    expect(sendBody(draft, [])).toMatchObject({ thread_id: 'thr_9', in_reply_to: 'msg_1' });
  });

  it('replies to the sender, quotes the message, and goes into the thread', () => {
    const draft = draftFor(thread([message({})]), 'reply', ['me@example.test']);
    expect(draft).toMatchObject({ to: ['Ann Lee <ann@example.test>'], cc: [], subject: 'Re: Plans', threadId: 'thr_9' });
    expect(draft.body).toContain('Ann Lee <ann@example.test> wrote:\n> Lunch at noon?\n> Or one?');
    expect(draftFor(thread([message({ subject: 'RE: Plans' })]), 'reply', []).subject).toBe('RE: Plans');
  });

  it('replies to all but the user, each once, honouring Reply-To', () => {
    const draft = draftFor(
      thread([
        message({
          reply_to: [{ name: '', email: 'list@example.test' }],
          cc: [
            { name: 'Bo', email: 'bo@example.test' },
            { name: '', email: 'LIST@example.test' },
          ],
        }),
      ]),
      'replyAll',
      ['ME@example.test'],
    );
    expect(draft.to).toEqual(['list@example.test']);
    expect(draft.cc).toEqual(['Bo <bo@example.test>']);
  });

  it('replying to my own message goes to its recipients', () => {
    const mine = message({ from: { name: 'Me', email: 'me@example.test' }, to: [{ name: '', email: 'zoe@example.test' }] });
    expect(draftFor(thread([mine]), 'reply', ['me@example.test']).to).toEqual(['zoe@example.test']);
  });

  it('forwards with the original headers and no thread', () => {
    const draft = draftFor(thread([message({})]), 'forward', []);
    expect(draft).toMatchObject({ to: [], subject: 'Fwd: Plans' });
    expect(draft.threadId).toBeUndefined();
    expect(draft.body).toContain('---------- Forwarded message ---------\nFrom: Ann Lee <ann@example.test>');
  });

  it('splits recipient fields without breaking quoted names, and flags what is not an address', () => {
    expect(splitAddresses('"Doe, Jane" <jane@example.test>; bo@example.test, ,')).toEqual([
      '"Doe, Jane" <jane@example.test>',
      'bo@example.test',
    ]);
    expect(invalidAddresses(['jane@example.test', 'Bo <bo@example.test>', 'bo', 'x@y', '<@example.test>'])).toEqual([
      'bo',
      'x@y',
      '<@example.test>',
    ]);
  });

  it('builds the documented send body', () => {
    expect(
      sendBody({ to: ['a@example.test'], cc: [], bcc: ['b@example.test'], subject: 'S', body: 'B', threadId: 'thr_1' }, [
        { filename: 'a.pdf', mimeType: '', size: 3, contentBase64: 'AAEC' },
      ]),
    ).toEqual({
      to: ['a@example.test'],
      bcc: ['b@example.test'],
      subject: 'S',
      body_text: 'B',
      thread_id: 'thr_1',
      attachments: [{ filename: 'a.pdf', mime_type: 'application/octet-stream', content_base64: 'AAEC' }],
    });
  });

  it("decodes the desktop compose window's draft parameter (UTF-8), and refuses garbage", () => {
    const param = Buffer.from(JSON.stringify({ to: ['ann@example.test'], subject: 'Café', body: 'x', evil: 1 }), 'utf8').toString(
      'base64url',
    );
    expect(decodeDraftParam(param)).toEqual({ to: ['ann@example.test'], cc: [], bcc: [], subject: 'Café', body: 'x' });
    expect(decodeDraftParam('%%%')).toBeNull();
  });

  it('reads a draft sent between the desktop processes as untrusted JSON: known fields of their types only', () => {
    const file = { id: 'att_1', filename: 'a.pdf', mime_type: 'application/pdf', size_bytes: 10 };
    expect(
      draftFromJson({
        to: ['ann@example.test', 7],
        cc: 'bob@example.test',
        subject: 'Re: plans',
        body: '> quoted',
        threadId: 'thr_9',
        inReplyTo: '<m1@example.test>',
        draftId: '0b7f3c3e-9d47-4c3a-8c1e-1f2a3b4c5d6e',
        html: '<p>hi</p>',
        forwardAttachments: [{ ...file, path: '/etc/passwd' }, { id: 'att_2' }, null],
        __proto__: { polluted: true },
      }),
    ).toEqual({
      to: ['ann@example.test'],
      cc: [],
      bcc: [],
      subject: 'Re: plans',
      body: '> quoted',
      threadId: 'thr_9',
      inReplyTo: '<m1@example.test>',
      draftId: '0b7f3c3e-9d47-4c3a-8c1e-1f2a3b4c5d6e',
      html: '<p>hi</p>',
      forwardAttachments: [file],
    });
    for (const bad of [null, 'draft', 42, ['to']]) expect(draftFromJson(bad)).toBeNull();
  });
});

describe('signatures', () => {
  it('puts the signature below a new message, and above the quote of a reply or forward', async () => {
    const { withSignature } = await import('../../../renderer/src/composeDrafts.ts');
    expect(withSignature('', 'Ann\nExample Ltd')).toBe('\n\n-- \nAnn\nExample Ltd');
    expect(withSignature('\n\nOn Mon, Bob wrote:\n> Hi', 'Ann')).toBe('\n\n-- \nAnn\n\nOn Mon, Bob wrote:\n> Hi');
    expect(withSignature('Hello', 'Ann')).toBe('Hello\n\n-- \nAnn');
    expect(withSignature('Thanks!\n\n---------- Forwarded message ---------\nFrom: Bob', 'Ann')).toBe(
      'Thanks!\n\n-- \nAnn\n\n---------- Forwarded message ---------\nFrom: Bob',
    );
    expect(withSignature('\n\nOn Mon, Bob wrote:\n> Hi', '  ')).toBe('\n\nOn Mon, Bob wrote:\n> Hi');
  });

  it("swaps one account's signature for another's when the sender changes, and leaves an edited one alone", async () => {
    const { swapSignature, withSignature } = await import('../../../renderer/src/composeDrafts.ts');
    const body = `Hi Jo${withSignature('', 'Ann at home')}`;
    expect(swapSignature(body, 'Ann at home', 'Ann, Example Ltd')).toBe('Hi Jo\n\n-- \nAnn, Example Ltd');
    expect(swapSignature(body, 'Ann at home', '')).toBe('Hi Jo');
    expect(swapSignature('Hi Jo', '', 'Ann, Example Ltd')).toBe('Hi Jo\n\n-- \nAnn, Example Ltd');
    expect(swapSignature('Hi Jo\n\n-- \nAnn (edited)', 'Ann at home', 'Ann, Example Ltd')).toBe('Hi Jo\n\n-- \nAnn (edited)');
  });
});
