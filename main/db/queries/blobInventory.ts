import type { ReadableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';

/** Every blob the index has a row for (`outpost doctor` and `outpost repair` match them against the files). */
export function blobRowIds(db: ReadableDb): Set<string> {
  return new Set(pluckStmt<[], string>(db, 'SELECT sha256 FROM blobs').all());
}

/** Labels by id (a repair keeps only the label ids a message names that still exist). */
export function labelIdsOfAccount(db: ReadableDb, accountId: string): Set<number> {
  return new Set(pluckStmt<[string], number>(db, 'SELECT id FROM labels WHERE account_id = ?').all(accountId));
}

/** Messages and their raw bytes per account: what a repair gave back. */
export function messageSummary(db: ReadableDb): Array<{ account_id: string; messages: number; with_raw: number }> {
  return stmt<[], { account_id: string; messages: number; with_raw: number }>(
    db,
    'SELECT account_id, count(*) AS messages, count(raw_sha256) AS with_raw FROM messages GROUP BY account_id',
  ).all();
}

/** Each message's account, Message-ID and subject, in a stable order (what a repair must give back). */
export function messageFingerprints(
  db: ReadableDb,
): Array<{ account_id: string; rfc822_message_id: string | null; subject: string }> {
  return stmt<[], { account_id: string; rfc822_message_id: string | null; subject: string }>(
    db,
    'SELECT account_id, rfc822_message_id, subject FROM messages ORDER BY rfc822_message_id, subject, account_id',
  ).all();
}
