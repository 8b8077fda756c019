import type { gmail_v1 } from '@googleapis/gmail';
import type { ProviderDrafts, SavedDraft } from '../accountProvider.ts';
import { toProviderError } from './gmailErrors.ts';
import { call } from './gmailFullSync.ts';
import type { GmailSession } from './gmailSession.ts';

/** Quota units per method (Gmail API usage limits). */
const UNITS = { create: 10, update: 15, delete: 10, list: 5 };

const saved = (draft: gmail_v1.Schema$Draft): SavedDraft => {
  if (!draft.id || !draft.message?.id) throw new Error('Gmail answered a draft without its id or message id');
  return { draftId: draft.id, messageRemoteId: draft.message.id, threadRemoteId: draft.message.threadId ?? null };
};

const gone = (error: unknown) => (error as { status?: number }).status === 404;

/**
 * Gmail drafts (users.drafts): create, update (PUT: the draft keeps its id, its message is replaced
 * by one with a new id), delete, and a lookup by Message-ID through drafts.list's `q`
 * (rfc822msgid:). A reply draft carries its thread's id, as messages.send does.
 */
export function gmailDrafts(session: GmailSession, signal?: AbortSignal): ProviderDrafts {
  const ctx = { session, signal };
  const drafts = session.gmail.users.drafts;
  return {
    async save(content, draftId) {
      const message = {
        raw: content.raw.toString('base64url'),
        ...(content.providerThreadId ? { threadId: content.providerThreadId } : {}),
      };
      if (draftId) {
        try {
          const { data } = await call(ctx, UNITS.update, () =>
            drafts.update({ userId: 'me', id: draftId, requestBody: { id: draftId, message } }, { signal }),
          );
          return saved(data);
        } catch (error) {
          // Deleted or sent elsewhere meanwhile: what was written here becomes a draft again.
          if (!gone(error)) throw error;
        }
      }
      // Asked once: a create whose answer is lost may have made the draft, and a retry would make a second.
      // The push that follows finds it by its Message-ID (find) and updates it.
      await session.quota.take(UNITS.create, signal);
      try {
        const { data } = await drafts.create({ userId: 'me', requestBody: { message } }, { signal });
        return saved(data);
      } catch (error) {
        throw Object.assign(toProviderError(error), { cause: error });
      }
    },
    async delete(draftId) {
      try {
        await call(ctx, UNITS.delete, () => drafts.delete({ userId: 'me', id: draftId }, { signal }));
      } catch (error) {
        if (!gone(error)) throw error;
      }
    },
    async find(rfc822MessageId) {
      const { data } = await call(ctx, UNITS.list, () =>
        drafts.list({ userId: 'me', q: `rfc822msgid:${rfc822MessageId}`, maxResults: 5 }, { signal }),
      );
      const hit = data.drafts?.[0];
      return hit ? saved(hit) : null;
    },
  };
}
