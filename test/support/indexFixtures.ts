import type { IndexDb } from '../../main/db/openIndex.ts';
import { ensureAccount } from '../../main/db/queries/accounts.ts';
import { upsertLabel } from '../../main/db/queries/labels.ts';
import type { MessageInput } from '../../main/db/queries/messageWrites.ts';

/** A message input with sensible defaults; tests override what they are about. */
export function messageInput(overrides: Partial<MessageInput> & Pick<MessageInput, 'remoteId'>): MessageInput {
  return {
    threadRemoteId: overrides.remoteId,
    rfc822MessageId: `${overrides.remoteId}@example.test`,
    inReplyTo: null,
    references: [],
    subject: `Subject ${overrides.remoteId}`,
    from: { name: 'Ann Sender', email: 'ann@example.test' },
    to: [{ name: '', email: 'me@example.test' }],
    cc: [],
    bcc: [],
    replyTo: [],
    sentAt: Date.UTC(2026, 0, 1),
    snippet: 'hello',
    bodyText: 'hello world',
    bodyHtml: null,
    sizeBytes: 100,
    isUnread: true,
    isStarred: false,
    isImportant: false,
    isDraft: false,
    rawSha256: null,
    attachments: [],
    labelIds: [],
    ...overrides,
  };
}

/** An account with an inbox and a sent label. */
export function seedAccount(db: IndexDb, email = 'me@example.test') {
  const account = ensureAccount(db, 'gmail', email);
  const inbox = upsertLabel(db, account.id, { remoteId: 'INBOX', name: 'Inbox', kind: 'system', role: 'inbox' });
  const sent = upsertLabel(db, account.id, { remoteId: 'SENT', name: 'Sent', kind: 'system', role: 'sent' });
  return { account, inbox, sent };
}
