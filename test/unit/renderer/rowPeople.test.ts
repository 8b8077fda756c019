import { describe, expect, it } from 'vitest';
import { listsWrittenMail, rowPeople } from '../../../renderer/src/mail/rowPeople.ts';
import type { ThreadSummary } from '../../../shared/api/threads.ts';

const thread = (extra: Partial<ThreadSummary>): ThreadSummary => ({
  id: 'thr_1',
  account_id: 'acc_1',
  provider_thread_id: 'p1',
  subject: 'Plans',
  snippet: '',
  last_message_at: new Date(0).toISOString(),
  message_count: 2,
  unread_count: 0,
  has_attachments: false,
  is_starred: false,
  participants: [{ name: 'Alice Example', email: 'alice@gmail.test' }],
  recipients: [
    { name: 'Bob Jones', email: 'bob@example.test' },
    { name: '', email: 'carol@example.test' },
  ],
  label_ids: [],
  ...extra,
});

describe('whom a list row names', () => {
  it('names the senders in the inbox, and whom it went to in Sent and Drafts, as Gmail does', () => {
    expect(rowPeople(thread({}), false)).toBe('Alice Example');
    expect(rowPeople(thread({}), true)).toBe('To: Bob Jones, carol@example.test');
    expect(rowPeople(thread({ recipients: [] }), true)).toBe('(no recipients)');
    expect(rowPeople(thread({ participants: [] }), false)).toBe('(no sender)');
  });

  it('treats Sent and Drafts (unified or one account) and searches of them as written mail', () => {
    expect(listsWrittenMail({ kind: 'label', label: 'sent', title: 'Sent' })).toBe(true);
    expect(listsWrittenMail({ kind: 'label', label: 'drafts', title: 'Drafts', account: 'acc_1' })).toBe(true);
    expect(listsWrittenMail({ kind: 'label', label: 'inbox', title: 'Inbox' })).toBe(false);
    expect(listsWrittenMail({ kind: 'search', query: 'in:sent bob' })).toBe(true);
    expect(listsWrittenMail({ kind: 'search', query: 'report is:draft' })).toBe(true);
    expect(listsWrittenMail({ kind: 'search', query: '-in:sent bob' })).toBe(false);
    expect(listsWrittenMail({ kind: 'search', query: 'in:sentence' })).toBe(false);
  });
});
