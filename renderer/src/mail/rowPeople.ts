import type { ThreadSummary } from '../../../shared/api/threads.ts';
import type { ListView } from './navigationStore.ts';

/** Mailboxes of what the person wrote: their rows name whom it went to, as Gmail's do. */
const WRITTEN_ROLES = new Set(['sent', 'drafts']);
/** A search of Sent or Drafts alone (`in:sent`, `in:drafts`, `is:draft`), not negated. */
const WRITTEN_SEARCH = /(?:^|\s)(?:in:(?:sent|drafts?)|is:drafts?|label:(?:sent|drafts?))(?=\s|$)/i;

/** Whether the view lists the person's own messages (Sent, Drafts; unified or one account's; or a search of them). */
export function listsWrittenMail(view: ListView): boolean {
  return view.kind === 'label' ? WRITTEN_ROLES.has(view.label) : WRITTEN_SEARCH.test(view.query);
}

/**
 * The names a row shows: the senders, or in Sent and Drafts whom the messages went to ("To: Bob, carol@…");
 * a draft with no recipient yet says so.
 */
export function rowPeople(thread: ThreadSummary, written: boolean): string {
  if (written && thread.recipients) {
    const names = thread.recipients.map((p) => p.name || p.email);
    return names.length > 0 ? `To: ${names.join(', ')}` : '(no recipients)';
  }
  return thread.participants.map((p) => p.name || p.email).join(', ') || '(no sender)';
}
