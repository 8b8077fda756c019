import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/** What fetching a message's original needs to know of it. */
export interface OriginalOfMessage {
  id: number;
  account_id: string;
  remote_id: string;
  is_draft: number;
  raw_sha256: string | null;
}

export function originalOfMessage(db: ReadableDb, messageId: number): OriginalOfMessage | undefined {
  return stmt<[number], OriginalOfMessage>(
    db,
    'SELECT id, account_id, remote_id, is_draft, raw_sha256 FROM messages WHERE id = ?',
  ).get(messageId);
}

/**
 * Keeps a fetched original (a stored blob) for a message that had none; a draft's is not kept
 * (it changes while written). Later syncs keep it (writeMessages never clears raw_sha256).
 */
export function keepOriginal(db: WritableDb, messageId: number, sha256: string): boolean {
  return (
    stmt<[string, number]>(db, 'UPDATE messages SET raw_sha256 = ? WHERE id = ? AND raw_sha256 IS NULL AND is_draft = 0').run(
      sha256,
      messageId,
    ).changes > 0
  );
}
