import type { MailSender } from '../accountProvider.ts';
import { classifyGraphFailure, type GraphClient } from './graphClient.ts';

/**
 * Sends the composed MIME through /me/sendMail (base64 text/plain body), which
 * saves it to Sent Items. sendMail returns no id, so the sent copy is found by
 * its internetMessageId — the same lookup that settles an uncertain send.
 * Outlook threads by its own conversation logic from In-Reply-To/References.
 */
export function graphSendProvider(client: GraphClient): MailSender {
  const findSent = async (rfc822MessageId: string) => {
    const filter = encodeURIComponent(`internetMessageId eq '<${rfc822MessageId.replace(/'/g, "''")}>'`);
    const page: { value: Array<{ id: string; conversationId?: string }> } = await client.request(
      `/me/mailFolders/sentitems/messages?$filter=${filter}&$select=id,conversationId&$top=1`,
    );
    const hit = page.value[0];
    return hit ? { providerMessageId: hit.id, providerThreadId: hit.conversationId ?? null } : null;
  };
  return {
    async send(raw) {
      await client.request('/me/sendMail', {
        method: 'POST',
        rawBody: raw.toString('base64'),
        headers: { 'content-type': 'text/plain' },
        // Asked once: a send whose answer was lost may have gone, and a blind retry would send it twice.
        // The outbox settles it by findSent (the Message-ID in Sent Items) before any other attempt.
        maxAttempts: 1,
      });
      const id = /^Message-ID:\s*<([^>]+)>/im.exec(raw.subarray(0, 16_384).toString('latin1'))?.[1];
      if (!id) throw new Error('the composed message has no Message-ID');
      // Sent Items may lag a moment behind sendMail's 202.
      for (let attempt = 0; attempt < 5; attempt++) {
        const found = await findSent(id);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 300 * (attempt + 1)));
      }
      return { providerMessageId: `pending:${id}`, providerThreadId: null };
    },
    findSent,
    classify: classifyGraphFailure,
  };
}
