import type { MailSender } from '../accountProvider.ts';
import { classifyGoogleFailure } from './gmailErrors.ts';
import type { GmailSession } from './gmailSession.ts';

const SEND_UNITS = 100;

/**
 * Sends through users.messages.send (raw RFC 822). Gmail threads the message
 * by threadId plus matching References/In-Reply-To and subject; Bcc is read
 * from the raw headers and stripped from what recipients receive.
 */
export function gmailSendProvider(session: GmailSession): MailSender {
  return {
    async send(raw, { providerThreadId }) {
      await session.quota.take(SEND_UNITS);
      const response = await session.gmail.users.messages.send({
        userId: 'me',
        requestBody: { raw: raw.toString('base64url'), ...(providerThreadId ? { threadId: providerThreadId } : {}) },
      });
      if (!response.data.id) throw new Error('Gmail accepted the message but returned no id');
      return { providerMessageId: response.data.id, providerThreadId: response.data.threadId ?? providerThreadId };
    },
    async findSent(rfc822MessageId) {
      await session.quota.take(5);
      const response = await session.gmail.users.messages.list({
        userId: 'me',
        q: `rfc822msgid:${rfc822MessageId}`,
        includeSpamTrash: true,
        maxResults: 5,
      });
      const hit = response.data.messages?.[0];
      return hit?.id ? { providerMessageId: hit.id, providerThreadId: hit.threadId ?? null } : null;
    },
    classify: classifyGoogleFailure,
  };
}
