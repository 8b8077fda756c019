import { describe, expect, it } from 'vitest';
import { currentToken, draftFor } from '../../../renderer/src/composeDrafts.ts';
import type { Message, Thread } from '../../../shared/api/threads.ts';

const attachment = (id: string, filename: string, content_id: string | null, is_inline = false) => ({
  id,
  filename,
  mime_type: 'image/png',
  size_bytes: 10,
  content_id,
  is_inline,
  content_available: true,
});

function thread(body_html: string | null, attachments: Message['attachments']): Thread {
  const message: Message = {
    id: 'msg_1',
    thread_id: 'thr_9',
    account_id: 'acc',
    provider_message_id: 'p1',
    rfc822_message_id: 'a@b',
    subject: 'Photos',
    from: { name: 'Ann Lee', email: 'ann@example.test' },
    to: [{ name: '', email: 'me@example.test' }],
    cc: [],
    bcc: [],
    reply_to: [],
    date: '2026-11-20T10:00:00.000Z',
    snippet: '',
    body_text: 'See attached.',
    body_html,
    is_unread: false,
    is_starred: false,
    label_ids: [],
    attachments,
    contact_id: null,
    deal_id: null,
  };
  return { messages: [message] } as unknown as Thread;
}

describe('the address being typed in a recipients field', () => {
  it('is what follows the last separator outside quotes and angle brackets', () => {
    expect(currentToken('da')).toEqual({ before: '', token: 'da' });
    expect(currentToken('"Doe, Jane" <jane@example.test>, bo')).toEqual({
      before: '"Doe, Jane" <jane@example.test>, ',
      token: 'bo',
    });
    expect(currentToken('ann@example.test; Wal')).toEqual({ before: 'ann@example.test, ', token: 'Wal' });
    expect(currentToken('ann@example.test, ')).toEqual({ before: 'ann@example.test, ', token: '' });
    expect(currentToken('"Smith, J')).toEqual({ before: '', token: '"Smith, J' });
  });
});

describe('forwarding', () => {
  it("carries the original's files, not the inline images its HTML shows", () => {
    const draft = draftFor(
      thread('<p>Hi <img src="cid:Logo@x"></p>', [
        attachment('att_1', 'logo.png', 'logo@x', true),
        attachment('att_2', 'photo.png', 'photo@x', true),
        attachment('att_3', 'report.pdf', null),
      ]),
      'forward',
      ['me@example.test'],
    );
    expect(draft.forwardAttachments?.map((a) => a.filename)).toEqual(['photo.png', 'report.pdf']);
    expect(draft.subject).toBe('Fwd: Photos');
    expect(draftFor(thread(null, [attachment('att_3', 'r.pdf', null)]), 'reply', []).forwardAttachments).toBeUndefined();
  });
});
