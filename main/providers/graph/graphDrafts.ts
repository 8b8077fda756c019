import type { ProviderDrafts, SavedDraft } from '../accountProvider.ts';
import type { GraphClient } from './graphClient.ts';

interface GraphDraft {
  id: string;
  conversationId?: string;
}

/** "Jane Doe <jane@example.com>" or a bare address -> Graph's recipient. */
function recipient(text: string): { emailAddress: { address: string; name?: string } } {
  const angle = /^\s*"?(.*?)"?\s*<([^<>]+)>\s*$/.exec(text);
  if (!angle) return { emailAddress: { address: text.trim() } };
  const [, name = '', address = ''] = angle;
  return { emailAddress: { address: address.trim(), ...(name.trim() ? { name: name.trim() } : {}) } };
}

const saved = (message: GraphDraft): SavedDraft => ({
  draftId: message.id,
  messageRemoteId: message.id,
  threadRemoteId: message.conversationId ?? null,
});

const gone = (error: unknown) => (error as { status?: number }).status === 404;

/**
 * Outlook drafts are messages in the Drafts folder (isDraft): POST /me/messages creates one (its
 * internetMessageId the one Outpost chose, so a create whose answer was lost is found again), PATCH
 * replaces its subject, body and recipients (the id stays), DELETE removes it. Immutable ids (the
 * client asks for them) keep the id across folders.
 */
export function graphDrafts(client: GraphClient): ProviderDrafts {
  return {
    async save(content, draftId) {
      const fields = {
        subject: content.subject,
        body: content.html ? { contentType: 'html', content: content.html } : { contentType: 'text', content: content.text },
        toRecipients: content.to.map(recipient),
        ccRecipients: content.cc.map(recipient),
        bccRecipients: content.bcc.map(recipient),
      };
      if (draftId) {
        try {
          return saved(
            await client.request<GraphDraft>(`/me/messages/${encodeURIComponent(draftId)}`, { method: 'PATCH', body: fields }),
          );
        } catch (error) {
          // Deleted or sent elsewhere meanwhile: what was written here becomes a draft again.
          if (!gone(error)) throw error;
        }
      }
      return saved(
        await client.request<GraphDraft>('/me/messages', {
          method: 'POST',
          body: { ...fields, internetMessageId: `<${content.rfc822MessageId}>` },
          // Asked once: a create whose answer is lost may have made the draft; the next push finds it (find).
          maxAttempts: 1,
        }),
      );
    },
    async delete(draftId) {
      try {
        await client.request(`/me/messages/${encodeURIComponent(draftId)}`, { method: 'DELETE' });
      } catch (error) {
        if (!gone(error)) throw error;
      }
    },
    async find(rfc822MessageId) {
      const filter = encodeURIComponent(`internetMessageId eq '<${rfc822MessageId.replace(/'/g, "''")}>'`);
      const page = await client.request<{ value: GraphDraft[] }>(
        `/me/mailFolders/drafts/messages?$filter=${filter}&$select=id,conversationId&$top=1`,
      );
      const hit = page.value[0];
      return hit ? saved(hit) : null;
    },
  };
}
