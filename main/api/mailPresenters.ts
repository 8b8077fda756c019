import type { Message, ThreadSummary } from '../../shared/api/threads.ts';
import { publicId } from '../../shared/ids.ts';
import type { EmailAddress } from '../../shared/mailModel.ts';
import type { AttachmentRow, MessageRow, ThreadRow } from '../db/queries/threadReads.ts';

/** Index rows -> API shapes (shared/api/threads.ts). */
export function presentThreadSummary(row: ThreadRow, labelIds: readonly number[]): ThreadSummary {
  return {
    id: publicId('thr', row.id),
    account_id: row.account_id,
    provider_thread_id: row.remote_id,
    subject: row.subject,
    snippet: row.snippet,
    last_message_at: new Date(row.last_message_at).toISOString(),
    message_count: row.message_count,
    unread_count: row.unread_count,
    has_attachments: row.has_attachments === 1,
    is_starred: row.is_starred === 1,
    participants: JSON.parse(row.participants) as EmailAddress[],
    recipients: ownRecipients(row.own_recipients),
    label_ids: labelIds.map((id) => publicId('lbl', id)),
  };
}

const MAX_RECIPIENTS = 10;

/** The people the account's own messages went to (To, then Cc), each once, in the order first written to. */
function ownRecipients(json: string | null): EmailAddress[] {
  const people = new Map<string, EmailAddress>();
  for (const [to, cc] of JSON.parse(json ?? '[]') as Array<[EmailAddress[], EmailAddress[]]>) {
    for (const person of [...to, ...cc]) {
      const key = person.email.toLowerCase();
      if (people.size >= MAX_RECIPIENTS) return [...people.values()];
      if (!people.has(key)) people.set(key, { name: person.name ?? '', email: person.email });
    }
  }
  return [...people.values()];
}

export function presentMessage(row: MessageRow, labelIds: readonly number[], attachments: readonly AttachmentRow[]): Message {
  return {
    id: publicId('msg', row.id),
    thread_id: publicId('thr', row.thread_id),
    account_id: row.account_id,
    provider_message_id: row.remote_id,
    rfc822_message_id: row.rfc822_message_id,
    subject: row.subject,
    from: row.from_email ? { name: row.from_name, email: row.from_email } : null,
    to: JSON.parse(row.to_json) as EmailAddress[],
    cc: JSON.parse(row.cc_json) as EmailAddress[],
    bcc: JSON.parse(row.bcc_json) as EmailAddress[],
    reply_to: JSON.parse(row.reply_to_json) as EmailAddress[],
    date: new Date(row.sent_at).toISOString(),
    snippet: row.snippet,
    body_text: row.body_text,
    body_html: row.body_html,
    is_unread: row.is_unread === 1,
    is_starred: row.is_starred === 1,
    label_ids: labelIds.map((id) => publicId('lbl', id)),
    attachments: attachments.map((a) => ({
      id: publicId('att', a.id),
      filename: a.filename,
      mime_type: a.mime_type,
      size_bytes: a.size_bytes,
      content_id: a.content_id,
      is_inline: a.is_inline === 1,
      content_available: a.blob_sha256 !== null,
    })),
    contact_id: row.contact_id,
    deal_id: row.deal_id,
  };
}
