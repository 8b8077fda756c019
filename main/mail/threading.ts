import type { ReadableDb } from '../db/handles.ts';
import { messageByRfc822Id } from '../db/queries/messageLookups.ts';

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
  db: ReadableDb,
  accountId: string,
  referencedIds: readonly string[],
  subject: string,
): string | null {
  if (referencedIds.length === 0) return null;
  const key = normalizeSubject(subject);
  for (const id of [...referencedIds].reverse()) {
    const hit = messageByRfc822Id(db, accountId, id);
    if (hit && normalizeSubject(hit.subject) === key) return hit.threadRemoteId;
  }
  return null;
}
