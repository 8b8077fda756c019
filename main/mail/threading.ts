import type { IndexDb } from '../db/openIndex.ts';
import { stmt } from '../db/statements.ts';

/** "Re: Fwd: [list] Hello" -> "hello": the subject key two messages must share to be threaded together. */
export function normalizeSubject(subject: string): string {
  let s = subject.trim().toLowerCase();
  for (;;) {
    const next = s.replace(/^((re|fwd?|aw|wg|sv|vs|antw|tr)(\[\d+\])?\s*:\s*|\[[^\]]{1,40}\]\s*)/i, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The thread of an incoming message for sources without provider threads
 * (mbox imports): the thread of the newest referenced message whose subject
 * matches, as Gmail does; otherwise null (the message starts a thread).
 */
export function findThreadByReferences(
  db: IndexDb,
  accountId: string,
  referencedIds: readonly string[],
  subject: string,
): string | null {
  if (referencedIds.length === 0) return null;
  const key = normalizeSubject(subject);
  const lookup = stmt<[string, string], { remote_id: string; subject: string }>(
    db,
    `SELECT t.remote_id, m.subject FROM messages m JOIN threads t ON t.id = m.thread_id
     WHERE m.account_id = ? AND m.rfc822_message_id = ? LIMIT 1`,
  );
  for (const id of [...referencedIds].reverse()) {
    const hit = lookup.get(accountId, id);
    if (hit && normalizeSubject(hit.subject) === key) return hit.remote_id;
  }
  return null;
}
